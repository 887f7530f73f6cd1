import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';
import type { GatewayProcess } from '../../support/gateway-process';
import { assertIssuesExpectedToken } from '../token-check';
import type { TokenTarget } from '../token-target';

export interface InstanceRequests {
  /** GET discovery of an instance: wall-clock ms; fails on anything but the instance's own document. */
  timedDiscovery(instance: string): Promise<number>;
  /** A checked client-credentials token request (status, alg, typ, aud, scope): wall-clock ms. */
  timedToken(target: TokenTarget): Promise<number>;
  close(): Promise<void>;
}

/**
 * Timed single requests to instances over one keep-alive connection: the Host header picks the
 * instance, so a measured first request pays for the gateway's work, not for a TCP handshake.
 */
export function instanceRequests(gw: GatewayProcess): InstanceRequests {
  const agent = new Agent({ keepAliveTimeout: 30_000, connections: 1 });
  return {
    async timedDiscovery(instance) {
      const started = performance.now();
      const res = await request(`http://127.0.0.1:${gw.port}/id/.well-known/openid-configuration`, {
        headers: { host: new URL(gw.origin(instance)).host, accept: 'application/json' },
        dispatcher: agent,
      });
      const text = await res.body.text();
      const elapsed = performance.now() - started;
      if (res.statusCode !== 200) {
        throw new Error(`discovery of ${instance}: ${res.statusCode} ${text.slice(0, 300)}`);
      }
      const doc = JSON.parse(text) as { issuer?: string };
      if (doc.issuer !== gw.issuer(instance))
        throw new Error(`discovery of ${instance}: issuer ${doc.issuer}`);
      return elapsed;
    },
    async timedToken(target) {
      const started = performance.now();
      await assertIssuesExpectedToken(target, agent);
      return performance.now() - started;
    },
    close: () => agent.close(),
  };
}
