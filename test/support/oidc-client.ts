import * as client from 'openid-client';
import { loopbackCustomFetch } from './loopback-fetch';

/** A relying party configuration for an instance issuer on a `*.localhost` host over plain http. */
export async function discoverClient(
  issuer: string,
  clientId: string,
  clientSecret: string,
): Promise<client.Configuration> {
  const config = await client.discovery(
    new URL(issuer),
    clientId,
    clientSecret,
    client.ClientSecretBasic(clientSecret),
    {
      execute: [client.allowInsecureRequests],
      [client.customFetch]: loopbackCustomFetch as unknown as typeof fetch,
    },
  );
  return config;
}

export { client };
