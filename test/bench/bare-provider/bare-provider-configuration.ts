import Provider, { errors, type Configuration, type JWK, type SigningAlgorithm } from 'oidc-provider';

/** The one static client of the baseline: plaintext secret, client credentials only. */
export interface BareClient {
  clientId: string;
  clientSecret: string;
}

const SIGNING_ALGS: SigningAlgorithm[] = ['RS256', 'PS256', 'ES256', 'EdDSA'];
const API_SCOPES = ['read', 'update'];

/**
 * Mirrors the gateway's per-instance provider configuration (libs/issuer/src/provider-factory.ts)
 * for everything the client-credentials path touches, so the ratio measures the gateway's own cost:
 * tenancy, pooling, the Redis/Postgres-backed adapters and the hashed secret check. Deliberately
 * different: default memory adapter, static client with a plaintext secret, issuer at the origin
 * root (no /id mount), no proxy headers.
 */
export function bareProviderConfiguration(
  signingKey: JWK,
  cookieKeys: string[],
  client: BareClient,
  origin: string,
): Configuration {
  const apis = [`${origin}/api/domain`, `${origin}/api/table`];
  return {
    jwks: { keys: [signingKey] },
    clients: [
      {
        client_id: client.clientId,
        client_secret: client.clientSecret,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        post_logout_redirect_uris: [],
        token_endpoint_auth_method: 'client_secret_basic',
        scope: API_SCOPES.join(' '),
      },
    ],
    cookies: {
      keys: cookieKeys,
      long: { signed: true, httpOnly: true, sameSite: 'lax' },
      short: { signed: true, httpOnly: true, sameSite: 'lax' },
    },
    routes: {
      authorization: '/connect/authorize',
      token: '/connect/token',
      userinfo: '/connect/userinfo',
      end_session: '/connect/endsession',
      introspection: '/connect/introspect',
      revocation: '/connect/revocation',
      jwks: '/.well-known/openid-configuration/jwks',
      pushed_authorization_request: '/connect/par',
    },
    scopes: ['openid', 'profile', 'offline_access', ...API_SCOPES],
    claims: { openid: ['sub'], profile: ['name', 'preferred_username', 'updated_at'], email: ['email'] },
    responseTypes: ['code'],
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'none'],
    clientDefaults: {
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'RS256',
    },
    enabledJWA: {
      idTokenSigningAlgValues: SIGNING_ALGS,
      userinfoSigningAlgValues: SIGNING_ALGS,
      introspectionSigningAlgValues: SIGNING_ALGS,
      authorizationSigningAlgValues: SIGNING_ALGS,
      requestObjectSigningAlgValues: SIGNING_ALGS,
      clientAuthSigningAlgValues: [],
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => apis[0]!,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, indicator) => {
          if (!apis.includes(indicator)) throw new errors.InvalidTarget();
          return {
            scope: API_SCOPES.join(' '),
            audience: indicator,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    findAccount: async () => undefined,
    ttl: {
      AccessToken: 3600,
      ClientCredentials: 3600,
      IdToken: 3600,
      AuthorizationCode: 60,
      RefreshToken: 30 * 24 * 3600,
      Interaction: 3600,
      Session: 14 * 24 * 3600,
      Grant: 14 * 24 * 3600,
    },
    clockTolerance: 15,
  };
}

export function createBareProvider(
  signingKey: JWK,
  cookieKeys: string[],
  client: BareClient,
  origin: string,
): Provider {
  return new Provider(origin, bareProviderConfiguration(signingKey, cookieKeys, client, origin));
}
