import { INTERACTION_PREFIX, ISSUER_MOUNT } from '@erp-id/issuer';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A Connect-style step: the shape of every middleware the fast path runs. */
export type Step = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

const ISSUER_PREFIX = `${ISSUER_MOUNT}/`;
const SIGN_IN_PAGES = `${ISSUER_MOUNT}${INTERACTION_PREFIX}`;

/** Requests oidc-provider answers by itself: everything under `/id/` except the sign-in pages. */
export function isIssuerRequest(url: string | undefined): boolean {
  return url !== undefined && url.startsWith(ISSUER_PREFIX) && !url.startsWith(SIGN_IN_PAGES);
}

/**
 * Strips the `/id` mount the way Express's `app.use('/id', …)` does. oidc-provider finds its mount
 * from `originalUrl`, or from `baseUrl` when the request URL was rewritten (the legacy `token`
 * response type rewrites the query), so both are set as Express sets them.
 */
export function mountAt(handle: Step): Step {
  return (req, res, next) => {
    const url = req.url ?? '/';
    const mounted = req as IncomingMessage & { originalUrl?: string; baseUrl?: string };
    mounted.originalUrl = url;
    mounted.baseUrl = ISSUER_MOUNT;
    req.url = url.slice(ISSUER_MOUNT.length);
    handle(req, res, () => {
      req.url = url;
      next();
    });
  };
}

/**
 * The issuer's requests (token, discovery, JWKS, authorize…) are the hot path: they run through
 * the few steps they need (request log and metrics, tenant, issuer) without Express, whose
 * per-request prototype swap and middleware walk cost about as much as signing a token.
 * `fallback` answers anything the steps pass on.
 */
export function issuerFastPath(
  steps: readonly Step[],
  fallback: Step,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    let index = 0;
    const next = (): void => {
      const step = steps[index++];
      if (step) step(req, res, next);
      else fallback(req, res, () => undefined);
    };
    next();
  };
}
