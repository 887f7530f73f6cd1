import { performance } from 'node:perf_hooks';
import type { GatewayProcess } from '../../support/gateway-process';
import type { InstanceRequests } from '../cold/instance-requests';
import { runLimited } from '../cold/run-limited';
import { createInstance } from '../gateway/provisioning';

/** Every how many creations the new instance's discovery is asked of the other replica. */
export const REPLICA_CHECK_EVERY = 10;

/** Discovery of new instances asked of another gateway process right after their 201. */
export interface ReplicaChecks {
  checked: number;
  ok: number;
  latenciesMs: number[];
  /** The first few failures, each naming the instance and what came back. */
  failures: string[];
}

export interface CreationRun {
  /** Wall-clock ms of each POST /admin/v1/instances, request to 201. */
  latenciesMs: number[];
  /** Wall clock of the whole run, replica checks included. */
  wallMs: number;
}

const KEPT_FAILURES = 5;

export const emptyReplicaChecks = (): ReplicaChecks => ({ checked: 0, ok: 0, latenciesMs: [], failures: [] });

/**
 * Onboards `names` through the admin API, `concurrency` requests in flight, timing each creation.
 * Every REPLICA_CHECK_EVERY-th instance is then fetched (discovery) from `replica` by the same
 * worker, before it creates the next one: "right after the 201" is exactly what is checked. A
 * replica answer other than the instance's own document is counted, not thrown: the run goes on and
 * the report says how many failed.
 */
export async function createInstances(
  gw: GatewayProcess,
  names: readonly string[],
  concurrency: number,
  replica: { requests: InstanceRequests; checks: ReplicaChecks; firstIndex: number } | undefined,
  progress: (created: number) => void = () => undefined,
  /** With concurrency 1: the i-th creation starts no earlier than i × paceMs after the first. */
  paceMs = 0,
): Promise<CreationRun> {
  const latenciesMs: number[] = [];
  const started = performance.now();
  const indexed = names.map((name, i) => ({ name, index: (replica?.firstIndex ?? 0) + i + 1, i }));
  await runLimited(indexed, concurrency, async ({ name, index, i }) => {
    const due = started + i * paceMs - performance.now();
    if (due > 0) await new Promise((r) => setTimeout(r, due));
    const requested = performance.now();
    // A plain onboarding request: no policies, as most instances start.
    await createInstance(gw, name, {});
    latenciesMs.push(performance.now() - requested);
    progress(latenciesMs.length);
    if (!replica || index % REPLICA_CHECK_EVERY !== 0) return;
    const { checks } = replica;
    checks.checked++;
    try {
      checks.latenciesMs.push(await replica.requests.timedDiscovery(name));
      checks.ok++;
    } catch (err) {
      if (checks.failures.length < KEPT_FAILURES) checks.failures.push((err as Error).message);
    }
  });
  return { latenciesMs, wallMs: performance.now() - started };
}
