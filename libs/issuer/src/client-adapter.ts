import type { ClientEntity } from '@erp-id/persistence';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import { toClientMetadata } from './client-metadata';

export type ClientLookup = (clientId: string) => Promise<ClientEntity | null>;

/**
 * Read-only client store for one issuer, over the instance's clients in Postgres. Looked up once per
 * client and issuer (see client-cache.ts); clients are written through the admin API only.
 */
export function createClientAdapter(lookup: ClientLookup): Adapter {
  const refuse = (): never => {
    throw new Error('clients are managed through the admin API');
  };
  return {
    async find(id: string) {
      const row = await lookup(id);
      return row ? (toClientMetadata(row) as AdapterPayload) : undefined;
    },
    upsert: refuse,
    consume: refuse,
    destroy: refuse,
    revokeByGrantId: refuse,
    findByUid: async () => undefined,
    findByUserCode: async () => undefined,
  };
}
