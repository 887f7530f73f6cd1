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

/**
 * A confidential first-party web app of the instance (no consent page), signing people in with
 * the code flow and PKCE; returns its secret.
 */
export async function createCodeFlowClient(
  gw: GatewayProcess,
  instance: string,
  clientId: string,
  redirectUri: string,
): Promise<string> {
  const res = await gw.admin<CreatedClient>('POST', `/instances/${instance}/clients`, {
    clientId,
    grantTypes: ['authorization_code', 'refresh_token'],
    redirectUris: [redirectUri],
    scopes: ['openid', 'profile', 'offline_access', 'update'],
  });
  if (res.status !== 201 || !res.body.clientSecret) {
    throw new Error(`creating client ${clientId} of ${instance}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return res.body.clientSecret;
}

/** An internal (licensed) user, who may get tokens for the instance's APIs; returns its id (the `sub`). */
export async function createInternalUser(
  gw: GatewayProcess,
  instance: string,
  username: string,
  password: string,
): Promise<string> {
  const res = await gw.admin<{ id?: string }>('POST', `/instances/${instance}/users`, {
    username,
    password,
    kind: 'internal',
  });
  if (res.status !== 201 || !res.body.id) {
    // The body names the rule that refused the user; the password is ours and not in it.
    throw new Error(`creating user ${username} of ${instance}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return res.body.id;
}
