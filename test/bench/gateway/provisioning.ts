import type { GatewayProcess } from '../../support/gateway-process';

interface CreatedClient {
  clientId: string;
  clientSecret: string | null;
}

/** Onboards an instance through the admin API, as the hosting provider would. */
export async function createInstance(gw: GatewayProcess, name: string): Promise<void> {
  const res = await gw.admin('POST', '/instances', { name, displayName: `Benchmark ${name}` });
  if (res.status !== 201)
    throw new Error(`creating instance ${name}: ${res.status} ${JSON.stringify(res.body)}`);
}

/** A confidential client-credentials client of the instance; returns the secret, shown only once. */
export async function createClientCredentialsClient(
  gw: GatewayProcess,
  instance: string,
  clientId: string,
): Promise<string> {
  const res = await gw.admin<CreatedClient>('POST', `/instances/${instance}/clients`, {
    clientId,
    grantTypes: ['client_credentials'],
    scopes: ['read', 'update'],
  });
  if (res.status !== 201 || !res.body.clientSecret) {
    throw new Error(`creating client ${clientId} of ${instance}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return res.body.clientSecret;
}
