import Provider from 'oidc-provider';
import { createClientAdapter } from './client-adapter';
import { installClientCache } from './client-cache';
import type { ClientEntity } from '@erp-id/persistence';

function storedClient(clientId: string): ClientEntity {
  return {
    clientId,
    clientName: null,
    secretHash: 'not-a-secret',
    tokenEndpointAuthMethod: 'client_secret_basic',
    grantTypes: ['client_credentials'],
    responseTypes: [],
    redirectUris: [],
    postLogoutRedirectUris: [],
    backchannelLogoutUri: null,
    frontchannelLogoutUri: null,
    requireConsent: false,
    scopes: ['read'],
  } as unknown as ClientEntity;
}

describe('installClientCache', () => {
  it('reads each client once per issuer and remembers unknown ids', async () => {
    const lookups: string[] = [];
    const adapter = createClientAdapter(async (id) => {
      lookups.push(id);
      return id === 'known' ? storedClient(id) : null;
    });
    const provider = new Provider('https://acme.example/id', {
      adapter: () => adapter,
      clientDefaults: { grant_types: ['client_credentials'], response_types: [] },
      features: { clientCredentials: { enabled: true } },
    });
    installClientCache(provider);

    const first = await provider.Client.find('known');
    const second = await provider.Client.find('known');
    expect(first?.clientId).toBe('known');
    expect(second).toBe(first);
    expect(await provider.Client.find('guessed')).toBeUndefined();
    expect(await provider.Client.find('guessed')).toBeUndefined();
    expect(lookups).toEqual(['known', 'guessed']);
  });
});
