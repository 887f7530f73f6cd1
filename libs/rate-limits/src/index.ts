export { RateLimitsModule } from './rate-limits.module';
export { RateLimiter } from './rate-limiter';
export type { RateDecision, RateLimitName, RateRule } from './rate-limiter';
export { ClientAuthThrottle } from './client-auth-throttle';
export type { ClientAuthFailure, ClientAuthLockRule } from './client-auth-throttle';
export { AbuseSignals } from './abuse-signals';
export { rateSubjectOf } from './rate-subject';
