/**
 * Keys whose values are, or may be, secrets. Matching is generous on purpose: a field such as
 * `tokenEndpointAuthMethod` is dropped too, which costs a detail, never a secret.
 */
const SECRET_KEY =
  /pass(word|phrase)?|secret|token|hash|credential|private|cookie|authori[sz]ation|verifier|otp|^code$|^key$|^jwk|^d$/i;

/** Values that are secrets whatever their key: admin tokens, JWTs, PEM keys. */
const SECRET_VALUE = /^erp_adm_|^eyJ[\w-]+\.[\w-]+\.|-----BEGIN /;

const MAX_DEPTH = 4;
const MAX_STRING = 200;
const MAX_ENTRIES = 50;

export const REDACTED = '[redacted]';

export interface SanitizedDetails {
  details: Record<string, unknown>;
  /** Paths of the fields that were dropped (for a warning; never their values). */
  dropped: string[];
}

/**
 * The details of an audit event, without anything that could be a secret: keys that name one are
 * dropped, values that look like one are replaced, and size is bounded (depth, entries, string
 * length) so a caller cannot turn the audit log into storage.
 */
export function sanitizeDetails(details: Record<string, unknown> | undefined): SanitizedDetails {
  const dropped: string[] = [];
  const clean = (value: unknown, path: string, depth: number): unknown => {
    if (value === null || typeof value === 'boolean') return value;
    if (typeof value === 'number') return Number.isFinite(value) ? value : null;
    if (typeof value === 'string') {
      if (SECRET_VALUE.test(value)) return REDACTED;
      return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
    }
    if (depth >= MAX_DEPTH) return '[truncated]';
    if (Array.isArray(value)) {
      return value.slice(0, MAX_ENTRIES).map((item, i) => clean(item, `${path}[${i}]`, depth + 1));
    }
    if (typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, inner] of Object.entries(value as Record<string, unknown>).slice(0, MAX_ENTRIES)) {
        const at = path ? `${path}.${key}` : key;
        if (SECRET_KEY.test(key)) {
          dropped.push(at);
          continue;
        }
        const cleaned = clean(inner, at, depth + 1);
        if (cleaned !== undefined) out[key] = cleaned;
      }
      return out;
    }
    // Functions, symbols, bigints and undefined have no JSON form worth keeping.
    return undefined;
  };
  const result = details === undefined ? {} : (clean(details, '', 0) as Record<string, unknown>);
  return { details: result, dropped };
}
