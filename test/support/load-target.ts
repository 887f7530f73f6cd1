import { freePort, type GatewayProcess } from './gateway-process';
import { loopbackFetch } from './loopback-fetch';
import type { LoadTarget } from './mixed-load';
import { createClient, createUser } from './sign-in-fixture';

/**
 * A load generator sends from one address what thousands of people would: the instance's request
 * limits are raised out of its way (the rate-limit suite tests the limits themselves).
 */
const LOAD_RATE_LIMITS = {
  signInPerAddress: 1_000_000,
  authorizePerAddress: 1_000_000,
  tokenPerAddress: 1_000_000,
  tokenPerClient: 1_000_000,
  introspectionPerAddress: 1_000_000,
};

/**
 * Creates an instance with a user, a client_credentials client and a confidential code-flow client
 * through `admin`, and reads its endpoints from discovery at `publicOrigin` (the load balancer), so
 * the issuer is the one every replica behind it serves.
 */
export async function prepareLoadTarget(
  admin: GatewayProcess,
  instance: string,
  publicOrigin: (instance: string) => string,
): Promise<LoadTarget> {
  const created = await admin.admin('POST', '/instances', {
    name: instance,
    policies: { rateLimits: LOAD_RATE_LIMITS },
  });
  if (created.status !== 201) throw new Error(`instance creation failed: ${created.status}`);
  const username = 'load-user';
  const password = 'correct horse battery staple';
  await createUser(admin, instance, { username, password, kind: 'internal' });
  const machine = await createClient(admin, instance, {
    clientId: 'nightly-sync',
    grantTypes: ['client_credentials'],
    scopes: ['update'],
  });
  // Nothing listens there: the flow stops at the redirect, whose Location carries the code.
  const redirectUri = `http://127.0.0.1:${await freePort()}/cb`;
  const portal = await createClient(admin, instance, {
    clientId: 'portal',
    grantTypes: ['authorization_code', 'refresh_token'],
    redirectUris: [redirectUri],
    scopes: ['openid', 'profile', 'offline_access', 'update'],
  });

  const issuer = `${publicOrigin(instance)}/id`;
  const discoveryUrl = `${issuer}/.well-known/openid-configuration`;
  const res = await loopbackFetch(discoveryUrl);
  if (res.status !== 200) throw new Error(`discovery answered ${res.status}`);
  const metadata = (await res.json()) as Record<string, string>;
  return {
    issuer,
    discoveryUrl,
    jwksUri: metadata.jwks_uri!,
    tokenEndpoint: metadata.token_endpoint!,
    authorizationEndpoint: metadata.authorization_endpoint!,
    machine: { clientId: machine.clientId, clientSecret: machine.clientSecret! },
    portal: { clientId: portal.clientId, clientSecret: portal.clientSecret!, redirectUri },
    username,
    password,
  };
}
