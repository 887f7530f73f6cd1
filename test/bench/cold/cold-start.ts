import { setTimeout as sleep } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import type { GatewayProcess } from '../../support/gateway-process';
import { gatewayTokenTarget } from '../gateway/gateway-token-target';
import { createClientCredentialsClient, createInstance } from '../gateway/provisioning';
import { type LatencySummary, summarize } from '../latency-summary';
import type { TokenTarget } from '../token-target';
import { instanceRequests } from './instance-requests';
import { runLimited } from './run-limited';

export interface ColdStartResult {
  /** First request ever to an instance: registry load, issuer build, discovery. */
  discoveryFirst: LatencySummary;
  /** The same request right after, for scale. */
  discoveryWarm: LatencySummary;
  /** First request ever is a token request: also client lookup, argon2id check, RSA signature. */
  tokenFirst: LatencySummary;
  tokenWarm: LatencySummary;
  discoveryFirstSamplesMs: number[];
  tokenFirstSamplesMs: number[];
  /** Wall clock of onboarding all the instances (not part of any latency above). */
  provisioningMs: number;
}

const CREATE_CONCURRENCY = 4;
/** Lets the change-channel messages of the creations arrive before anything is measured. */
const SETTLE_MS = 500;

function names(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${String(i + 1).padStart(3, '0')}`);
}

/**
 * Onboards every instance first (creation cost is not what is measured), then sends each one its
 * very first request, one at a time so requests never queue behind each other. The names are new
 * and nothing has touched the public listener for them, so the registry and the issuer pool are cold.
 */
export async function measureColdStart(
  gw: GatewayProcess,
  discoveryCount: number,
  tokenCount: number,
): Promise<ColdStartResult> {
  const discoveryInstances = names('cold-d', discoveryCount);
  const tokenInstances = names('cold-t', tokenCount);
  const tokenTargets: TokenTarget[] = [];

  const provisioningStarted = performance.now();
  await runLimited(discoveryInstances, CREATE_CONCURRENCY, (name) => createInstance(gw, name));
  await runLimited(tokenInstances, CREATE_CONCURRENCY, async (name) => {
    await createInstance(gw, name);
    const clientId = `${name}-service`;
    const secret = await createClientCredentialsClient(gw, name, clientId);
    tokenTargets.push(gatewayTokenTarget(gw, name, clientId, secret));
  });
  const provisioningMs = performance.now() - provisioningStarted;
  await sleep(SETTLE_MS);
  global.gc?.();

  const requests = instanceRequests(gw);
  try {
    const discoveryFirst: number[] = [];
    const discoveryWarm: number[] = [];
    for (const name of discoveryInstances) {
      discoveryFirst.push(await requests.timedDiscovery(name));
      discoveryWarm.push(await requests.timedDiscovery(name));
    }
    const tokenFirst: number[] = [];
    const tokenWarm: number[] = [];
    for (const target of tokenTargets) {
      tokenFirst.push(await requests.timedToken(target));
      tokenWarm.push(await requests.timedToken(target));
    }
    return {
      discoveryFirst: summarize(discoveryFirst),
      discoveryWarm: summarize(discoveryWarm),
      tokenFirst: summarize(tokenFirst),
      tokenWarm: summarize(tokenWarm),
      discoveryFirstSamplesMs: discoveryFirst,
      tokenFirstSamplesMs: tokenFirst,
      provisioningMs,
    };
  } finally {
    await requests.close();
  }
}
