import { randomBytes } from 'node:crypto';
import type { JSONWebKeySet } from 'jose';
import { freePort, type GatewayProcess } from '../../support/gateway-process';
import type { ConfidentialClient } from '../../support/headless-sign-in';
import { loopbackFetch } from '../../support/loopback-fetch';
import { runLimited } from '../cold/run-limited';
import { createCodeFlowClient, createInstance, createInternalUser } from '../gateway/provisioning';

export interface BenchUser {
  /** The user's id: the `sub` of every id_token issued to them. */
  id: string;
  username: string;
  password: string;
}

/** One instance with a portal client and its users, and what is needed to check an id_token. */
export interface SignInTarget {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  client: ConfidentialClient;
  users: readonly BenchUser[];
  /** The instance's JWKS as published before the run (no key rotates during a benchmark). */
  jwks: JSONWebKeySet;
}

/** Each creation hashes a password (argon2id): a few in parallel keep both cores busy, no more. */
const CREATE_CONCURRENCY = 4;

async function getJson<T>(url: string, what: string): Promise<T> {
  const res = await loopbackFetch(url, { headers: { accept: 'application/json' } });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${what}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

/**
 * Onboards the instance the sign-ins go to, through the admin API: a first-party confidential
 * client and `userCount` internal users, each with a password of their own, so every sign-in is a
 * correct password for an account no other sign-in is using and no lockout rule can come into play.
 */
export async function provisionSignInTarget(
  gw: GatewayProcess,
  instance: string,
  userCount: number,
): Promise<SignInTarget> {
  await createInstance(gw, instance);
  // Nothing listens there: the flow stops at the redirect, whose Location carries the code.
  const redirectUri = `http://127.0.0.1:${await freePort()}/callback`;
  const clientId = `${instance}-portal`;
  const clientSecret = await createCodeFlowClient(gw, instance, clientId, redirectUri);

  const users: BenchUser[] = [];
  const usernames = Array.from(
    { length: userCount },
    (_, i) => `bench-user-${String(i + 1).padStart(4, '0')}`,
  );
  await runLimited(usernames, CREATE_CONCURRENCY, async (username) => {
    const password = randomBytes(18).toString('base64url');
    users.push({ id: await createInternalUser(gw, instance, username, password), username, password });
  });

  const issuer = gw.issuer(instance);
  const discovery = await getJson<Record<string, unknown>>(
    `${issuer}/.well-known/openid-configuration`,
    `discovery of ${instance}`,
  );
  const endpoint = (name: string): string => {
    const value = discovery[name];
    if (typeof value !== 'string') throw new Error(`discovery of ${instance} has no ${name}`);
    return value;
  };
  if (discovery.issuer !== issuer)
    throw new Error(`discovery of ${instance}: issuer ${String(discovery.issuer)}`);
  return {
    issuer,
    authorizationEndpoint: endpoint('authorization_endpoint'),
    tokenEndpoint: endpoint('token_endpoint'),
    client: { clientId, clientSecret, redirectUri },
    users,
    jwks: await getJson<JSONWebKeySet>(endpoint('jwks_uri'), `JWKS of ${instance}`),
  };
}
