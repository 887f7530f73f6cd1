import type { GatewayProcess } from '../../support/gateway-process';

interface CreatedClient {
  clientId: string;
  clientSecret: string | null;
}

/** The most a limit allows: every request is counted (the limiter's cost is in), none refused. */
const UNREACHABLE = 10_000_000;

/**
 * Rate limits a benchmark never reaches: one load generator sends from one address far more than
 * any person or app would, which the default limits exist to refuse.
 */
export const UNREACHED_RATE_LIMITS = {
  rateLimits: {
    signInPerAddress: UNREACHABLE,
    authorizePerAddress: UNREACHABLE,
    tokenPerAddress: UNREACHABLE,
    tokenPerClient: UNREACHABLE,
    introspectionPerAddress: UNREACHABLE,
  },
};

/** No rate limits at all: nothing is counted (the rate-limits scenario's baseline). */
export const NO_RATE_LIMITS = {
  rateLimits: {
    signInPerAddress: 0,
    authorizePerAddress: 0,
    tokenPerAddress: 0,
    tokenPerClient: 0,
    introspectionPerAddress: 0,
  },
};

/** Onboards an instance through the admin API, as the hosting provider would. */
export async function createInstance(
  gw: GatewayProcess,
  name: string,
  policies: Record<string, unknown> = UNREACHED_RATE_LIMITS,
): Promise<void> {
  const res = await gw.admin('POST', '/instances', { name, displayName: `Benchmark ${name}`, policies });
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
