/** Letters are lower case so that a name is unique by its spelling alone. */
export const SERVICE_ACCOUNT_NAME = /^[a-z0-9][a-z0-9._-]*$/;
export const SERVICE_ACCOUNT_NAME_MAX_LENGTH = 100;
export const SERVICE_ACCOUNT_DESCRIPTION_MAX_LENGTH = 1000;
export const SERVICE_ACCOUNT_STATUSES = ['active', 'disabled'] as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isServiceAccountId(value: string): boolean {
  return UUID.test(value);
}

/** The client id of a service account's client: derived from the account's id, so it never collides. */
export function serviceAccountClientId(serviceAccountId: string): string {
  return `sa-${serviceAccountId}`;
}

export class ServiceAccountRuleViolation extends Error {
  override readonly name = 'ServiceAccountRuleViolation';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** Checks what the admin API's schema also checks, for callers (the CLI) that skip it. */
export function checkServiceAccountName(name: string): void {
  if (
    name.length === 0 ||
    name.length > SERVICE_ACCOUNT_NAME_MAX_LENGTH ||
    !SERVICE_ACCOUNT_NAME.test(name)
  ) {
    throw new ServiceAccountRuleViolation(
      'name',
      `must be 1 to ${SERVICE_ACCOUNT_NAME_MAX_LENGTH} lower-case letters, digits and . _ - starting with a letter or digit`,
    );
  }
}

export function checkServiceAccountScopes(scopes: readonly string[], allowed: readonly string[]): void {
  if (scopes.length === 0)
    throw new ServiceAccountRuleViolation('scopes', 'at least one API scope is required');
  const unknown = scopes.filter((s) => !allowed.includes(s));
  if (unknown.length) {
    throw new ServiceAccountRuleViolation(
      'scopes',
      `unknown API scope(s) ${unknown.join(', ')}; the instance APIs have ${allowed.join(', ')}`,
    );
  }
}

export function checkServiceAccountDescription(description: string | null): string | null {
  if (description === null) return null;
  const trimmed = description.trim();
  if (trimmed.length > SERVICE_ACCOUNT_DESCRIPTION_MAX_LENGTH) {
    throw new ServiceAccountRuleViolation(
      'description',
      `must be at most ${SERVICE_ACCOUNT_DESCRIPTION_MAX_LENGTH} characters`,
    );
  }
  return trimmed.length ? trimmed : null;
}
