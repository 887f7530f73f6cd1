import type { InstancePolicies } from '@erp-id/policies';
import {
  type AbuseSignals,
  type ClientAuthLockRule,
  type ClientAuthThrottle,
  type RateDecision,
  type RateLimiter,
  type RateLimitName,
  type RateRule,
  rateSubjectOf,
} from '@erp-id/rate-limits';
import { tenantOf } from '@erp-id/tenancy';
import Provider, { errors, type KoaContextWithOIDC } from 'oidc-provider';
import type { ClientSecretGate } from './hashed-client-secrets';
import { ANSWERED, type IssuerHook } from './issuer-hooks';
import type { IssuerPages } from './issuer-pages';
import { ISSUER_ROUTES } from './issuer-routes';

type RateLimits = InstancePolicies['rateLimits'];

interface LimitedRoute {
  limit: RateLimitName;
  points: keyof RateLimits;
  /** Whether the route authenticates clients, so failed authentications count and lock. */
  clientAuth: boolean;
  /** A browser lands here: refusals are a page, not JSON. */
  page: boolean;
}

const LIMITED_ROUTES: ReadonlyMap<string, LimitedRoute> = new Map([
  [
    ISSUER_ROUTES.authorization,
    { limit: 'authorize', points: 'authorizePerAddress', clientAuth: false, page: true },
  ],
  [ISSUER_ROUTES.token, { limit: 'token', points: 'tokenPerAddress', clientAuth: true, page: false }],
  [
    ISSUER_ROUTES.introspection,
    { limit: 'introspection', points: 'introspectionPerAddress', clientAuth: true, page: false },
  ],
  [
    ISSUER_ROUTES.revocation,
    { limit: 'introspection', points: 'introspectionPerAddress', clientAuth: true, page: false },
  ],
]);

export interface RequestLimitsContext {
  instance: { id: string; name: string };
  policies: InstancePolicies;
  limiter: RateLimiter;
  throttle: ClientAuthThrottle;
  signals: AbuseSignals;
  pages: IssuerPages;
}

/** Retry-After of a refusal the provider raised itself (see `TooManyRequests`), set by `after`. */
const RETRY_AFTER = Symbol('retryAfterSeconds');
type StateWithRetry = { [RETRY_AFTER]?: number };

/** Goes on at once when the limiter decided from memory, after the store's answer otherwise. */
function whenDecided<T>(
  decision: RateDecision | Promise<RateDecision>,
  then: (d: RateDecision) => T,
): T | Promise<T> {
  return decision instanceof Promise ? decision.then(then) : then(decision);
}

const subjectOf = (ctx: KoaContextWithOIDC): string | null => {
  const clientIp = tenantOf(ctx.req)?.origin.clientIp;
  return clientIp ? rateSubjectOf(clientIp) : null;
};

const refusalText = (seconds: number): string =>
  `too many requests from this address; try again in ${seconds} second${seconds === 1 ? '' : 's'}`;

/**
 * An issuer's request limits (the instance's `rateLimits` policy): per client address on the
 * authorization, token, introspection and revocation endpoints, checked before the provider does
 * any work; failed client authentications per address, which lock the address like failed
 * passwords; and, from inside client authentication, per authenticated client on the token endpoint
 * (see {@link requestLimitsClientGate}). Refusals are 429 with Retry-After and an OAuth error body.
 */
