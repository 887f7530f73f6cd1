import { Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { AdminError } from './admin-error';
import { ADMIN_STRATEGY } from './admin-token.strategy';
import { HttpStatus } from '@nestjs/common';

@Injectable()
export class AdminAuthGuard extends AuthGuard(ADMIN_STRATEGY) {
  override handleRequest<T>(err: unknown, user: T | false): T {
    if (err || !user) {
      throw new AdminError(HttpStatus.UNAUTHORIZED, 'unauthorized', 'a valid admin bearer token is required');
    }
    return user;
  }
}
