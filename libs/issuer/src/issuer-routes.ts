/** IdentityServer-style paths, relative to the issuer's `/id` mount: the contract with existing ERP apps. */
export const ISSUER_ROUTES = {
  authorization: '/connect/authorize',
  token: '/connect/token',
  userinfo: '/connect/userinfo',
  end_session: '/connect/endsession',
  introspection: '/connect/introspect',
  revocation: '/connect/revocation',
  jwks: '/.well-known/openid-configuration/jwks',
  pushed_authorization_request: '/connect/par',
} as const;

export const ISSUER_MOUNT = '/id';

/** Sign-in pages live under the issuer's mount so its path-scoped interaction cookies reach them. */
export const INTERACTION_PREFIX = '/interaction/';
