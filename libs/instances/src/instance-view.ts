import type {
  InstanceApiIdentifiers,
  InstanceEntity,
  InstanceSite,
  InstanceStatus,
} from '@erp-id/persistence';
import { type InstancePolicies, instancePolicies } from '@erp-id/policies';

/** An instance as the admin API and CLI show it. */
export interface InstanceView {
  id: string;
  name: string;
  displayName: string | null;
  status: InstanceStatus;
  version: number;
  /** The issuer at the instance's own host; each custom domain has its own (`https://<domain>/id`). */
  issuer: string;
  /** null: the default sites. */
  sites: InstanceSite[] | null;
  customDomains: string[];
  /** API identifier overrides; null: the defaults (`<issuer host>/api/domain`, `/api/table`). */
  apis: InstanceApiIdentifiers | null;
  /** Effective policies, defaults filled in. */
  policies: InstancePolicies;
  createdAt: string;
  updatedAt: string;
}

export function toInstanceView(
  row: InstanceEntity,
  customDomains: readonly string[],
  publicOrigin: (name: string) => string,
): InstanceView {
  return {
    id: row.id,
    name: row.name,
    displayName: row.displayName,
    status: row.status,
    version: row.version,
    issuer: `${publicOrigin(row.name)}/id`,
    sites: row.sites,
    customDomains: [...customDomains],
    apis: row.apis ?? null,
    policies: instancePolicies(row.policies),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
