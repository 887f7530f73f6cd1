import type { NextFunction, Request, Response } from 'express';
import { listenerOf } from './listeners';

interface HttpishError {
  status?: number;
  statusCode?: number;
  type?: string;
}

/**
 * Last-resort error handler for errors raised outside controllers (body parsing, oversized bodies):
 * a JSON answer with the error's own 4xx status, never an HTML page or a dropped connection.
 */
export function jsonErrorHandler(err: unknown, req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) {
    next(err);
    return;
  }
  const e = (err ?? {}) as HttpishError;
  const status = e.status ?? e.statusCode ?? 500;
  const client = status >= 400 && status < 500;
  const code =
    status === 413 ? 'payload_too_large' : status === 415 ? 'unsupported_media_type' : 'invalid_request';
  const message = client
    ? e.type === 'entity.parse.failed'
      ? 'request body is not valid JSON'
      : code.replace(/_/g, ' ')
    : 'internal error';
  const admin = listenerOf(req) === 'admin';
  res
    .status(client ? status : 500)
    .json(
      admin
        ? { error: client ? code : 'server_error', message }
        : { error: client ? code : 'server_error', error_description: message },
    );
}
