import { type Jwk, publicPart } from '@erp-id/keys';
import { createLocalJWKSet, jwtVerify, type JWTPayload } from 'jose';
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { IssuerHook } from './issuer-hooks';

const ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'];

/** RFC 7662 answer for a JWT access token this issuer signed. */
function activeResponse(payload: JWTPayload): Record<string, unknown> {
  return {
    active: true,
    token_type: 'access_token',
    iss: payload.iss,
    sub: payload.sub,
    client_id: payload.client_id,
    scope: payload.scope,
    aud: payload.aud,
    exp: payload.exp,
    iat: payload.iat,
    jti: payload.jti,
  };
}

/**
 * oidc-provider refuses to introspect structured (JWT) access tokens. The gateway issues JWT access
 * tokens, so introspection answers for them here: after the provider authenticated the calling
 * client, a JWT is checked against this issuer's own keys, issuer and token type. Anything signed
 * elsewhere (another instance included), expired or malformed is simply `{"active": false}`.
 */
export function jwtIntrospection(provider: Provider, signingKeys: readonly Jwk[]): IssuerHook {
  const keys = createLocalJWKSet({ keys: signingKeys.map(publicPart) });
  const answer = async (
    ctx: KoaContextWithOIDC,
    client: NonNullable<KoaContextWithOIDC['oidc']['client']>,
  ) => {
    const token = ctx.oidc.params?.token;
    let response: Record<string, unknown> = { active: false };
    if (typeof token === 'string') {
      try {
        const { payload } = await jwtVerify(token, keys, {
          issuer: provider.issuer,
          typ: 'at+jwt',
          algorithms: ALGORITHMS,
          clockTolerance: 15,
        });
        // As oidc-provider's own policy: a public client may only introspect its own tokens.
        const ownToken = payload.client_id === client.clientId;
        // As oidc-provider does for its own tokens: a token whose client was deleted (or whose
        // service account was disabled) is no longer active.
        const issuedTo =
          typeof payload.client_id === 'string' ? await provider.Client.find(payload.client_id) : undefined;
        response =
          !issuedTo || (client.clientAuthMethod === 'none' && !ownToken)
            ? { active: false }
            : activeResponse(payload);
      } catch {
        response = { active: false };
      }
    }
    ctx.status = 200;
    ctx.body = response;
  };
  return {
    after(ctx) {
      if (ctx.oidc?.route !== 'introspection' || ctx.status !== 400 || !ctx.oidc.client) return;
      const body = ctx.body as { error?: string } | undefined;
      if (body?.error !== 'unsupported_token_type') return;
      return answer(ctx, ctx.oidc.client);
    },
  };
}
