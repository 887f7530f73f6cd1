import type { ClientEntity, ServiceAccountEntity, ServiceAccountStatus } from '@erp-id/persistence';

/** A service account as the admin API shows it, with the client id it authenticates as. */
export interface ServiceAccountView {
  id: string;
  name: string;
  description: string | null;
  scopes: string[];
  status: ServiceAccountStatus;
  clientId: string;
  /** Until when the secret replaced by the last rotation still authenticates; null when it does not. */
  previousSecretExpiresAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A new service account, or one whose secret was just rotated: the secret is shown once. */
export interface ServiceAccountWithSecret extends ServiceAccountView {
  clientSecret: string;
}

export interface ServiceAccountPage {
  items: ServiceAccountView[];
  total: number;
}

export function toServiceAccountView(
  row: ServiceAccountEntity,
  client: Pick<ClientEntity, 'clientId' | 'previousSecretExpiresAt'>,
  now = new Date(),
): ServiceAccountView {
  const grace = client.previousSecretExpiresAt;
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    scopes: row.scopes,
    status: row.status,
    clientId: client.clientId,
    previousSecretExpiresAt: grace !== null && grace > now ? grace.toISOString() : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
