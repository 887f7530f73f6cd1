import type { InstanceApiIdentifiers, InstanceSite, InstanceStatus } from '@erp-id/persistence';

/** The cached, read-only view of an instance that serving a request needs. */
export interface InstanceRecord {
  readonly id: string;
  readonly name: string;
  readonly displayName: string | null;
  readonly status: InstanceStatus;
  readonly version: number;
  readonly sites: readonly InstanceSite[] | null;
  readonly policies: Readonly<Record<string, unknown>>;
  /** API identifiers replacing the defaults derived from the instance's root URL; null: the defaults. */
  readonly apis: Readonly<InstanceApiIdentifiers> | null;
  /** Sealed cookie keys; opened only by the issuer build. */
  readonly sealedCookieKeys: string;
}
