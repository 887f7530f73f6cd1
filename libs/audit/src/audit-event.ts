/** What an audit event is about. */
export interface AuditTarget {
  /** `instance`, `client`, `user`, `signing_key`, `policies`, … */
  type: string;
  id: string;
}

/** Who: an admin token's name, a user, or this for the gateway's own jobs. */
export const SYSTEM_ACTOR = 'system';

/** Who, when a browser was turned away before anyone could name themselves (a refused sign-in address). */
export const ANONYMOUS_ACTOR = 'anonymous';

export interface AuditEventInput {
  instanceId: string;
  actor: string;
  /** `<subject>.<verb>`: `instance.created`, `client.updated`, `sign_in.failed`, `keys.rotated`, … */
  action: string;
  target?: AuditTarget | null;
  /** The caller's address (admin caller, or the signing-in browser), as trusted proxies report it. */
  sourceAddress?: string | null;
  /** Small, never secret: see sanitizeDetails. */
  details?: Record<string, unknown>;
}

/** An audit event as the admin API answers it. */
export interface AuditEventView {
  id: string;
  occurredAt: string;
  actor: string;
  action: string;
  target: AuditTarget | null;
  sourceAddress: string | null;
  details: Record<string, unknown>;
}
