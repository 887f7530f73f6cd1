import express from 'express';
import type { NextFunction, Request, Response } from 'express';

const parseJson = express.json({ limit: '64kb', strict: true, type: () => true });

interface BodyParserError {
  status?: number;
  type?: string;
}

function reject(res: Response, status: number, error: string, message: string): void {
  res.status(status).json({ error, message });
}

/**
 * Admin requests carry JSON only. Parsing problems are answered here in the admin error format
 * (`{"error","message"}`), before any controller runs.
 */
export function adminBodyParser(req: Request, res: Response, next: NextFunction): void {
  const hasBody =
    Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (!hasBody) {
    next();
    return;
  }
  if (!req.is('application/json') && !req.is('application/*+json')) {
    reject(res, 415, 'unsupported_media_type', 'request bodies must be application/json');
    return;
  }
  parseJson(req, res, (err?: unknown) => {
    if (!err) {
      next();
      return;
    }
    const e = err as BodyParserError;
    if (e.status === 413) reject(res, 413, 'payload_too_large', 'request body exceeds 64 KB');
    else reject(res, 400, 'invalid_request', 'request body is not valid JSON');
  });
}
