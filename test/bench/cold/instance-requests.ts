import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';
import type { GatewayProcess } from '../../support/gateway-process';
import { assertIssuesExpectedToken } from '../token-check';
import type { TokenTarget } from '../token-target';

/**
 * One keep-alive connection pool for every instance: the Host header picks the instance, so a
 * measured first request pays for the gateway's work, not for a TCP handshake.
 */
const agent = new Agent({ keepAliveTimeout: 30_000, connections: 1 });

export async function closeInstanceAgent(): Promise<void> {
  await agent.close();
}

/** GET discovery of an instance; returns the wall-clock time and fails on anything but its own document. */
export async function timedDiscovery(gw: GatewayProcess, instance: string): Promise<number> {
  const started = performance.now();
  const res = await request(`http://127.0.0.1:${gw.port}/id/.well-known/openid-configuration`, {
    headers: { host: new URL(gw.origin(instance)).host, accept: 'application/json' },
    dispatcher: agent,
  });
  const text = await res.body.text();
  const elapsed = performance.now() - started;
  if (res.statusCode !== 200)
    throw new Error(`discovery of ${instance}: ${res.statusCode} ${text.slice(0, 300)}`);
  const doc = JSON.parse(text) as { issuer?: string };
  if (doc.issuer !== gw.issuer(instance)) throw new Error(`discovery of ${instance}: issuer ${doc.issuer}`);
  return elapsed;
}

/** A client-credentials token request, checked (status, alg, typ, aud, scope); returns its wall-clock time. */
export async function timedToken(target: TokenTarget): Promise<number> {
  const started = performance.now();
  await assertIssuesExpectedToken(target, agent);
  return performance.now() - started;
}
