import { LRUCache } from 'lru-cache';
import type Provider from 'oidc-provider';

type ProviderClient = InstanceType<Provider['Client']>;

/** Client ids that do not exist, remembered so guessed ids do not each reach Postgres. */
const MAX_UNKNOWN_IDS = 1000;

/**
 * Keeps one issuer's client objects for the issuer's lifetime. oidc-provider re-reads a stored
 * client on every request and fingerprints its metadata (JSON + SHA-256) to find the object it
 * built before; that costs more than the rest of client authentication. Any change to an instance's
 * clients bumps the instance's version, which replaces the issuer and this cache with it.
 */
export function installClientCache(provider: Provider): void {
  const Client = provider.Client;
  const find = Client.find.bind(Client);
  const known = new Map<string, ProviderClient>();
  const unknown = new LRUCache<string, true>({ max: MAX_UNKNOWN_IDS });
  Client.find = async (id: string): Promise<ProviderClient | undefined> => {
    const hit = known.get(id);
    if (hit) return hit;
    if (typeof id !== 'string' || unknown.has(id)) return undefined;
    const client = await find(id);
    if (client) known.set(id, client);
    else unknown.set(id, true);
    return client;
  };
}
