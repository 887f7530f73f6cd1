import type { ActiveReferenceToken, ReferenceTokensService, UsersService } from '@erp-id/accounts';
import { referenceTokenKind } from '@erp-id/accounts';
import type { Jwk } from '@erp-id/keys';
import type Provider from 'oidc-provider';
import { errors, type Client, type KoaContextWithOIDC } from 'oidc-provider';
import type { ApiResource } from './api-resources';
import { INTROSPECTION_ALLOWED } from './client-metadata';
import type { IssuerHook } from './issuer-hooks';
import { jwtIntrospection } from './jwt-introspection';

/** Who an active token acts for; `service` for client-credentials and service tokens. */
export type SubjectKind = 'internal' | 'external' | 'service';

export interface IntrospectionDeps {
  instanceId: string;
  signingKeys: readonly Jwk[];
  apis: readonly ApiResource[];
  referenceTokens: Pick<ReferenceTokensService, 'findActive'>;
  users: Pick<UsersService, 'findForIssuer'>;
  /** Told when a lookup fails (the store is unreachable); never given a token. */
  onLookupError: (err: Error) => void;
}

/**
 * Only clients registered with `introspection: true` (the instance's APIs) may introspect: RFC 7662
 * leaves the endpoint's authorization to the server, and a token's claims are not every client's
 * business. The caller has authenticated, so a refusal is 403 rather than 401; `unauthorized_client`
 * is the OAuth error for an authenticated client using something it was not registered for.
 */
class IntrospectionNotAllowed extends errors.OIDCProviderError {
  constructor() {
    super(403, 'unauthorized_client');
    this.error_description = 'this client is not allowed to introspect tokens';
  }
}

function mayIntrospect(client: Client): boolean {
  return client.metadata()[INTROSPECTION_ALLOWED] === true;
}

/** oidc-provider's introspection feature, restricted to flagged clients (see IntrospectionNotAllowed). */
export function introspectionFeature() {
  return {
    enabled: true as const,
    allowedPolicy: (_ctx: KoaContextWithOIDC, client: Client): boolean => {
      if (!mayIntrospect(client)) throw new IntrospectionNotAllowed();
      return true;
    },
  };
}

const seconds = (date: Date): number => Math.floor(date.getTime() / 1000);

function referenceTokenResponse(
  token: ActiveReferenceToken,
  issuer: string,
  apis: readonly ApiResource[],
): Record<string, unknown> {
  const audience = apis.filter((api) => token.apis.includes(api.name)).map((api) => api.identifier);
  return {
    active: true,
    token_type: 'access_token',
    iss: issuer,
    sub: token.subject,
    ...(token.clientId ? { client_id: token.clientId } : {}),
    scope: token.scopes.join(' '),
    aud: audience.length === 1 ? audience[0] : audience,
    ...(token.expiresAt ? { exp: seconds(token.expiresAt) } : {}),
    iat: seconds(token.issuedAt),
    jti: token.id,
    erp_user_kind: token.subjectKind,
    erp_token_kind: token.kind,
  };
}

function setBody(ctx: KoaContextWithOIDC, status: number, body: Record<string, unknown>): void {
  ctx.status = status;
  ctx.body = body;
}

/**
 * The gateway's introspection and revocation additions, in one place for the provider factory:
 * - only flagged clients get an answer (403 `unauthorized_client` otherwise, whatever the token);
 * - reference tokens (`erp_pat_…`, `erp_sat_…`) are answered from Postgres;
 * - JWT access tokens are answered by the issuer itself (jwt-introspection.ts);
 * - every active answer names the kind of subject (`erp_user_kind`), and a token whose user is
 *   gone or disabled is inactive;
 * - reference tokens presented at `/connect/revocation` are `unsupported_token_type`: they have no
 *   owning client (RFC 7009 lets a client revoke only its own tokens) and are revoked through the
 *   admin API or the CLI.
 */
export function introspectionHooks(provider: Provider, deps: IntrospectionDeps): IssuerHook[] {
  const adjust = async (ctx: KoaContextWithOIDC): Promise<void> => {
    const route = ctx.oidc?.route;
    const client = ctx.oidc?.client;
    if (!client || (route !== 'introspection' && route !== 'revocation')) return;
    const token = ctx.oidc.params?.token;
    if (route === 'revocation') {
      if (ctx.status === 200 && typeof token === 'string' && referenceTokenKind(token)) {
        setBody(ctx, 400, {
          error: 'unsupported_token_type',
          error_description: 'reference tokens are revoked through the admin API',
        });
      }
      return;
    }
    // A client that failed to authenticate is known by id only: its 401 stands.
    if (ctx.status === 401) return;
    if (!mayIntrospect(client)) {
      const refusal = new IntrospectionNotAllowed();
      setBody(ctx, refusal.status, { error: refusal.error, error_description: refusal.error_description });
      return;
    }
    if (ctx.status !== 200) return;
    const body = ctx.body as Record<string, unknown>;
    try {
      if (typeof token === 'string' && referenceTokenKind(token)) {
        const found = await deps.referenceTokens.findActive(deps.instanceId, token);
        setBody(
          ctx,
          200,
          found ? referenceTokenResponse(found, provider.issuer, deps.apis) : { active: false },
        );
        return;
      }
      if (body.active !== true || 'erp_user_kind' in body) return;
      const kind = await subjectKind(body, deps);
      setBody(ctx, 200, kind ? { ...body, erp_user_kind: kind } : { active: false });
    } catch (err) {
      // Never "active" on a failed lookup, and not "inactive" either: the API should retry.
      deps.onLookupError(err as Error);
      setBody(ctx, 503, { error: 'temporarily_unavailable', error_description: 'try again shortly' });
    }
  };
  return [
    {
      // Only these two routes pay for an asynchronous step.
      after: (ctx) =>
        ctx.oidc?.route === 'introspection' || ctx.oidc?.route === 'revocation' ? adjust(ctx) : undefined,
    },
    // Nested inside: the refusal above also covers what it answers.
    jwtIntrospection(provider, deps.signingKeys),
  ];
}

/**
 * A client-credentials token's subject is its client; a user's token is active only while the user
 * is (disabling or deleting a user also ends its grants, but a JWT lives until it expires).
 */
async function subjectKind(
  body: Record<string, unknown>,
  deps: IntrospectionDeps,
): Promise<SubjectKind | undefined> {
  const sub = body.sub;
  if (sub === undefined || sub === body.client_id) return 'service';
  if (typeof sub !== 'string') return undefined;
  const user = await deps.users.findForIssuer(deps.instanceId, sub);
  return user?.kind;
}
