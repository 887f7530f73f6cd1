import { Inject, Injectable } from '@nestjs/common';
import { IntrospectionCache, type CachedVerdict } from './introspection-cache';
import { type IntrospectionAnswer, IntrospectionClient } from './introspection-client';
import { IssuerMetadataSource } from './issuer-metadata';
import { JwtAccessTokenVerifier } from './jwt-access-token-verifier';
import type { Principal, UserKind } from './principal';
import { RESOURCE_SERVER_OPTIONS, type ResolvedResourceServerOptions } from './resource-server-options';
import { TokenRejectedError } from './token-rejection';
import { userKindOf } from './user-kind';

/** Prefixes of the gateway's reference tokens (personal and service access tokens). */
export const REFERENCE_TOKEN_PREFIXES = ['erp_pat_', 'erp_sat_'] as const;

/** RFC 6750 b64token; anything else cannot be a bearer token and is refused without a lookup. */
const BEARER_TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
/** Token types an introspection answer may name for a token an API accepts (RFC 7662 §2.2 leaves it open). */
const ACCESS_TOKEN_TYPES = new Set(['access_token', 'bearer']);
const MAX_TOKEN_LENGTH = 8_192;

/**
 * Turns a bearer token into the principal it stands for, or refuses it. JWT access tokens are
 * verified locally; reference tokens (and any other opaque token) are asked about at the issuer's
 * introspection endpoint, with answers cached briefly.
 */
@Injectable()
export class AccessTokenVerifier {
  private readonly jwt: JwtAccessTokenVerifier;
  private readonly introspection: IntrospectionClient;
  private readonly cache: IntrospectionCache<Principal>;

  constructor(@Inject(RESOURCE_SERVER_OPTIONS) private readonly options: ResolvedResourceServerOptions) {
    const metadata = new IssuerMetadataSource(options);
    this.jwt = new JwtAccessTokenVerifier(options, metadata);
    this.introspection = new IntrospectionClient(options, metadata);
    this.cache = new IntrospectionCache(options.cacheTtlMs);
  }

  /** Resolves with the principal; rejects with TokenRejectedError or VerifierUnavailableError. */
  async verify(token: string): Promise<Principal> {
    if (token.length > MAX_TOKEN_LENGTH || !BEARER_TOKEN.test(token)) {
      throw new TokenRejectedError('the access token is malformed');
    }
    const reference = REFERENCE_TOKEN_PREFIXES.some((prefix) => token.startsWith(prefix));
    if (!reference && COMPACT_JWS.test(token)) return this.jwt.verify(token);
    if (!this.introspection.configured) {
      throw new TokenRejectedError('this API accepts only JWT access tokens');
    }
    const prefixKind: UserKind | undefined = token.startsWith('erp_sat_')
      ? 'service'
      : reference
        ? 'internal'
        : undefined;
    const verdict = await this.cache.get(token, async () =>
      this.judge(await this.introspection.introspect(token), prefixKind),
    );
    if (!verdict.accepted) throw new TokenRejectedError(verdict.description);
    return verdict.value;
  }

  /** Whether an introspection answer makes the token good for this API, and as whom. */
  private judge(answer: IntrospectionAnswer, prefixKind: UserKind | undefined): CachedVerdict<Principal> {
    const refuse = (description: string): CachedVerdict<Principal> => ({ accepted: false, description });
    if (!answer.active) return refuse('the access token is not active');
    if (answer.iss !== undefined && answer.iss !== this.options.issuer)
      return refuse('the access token is from another issuer');
    if (answer.token_type !== undefined && !ACCESS_TOKEN_TYPES.has(answer.token_type.toLowerCase())) {
      return refuse('not an access token');
    }
    const audience = answer.aud === undefined ? [] : Array.isArray(answer.aud) ? answer.aud : [answer.aud];
    if (!audience.includes(this.options.audience)) return refuse('the access token is not for this API');
    const nowSec = Date.now() / 1000;
    const tolerance = this.options.clockToleranceSec;
    if (answer.exp !== undefined && answer.exp + tolerance <= nowSec)
      return refuse('the access token expired');
    if (answer.nbf !== undefined && answer.nbf - tolerance > nowSec)
      return refuse('the access token is not valid yet');
    // A personal access token names its user but no client; every token names someone.
    const clientId = answer.client_id ?? null;
    const subject = answer.sub ?? clientId;
    if (!subject) return refuse('the access token names no subject');
    const userKind =
      answer.erp_user_kind === undefined && prefixKind
        ? prefixKind
        : userKindOf(answer.erp_user_kind, subject, clientId);
    if (userKind === undefined || userKind === 'external') {
      return refuse('only internal users and service accounts may call instance APIs');
    }
    const expiresAtMs = answer.exp === undefined ? null : answer.exp * 1000;
    return {
      accepted: true,
      expiresAtMs,
      value: {
        subject,
        clientId,
        scopes: answer.scope ? answer.scope.split(' ').filter(Boolean) : [],
        userKind,
        tokenType: 'reference',
        audience,
        expiresAt: expiresAtMs === null ? null : new Date(expiresAtMs),
      },
    };
  }
}
