import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Crockford's base32: no I, L, O or U, so a code read aloud or copied by hand survives. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_LENGTH = 16;
const GROUP = 4;
export const RECOVERY_CODE_COUNT = 10;
const SALT_BYTES = 16;

/**
 * A recovery code carries 80 random bits. That is why a salted SHA-256 digest is enough to store
 * it: a slow hash protects guessable secrets (passwords), and 2^80 guesses per code are out of
 * reach however fast the hash is. A slow hash would also cost one run per stored code on every
 * attempt, since the presented code has to be compared with each unused one.
 */
export function newRecoveryCode(): string {
  const bytes = randomBytes(CODE_LENGTH);
  let code = '';
  // 256 is a multiple of 32: the low five bits of a random byte are uniform.
  for (const b of bytes) code += ALPHABET[b & 31];
  return code.match(new RegExp(`.{${GROUP}}`, 'g'))!.join('-');
}

/**
 * The canonical form of what someone typed: case, spaces and dashes do not matter, and the letters
 * Crockford's alphabet leaves out read as the digits they look like. Null when it cannot be a code.
 */
export function normalizeRecoveryCode(input: string): string | null {
  const code = input.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  if (code.length !== CODE_LENGTH) return null;
  for (const c of code) if (!ALPHABET.includes(c)) return null;
  return code;
}

function digest(salt: Buffer, normalized: string): Buffer {
  return createHash('sha256').update(salt).update(normalized, 'utf8').digest();
}

/** `<salt>.<sha256(salt || code)>`, base64url; every code has its own salt. */
export function digestRecoveryCode(code: string): string {
  const normalized = normalizeRecoveryCode(code);
  if (normalized === null) throw new TypeError('not a recovery code');
  const salt = randomBytes(SALT_BYTES);
  return `${salt.toString('base64url')}.${digest(salt, normalized).toString('base64url')}`;
}

/** Whether a presented code (any spelling {@link normalizeRecoveryCode} accepts) is the stored one. */
export function recoveryCodeMatches(stored: string, presented: string): boolean {
  const normalized = normalizeRecoveryCode(presented);
  const [salt, expected, ...rest] = stored.split('.');
  if (normalized === null || !salt || !expected || rest.length) return false;
  const want = Buffer.from(expected, 'base64url');
  const got = digest(Buffer.from(salt, 'base64url'), normalized);
  return want.length === got.length && timingSafeEqual(want, got);
}
