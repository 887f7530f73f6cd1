import type { Page } from 'playwright-core';
import { GatewayProcess } from './gateway-process';
import { client, discoverClient } from './oidc-client';
import { loopbackCustomFetch } from './loopback-fetch';

export interface CreatedUser {
  id: string;
  username: string;
}

export interface CreatedClientCredentials {
  clientId: string;
  clientSecret: string | null;
}

/** Admin calls the sign-in suites share, failing loudly on anything but success. */
export async function createUser(
  gw: GatewayProcess,
  instance: string,
  body: { username: string; password: string; kind: 'internal' | 'external'; name?: string; email?: string },
): Promise<CreatedUser> {
  const res = await gw.admin<CreatedUser>('POST', `/instances/${instance}/users`, body);
  if (res.status !== 201) throw new Error(`user creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function createClient(
  gw: GatewayProcess,
  instance: string,
  body: Record<string, unknown>,
): Promise<CreatedClientCredentials> {
  const res = await gw.admin<CreatedClientCredentials>('POST', `/instances/${instance}/clients`, body);
  if (res.status !== 201)
    throw new Error(`client creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** An openid-client configuration for a public client (no secret, PKCE only). */
export async function discoverPublicClient(issuer: string, clientId: string): Promise<client.Configuration> {
  return client.discovery(new URL(issuer), clientId, undefined, client.None(), {
    execute: [client.allowInsecureRequests],
    [client.customFetch]: loopbackCustomFetch as unknown as typeof fetch,
  });
}

export { discoverClient };

/** Fills and submits the sign-in form the way a person does. */
export async function signInWithForm(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Sign in' }).click()]);
}

/**
 * Signs in where the flow ends at an app host the test machine cannot reach (an https callback):
 * returns the redirect Location aimed at `callbackPrefix`, fragment included, as the browser got it.
 */
export async function signInExpectingRedirect(
  page: Page,
  username: string,
  password: string,
  callbackPrefix: string,
): Promise<URL> {
  const location = new Promise<string>((resolve) => {
    page.on('response', (response) => {
      const target = response.headers()['location'];
      if (target?.startsWith(callbackPrefix)) resolve(target);
    });
  });
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  return new URL(await location);
}
