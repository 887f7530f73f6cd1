import type { InstanceApiIdentifiers, InstanceSite, InstanceStatus } from '@erp-id/persistence';

export interface CreateInstanceInput {
  name: string;
  displayName?: string;
  /** Sites listed by `/sys/auto-discovery` besides the identity server; absent means the defaults. */
  sites?: InstanceSite[];
  customDomains?: string[];
  /** A partial policy document; unset fields keep their defaults. */
  policies?: Record<string, unknown>;
  /** Identifiers of the instance APIs replacing `<root>/api/domain` and `<root>/api/table`. */
  apis?: InstanceApiIdentifiers;
}

/** A change to an instance: absent fields stay as they are. */
export interface InstancePatch {
  /** null clears it. */
  displayName?: string | null;
  /** Replaces the list; null goes back to the default sites. */
  sites?: InstanceSite[] | null;
  /** Replaces the set of custom domains. */
  customDomains?: string[];
  /** Merged into the stored policies (JSON Merge Patch: null resets a field to its default). */
  policies?: Record<string, unknown>;
  status?: InstanceStatus;
  /** Replaces the API identifier overrides; null goes back to the defaults. */
  apis?: InstanceApiIdentifiers | null;
}

export interface InstanceListQuery {
  limit: number;
  offset: number;
  status?: InstanceStatus;
}
