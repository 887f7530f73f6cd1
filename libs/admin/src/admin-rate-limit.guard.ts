import { type CanActivate, type ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { GatewayConfig } from '@erp-id/config';
import { RateLimiter, rateSubjectOf } from '@erp-id/rate-limits';
import type { Request, Response } from 'express';
import { AdminCaller } from './admin-caller';
import { AdminError } from './admin-error';

const WINDOW_SECONDS = 60;

/**
 * Admin API requests per client address (`ADMIN_RATE_LIMIT_PER_MINUTE`), counted by every replica
 * together and checked before the token is: a guessing script meets the limit however it guesses.
 */
@Injectable()
export class AdminRateLimitGuard implements CanActivate {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly config: GatewayConfig,
    private readonly caller: AdminCaller,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const points = this.config.adminRateLimitPerMinute;
    if (points === 0) return true;
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    const address = this.caller.addressOf(req);
    if (!address) return true;
    const rule = { points, windowSeconds: WINDOW_SECONDS };
    const decision = await this.limiter.consume(null, 'admin', rateSubjectOf(address), rule);
    if (decision.allowed) return true;
    http.getResponse<Response>().setHeader('Retry-After', String(decision.retryAfterSeconds));
    throw new AdminError(
      HttpStatus.TOO_MANY_REQUESTS,
      'too_many_requests',
      `too many admin API requests from this address; try again in ${decision.retryAfterSeconds} s`,
    );
  }
}
