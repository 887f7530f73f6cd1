import type { ClientEntity } from '@erp-id/persistence';
import { LRUCache } from 'lru-cache';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import { toClientMetadata } from './client-metadata';

export type ClientLookup = (clientId: string) => Promise<ClientEntity | null>;

const NOT_FOUND = Symbol('not-found');

/**
 * Read-only client store for one issuer. Lookups are cached for the issuer's lifetime: any change to
 * the instance's clients bumps its version, which replaces the issuer and with it this cache.
 */
export function createClientAdapter(lookup: ClientLookup): Adapter {
  const cache = new LRUCache<string, AdapterPayload | typeof NOT_FOUND>({ max: 1000, ttl: 60_000 });
  const refuse = (): never => {
    throw new Error('clients are managed through the admin API');
  };
  return {
    async find(id: string) {
      const hit = cache.get(id);
      if (hit !== undefined) return hit === NOT_FOUND ? undefined : hit;
      const row = await lookup(id);
      const payload = row ? (toClientMetadata(row) as AdapterPayload) : undefined;
      cache.set(id, payload ?? NOT_FOUND);
      return payload;
    },
    upsert: refuse,
    consume: refuse,
    destroy: refuse,
    revokeByGrantId: refuse,
    findByUid: async () => undefined,
    findByUserCode: async () => undefined,
  };
}