export function requestLimits(context: RequestLimitsContext): IssuerHook {
  const { instance, policies, limiter, throttle, signals } = context;
  const rules = policies.rateLimits;
  const lockRule = clientAuthLockRule(policies);
  // The policy is fixed for the issuer's lifetime: each route's rule is built once, not per request.
  const routeRules = new Map<LimitedRoute, RateRule>(
    [...LIMITED_ROUTES.values()].map((route) => [
      route,
      { points: rules[route.points], windowSeconds: rules.windowSeconds },
    ]),
  );

  const refuse = (ctx: KoaContextWithOIDC, route: LimitedRoute, seconds: number): void => {
    ctx.status = 429;
    ctx.set('Retry-After', String(seconds));
    ctx.set('Cache-Control', 'no-store');
    const out = { error: 'temporarily_unavailable', error_description: refusalText(seconds) };
    if (route.page) {
      context.pages.error(ctx, out, new Error(out.error_description));
      ctx.status = 429;
    } else {
      ctx.body = out;
    }
  };

  return {
    before(ctx) {
      const route = LIMITED_ROUTES.get(ctx.path);
      if (!route) return;
      const subject = subjectOf(ctx);
      if (!subject) return;
      if (route.clientAuth) {
        const locked = throttle.knownLockFor(instance.name, subject);
        if (locked > 0) {
          refuse(ctx, route, locked);
          return ANSWERED;
        }
      }
      const rule = routeRules.get(route)!;
      if (rule.points === 0) return;
      return whenDecided(limiter.consume(instance.name, route.limit, subject, rule), (decision) => {
        if (decision.allowed) return false;
        if (decision.firstRefusal) {
          void signals.throttled(instance.id, route.limit, subject, {
            windowSeconds: rule.windowSeconds,
            allowed: rule.points,
            retryAfterSeconds: decision.retryAfterSeconds,
          });
        }
        refuse(ctx, route, decision.retryAfterSeconds);
        return ANSWERED;
      });
    },

    after(ctx) {
      const route = LIMITED_ROUTES.get(ctx.path);
      if (!route?.clientAuth) return;
      const retryAfter = (ctx.state as StateWithRetry)[RETRY_AFTER];
      if (retryAfter !== undefined) {
        refuse(ctx, route, retryAfter);
        return;
      }
      if (ctx.status !== 401 || (ctx.body as { error?: unknown } | undefined)?.error !== 'invalid_client')
        return;
      const subject = subjectOf(ctx);
      if (!subject) return;
      return throttle.recordFailure(instance.name, subject, lockRule).then((failure) => {
        if (failure.lockedForSeconds === 0) return;
        if (failure.newlyLocked) {
          void signals.clientAuthLocked(instance.id, subject, {
            failures: lockRule.maxFailures + 1,
            retryAfterSeconds: failure.lockedForSeconds,
            ...(ctx.oidc?.client ? { clientId: ctx.oidc.client.clientId } : {}),
          });
        }
        refuse(ctx, route, failure.lockedForSeconds);
      });
    },
  };
}

/** Failed client authentications: the instance's count, counted over and locked for the password lockout's times. */
function clientAuthLockRule(policies: InstancePolicies): ClientAuthLockRule {
  return {
    maxFailures: policies.rateLimits.clientAuthFailuresPerAddress,
    windowSeconds: policies.lockout.windowSeconds,
    lockSeconds: policies.lockout.durationSeconds,
  };
}

/** Marks the request for a 429 that the provider's error handling would otherwise answer on its own. */
function refuseLater(ctx: KoaContextWithOIDC, retryAfterSeconds: number): void {
  (ctx.state as StateWithRetry)[RETRY_AFTER] = retryAfterSeconds;
}

/** A refusal raised from inside the provider; `after` turns it into the 429 answer. */
class TooManyRequests extends errors.OIDCProviderError {
  constructor() {
    super(429, 'temporarily_unavailable');
  }
}

/** The current request, from inside provider code that is not handed it (client authentication). */
function currentRequest(): KoaContextWithOIDC {
  const ctx = Provider.ctx;
  if (!ctx) throw new Error('client authentication outside of a request');
  return ctx;
}

/**
 * The request limits inside client authentication (see `ClientSecretGate`): a locked address is
 * refused before its guess costs a slow hash, and on the token endpoint every authenticated request
 * counts against its client's limit before any grant is processed, so a refused request loses
 * nothing (no code or refresh token is used up by a request that is then refused).
 */
export function requestLimitsClientGate(context: RequestLimitsContext): ClientSecretGate {
  const { instance, policies, limiter, throttle, signals } = context;
  const rules = policies.rateLimits;
  const lockRule = clientAuthLockRule(policies);
  const clientRule: RateRule = { points: rules.tokenPerClient, windowSeconds: rules.windowSeconds };
  return {
    async beforeSlowCheck() {
      const ctx = currentRequest();
      const subject = subjectOf(ctx);
      if (!subject) return;
      const locked = await throttle.lockedFor(instance.name, subject, lockRule);
      if (locked === 0) return;
      refuseLater(ctx, locked);
      throw new TooManyRequests();
    },
    accepted(clientId) {
      if (clientRule.points === 0) return;
      const ctx = currentRequest();
      if (ctx.oidc.route !== 'token') return;
      return whenDecided(limiter.consume(instance.name, 'token-client', clientId, clientRule), (decision) => {
        if (decision.allowed) return;
        if (decision.firstRefusal) {
          void signals.throttled(instance.id, 'token-client', subjectOf(ctx) ?? 'unknown', {
            windowSeconds: clientRule.windowSeconds,
            allowed: clientRule.points,
            retryAfterSeconds: decision.retryAfterSeconds,
            clientId,
          });
        }
        refuseLater(ctx, decision.retryAfterSeconds);
        throw new TooManyRequests();
      });
    },
  };
}
