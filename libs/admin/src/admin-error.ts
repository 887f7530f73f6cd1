import { HttpException, HttpStatus } from '@nestjs/common';

export interface AdminErrorBody {
  error: string;
  message: string;
  details?: unknown;
}

/** Errors of the admin API: `{"error","message","details"?}` with the matching status. */
export class AdminError extends HttpException {
  constructor(status: HttpStatus, error: string, message: string, details?: unknown) {
    const body: AdminErrorBody = details === undefined ? { error, message } : { error, message, details };
    super(body, status);
  }

  static badRequest(message: string, details?: unknown): AdminError {
    return new AdminError(HttpStatus.BAD_REQUEST, 'invalid_request', message, details);
  }

  static notFound(message: string): AdminError {
    return new AdminError(HttpStatus.NOT_FOUND, 'not_found', message);
  }

  static conflict(message: string): AdminError {
    return new AdminError(HttpStatus.CONFLICT, 'conflict', message);
  }
}
