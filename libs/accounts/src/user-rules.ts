import type { UserKind, UserStatus } from '@erp-id/persistence';

export const USER_KINDS: readonly UserKind[] = ['internal', 'external'];
export const USER_STATUSES: readonly UserStatus[] = ['active', 'disabled'];

export const USERNAME_MAX_LENGTH = 200;
export const PASSWORD_MIN_LENGTH = 8;
// argon2 accepts any length; the cap keeps one request from buying a long hash computation.
export const PASSWORD_MAX_LENGTH = 256;
export const DISPLAY_NAME_MAX_LENGTH = 200;
export const EMAIL_MAX_LENGTH = 320;

export class UserRuleViolation extends Error {
  override readonly name = 'UserRuleViolation';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export interface CheckedUsername {
  /** As given, without surrounding whitespace: what the user sees. */
  username: string;
  /** What uniqueness and sign-in compare. */
  normalized: string;
}

// Control characters would let a name print as another one in logs and lists.
const CONTROL_CHARACTERS = /\p{Cc}/u;

/**
 * The form two usernames are compared in: NFKC folds compatibility forms (full-width letters,
 * ligatures) into their plain letters, then case is dropped; NFKC again because lower-casing can
 * produce a sequence NFKC would compose differently.
 */
export function normalizeUsername(raw: string): string {
  return raw.trim().normalize('NFKC').toLowerCase().normalize('NFKC');
}

export function checkUsername(raw: string): CheckedUsername {
  const username = raw.trim();
  const normalized = normalizeUsername(raw);
  if (username.length === 0 || normalized.length === 0) {
    throw new UserRuleViolation('username', 'username must not be empty');
  }
  // Both forms are stored in columns of this length; NFKC can make a name longer.
  if (username.length > USERNAME_MAX_LENGTH || normalized.length > USERNAME_MAX_LENGTH) {
    throw new UserRuleViolation('username', `username must be at most ${USERNAME_MAX_LENGTH} characters`);
  }
  if (CONTROL_CHARACTERS.test(username)) {
    throw new UserRuleViolation('username', 'username must not contain control characters');
  }
  return { username, normalized };
}

export function checkPassword(password: string): void {
  if (password.length < PASSWORD_MIN_LENGTH || password.length > PASSWORD_MAX_LENGTH) {
    throw new UserRuleViolation(
      'password',
      `password must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters`,
    );
  }
}

/** A display name without surrounding whitespace; `null` clears it. */
export function checkDisplayName(raw: string | null): string | null {
  if (raw === null) return null;
  const name = raw.trim();
  if (name.length === 0 || name.length > DISPLAY_NAME_MAX_LENGTH) {
    throw new UserRuleViolation('name', `name must be 1 to ${DISPLAY_NAME_MAX_LENGTH} characters`);
  }
  return name;
}

/** An e-mail address without surrounding whitespace; `null` clears it. Its syntax is the caller's check. */
export function checkEmail(raw: string | null): string | null {
  if (raw === null) return null;
  const email = raw.trim();
  if (email.length === 0 || email.length > EMAIL_MAX_LENGTH || !email.includes('@')) {
    throw new UserRuleViolation('email', 'email must be an e-mail address');
  }
  return email;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** User ids are uuids; anything else cannot name a user and must not reach a uuid column. */
export function isUserId(value: string): boolean {
  return UUID.test(value);
}
