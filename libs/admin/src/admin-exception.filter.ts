import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import type { AdminErrorBody } from './admin-error';

const ERROR_BY_STATUS: Record<number, string> = {
  400: 'invalid_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable_entity',
  429: 'too_many_requests',
};

/** Every admin error, expected or not, leaves as JSON; unexpected ones are logged without request data. */
@Catch()
export class AdminExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('AdminApi');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    let status = 500;
    let body: AdminErrorBody = { error: 'server_error', message: 'internal error' };
    if (exception instanceof HttpException) {
      status = exception.getStatus();
      const payload = exception.getResponse();
      if (
        typeof payload === 'object' &&
        payload &&
        'error' in payload &&
        'message' in payload &&
        typeof payload.message === 'string'
      ) {
        body = payload as AdminErrorBody;
      } else {
        body = { error: ERROR_BY_STATUS[status] ?? 'error', message: exception.message };
      }
    } else {
      this.logger.error(`unhandled: ${(exception as Error)?.name}: ${(exception as Error)?.message}`);
    }
    if (!res.headersSent) res.status(status).json(body);
  }
}
