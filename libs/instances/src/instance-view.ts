import type { InstanceEntity, InstanceSite, InstanceStatus } from '@erp-id/persistence';

/** An instance as the admin API and CLI show it. */
export interface InstanceView {
  id: string;
  name: string;
  displayName: string | null;
  status: InstanceStatus;
  version: number;
  issuer: string;
  sites: InstanceSite[] | null;
  createdAt: string;
  updatedAt: string;
}

export function toInstanceView(row: InstanceEntity, publicOrigin: (name: string) => string): InstanceView {
  return {
    id: row.id,
    name: row.name,
    displayName: row.displayName,
    status: row.status,
    version: row.version,
    issuer: `${publicOrigin(row.name)}/id`,
    sites: row.sites,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
