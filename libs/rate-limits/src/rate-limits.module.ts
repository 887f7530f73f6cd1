import { Global, Module } from '@nestjs/common';
import { AuditModule } from '@erp-id/audit';
import { AbuseSignals } from './abuse-signals';
import { ClientAuthThrottle } from './client-auth-throttle';
import { RateLimiter } from './rate-limiter';

/** Request limits shared by every replica, failed client authentication locks, and their audit signals. */
@Global()
@Module({
  imports: [AuditModule],
  providers: [RateLimiter, ClientAuthThrottle, AbuseSignals],
  exports: [RateLimiter, ClientAuthThrottle, AbuseSignals],
})
export class RateLimitsModule {}
