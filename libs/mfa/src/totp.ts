import { Secret, TOTP } from 'otpauth';

/**
 * RFC 6238 with the parameters every authenticator app understands: SHA-1, 6 digits, 30 seconds.
 * Other choices are silently ignored by some apps, which then show codes that never match.
 */
const PERIOD_SECONDS = 30;
const DIGITS = 6;
const ALGORITHM = 'SHA1';
/** 160 bits, the HMAC-SHA-1 block-size recommendation of RFC 4226. */
const SECRET_BYTES = 20;
/** Codes of the previous and the next step count too: clocks drift and people type slowly. */
export const TOTP_WINDOW_STEPS = 1;

const TOTP_CODE = /^\d{6}$/;

/** A fresh shared secret, base32 as authenticator apps take it. */
export function newTotpSecret(): string {
  return new Secret({ size: SECRET_BYTES }).base32;
}

/** Whether the text has the shape of a TOTP code (recovery codes do not). */
export function looksLikeTotpCode(code: string): boolean {
  return TOTP_CODE.test(code);
}

function totp(secretBase32: string, issuer = '', label = 'user'): TOTP {
  return new TOTP({
    issuer,
    label,
    algorithm: ALGORITHM,
    digits: DIGITS,
    period: PERIOD_SECONDS,
    secret: Secret.fromBase32(secretBase32),
    issuerInLabel: issuer !== '',
  });
}

/** The `otpauth://` URI an authenticator app scans: the instance as issuer, the username as label. */
export function totpUri(secretBase32: string, issuer: string, label: string): string {
  return totp(secretBase32, issuer, label).toString();
}

/** The code for a moment (tests and the enrollment check use it). */
export function totpCodeAt(secretBase32: string, timestampMs: number): string {
  return totp(secretBase32).generate({ timestamp: timestampMs });
}

export type TotpMatch =
  { outcome: 'accepted'; step: number } | { outcome: 'invalid' } | { outcome: 'replayed' };

/**
 * Checks a code against the secret within the window and against the last step accepted before:
 * a code of that step or an earlier one is refused, so an observed code cannot be used again,
 * not even a neighbour of one already used.
 */
export function matchTotp(
  secretBase32: string,
  code: string,
  nowMs: number,
  lastUsedStep: number | null,
): TotpMatch {
  if (!looksLikeTotpCode(code)) return { outcome: 'invalid' };
  const delta = totp(secretBase32).validate({ token: code, timestamp: nowMs, window: TOTP_WINDOW_STEPS });
  if (delta === null) return { outcome: 'invalid' };
  const step = TOTP.counter({ period: PERIOD_SECONDS, timestamp: nowMs }) + delta;
  if (lastUsedStep !== null && step <= lastUsedStep) return { outcome: 'replayed' };
  return { outcome: 'accepted', step };
}
