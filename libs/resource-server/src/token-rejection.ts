/**
 * The token is not acceptable (RFC 6750 `invalid_token`): malformed, expired, signed by someone
 * else, for another API, inactive. `description` is safe to show the caller; it never quotes the token.
 */
export class TokenRejectedError extends Error {
  constructor(readonly description: string) {
    super(description);
    this.name = 'TokenRejectedError';
  }
}

/**
 * The token could not be checked because the issuer is unreachable or misbehaving: a 503 (try
 * again), never a 401 that would make the client throw a possibly valid token away.
 */
export class VerifierUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'VerifierUnavailableError';
  }
}
