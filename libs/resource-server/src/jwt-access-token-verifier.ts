import {
  createRemoteJWKSet,
  customFetch,
  decodeJwt,
  errors,
  type JWTPayload,
  jwtVerify,
  type JWTVerifyGetKey,
} from 'jose';
import type { IssuerMetadataSource } from './issuer-metadata';
import type { Principal } from './principal';
import type { ResolvedResourceServerOptions } from './resource-server-options';
import { TokenRejectedError, VerifierUnavailableError } from './token-rejection';
import { userKindOf } from './user-kind';

/** The asymmetric algorithms an instance may sign with (its signing policy picks one). */
export const ACCESS_TOKEN_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'];

/** jose failures that say the token is bad; anything else (network, JWKS answer) is the issuer's. */
const REJECTING_CODES = new Set([
  'ERR_JWT_EXPIRED',
  'ERR_JWT_CLAIM_VALIDATION_FAILED',
  'ERR_JWT_INVALID',
  'ERR_JWS_INVALID',
  'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  'ERR_JWKS_NO_MATCHING_KEY',
  'ERR_JWKS_MULTIPLE_MATCHING_KEYS',
  'ERR_JOSE_ALG_NOT_ALLOWED',
  'ERR_JOSE_NOT_SUPPORTED',
]);

function describe(err: errors.JOSEError): string {
  if (err instanceof errors.JWTExpired) return 'the access token expired';
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'aud') return 'the access token is not for this API';
    if (err.claim === 'typ') return 'not an access token (typ must be at+jwt)';
    if (err.claim === 'nbf' || err.claim === 'iat') return 'the access token is not valid yet';
    return `the access token has an invalid "${err.claim}" claim`;
  }
  if (err instanceof errors.JWKSNoMatchingKey)
    return 'the access token was not signed by a key of this issuer';
  return 'the access token signature or format is invalid';
}

/**
 * Local verification of RFC 9068 JWT access tokens against the instance's published keys: no call to
 * the issuer per request. The key set is jose's remote JWKS, cached and downloaded again when a
 * token names a key it does not know (a rotation), at most once per cooldown.
 */
export class JwtAccessTokenVerifier {
  private keys: Promise<JWTVerifyGetKey> | undefined;

  constructor(
    private readonly options: ResolvedResourceServerOptions,
    private readonly metadata: IssuerMetadataSource,
  ) {}

  async verify(token: string): Promise<Principal> {
    // Another issuer's token (another instance's, an ID provider's) is refused before any key lookup,
    // so foreign tokens cannot make the API download the JWKS over and over.
    let unverified: JWTPayload;
    try {
      unverified = decodeJwt(token);
    } catch {
      throw new TokenRejectedError('the access token is malformed');
    }
    if (unverified.iss !== this.options.issuer)
      throw new TokenRejectedError('the access token is from another issuer');

    const keys = await this.keySet();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        typ: 'at+jwt',
        algorithms: ACCESS_TOKEN_ALGORITHMS,
        clockTolerance: this.options.clockToleranceSec,
        requiredClaims: ['exp', 'iat', 'sub', 'client_id'],
      }));
    } catch (err) {
      if (err instanceof errors.JOSEError && REJECTING_CODES.has(err.code))
        throw new TokenRejectedError(describe(err));
      throw new VerifierUnavailableError(
        `the issuer's signing keys could not be read: ${(err as Error).message}`,
        {
          cause: err,
        },
      );
    }
    return principalOf(payload);
  }

  private keySet(): Promise<JWTVerifyGetKey> {
    if (!this.keys) {
      const loading = this.metadata.get().then(({ jwksUri }) => {
        const fetchImpl = this.options.fetch;
        return createRemoteJWKSet(new URL(jwksUri), {
          cooldownDuration: this.options.jwksRefreshCooldownMs,
          timeoutDuration: this.options.httpTimeoutMs,
          [customFetch]: (url, init) => fetchImpl(url, init),
        });
      });
      this.keys = loading;
      loading.catch(() => {
        if (this.keys === loading) this.keys = undefined;
      });
    }
    return this.keys;
  }
}

function principalOf(payload: JWTPayload): Principal {
  const subject = String(payload.sub);
  const clientId = String(payload.client_id);
  const kind = userKindOf(payload.erp_user_kind, subject, clientId);
  if (kind === undefined || kind === 'external') {
    throw new TokenRejectedError('only internal users and service accounts may call instance APIs');
  }
  return {
    subject,
    clientId,
    scopes: typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [],
    userKind: kind,
    tokenType: 'jwt',
    audience: Array.isArray(payload.aud) ? payload.aud : [String(payload.aud)],
    expiresAt: new Date(Number(payload.exp) * 1000),
  };
}
