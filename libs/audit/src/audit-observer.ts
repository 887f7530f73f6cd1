/** Injection token of the optional {@link AuditObserver}; recording works the same without one. */
export const AUDIT_OBSERVER = Symbol('AUDIT_OBSERVER');

/** Where an audit event came from, for counting failed writes. */
export type AuditSource = 'admin' | 'sign_in' | 'system';

/** Hooks for metrics. Implementations must not throw: they run where a failed write is handled. */
export interface AuditObserver {
  writeFailed(source: AuditSource): void;
}
