import type { BenchConfig } from '../bench-config';
import { instanceRequests } from '../cold/instance-requests';
import { startCpuWindow } from '../process-cpu';
import type { GatewayStack } from '../gateway/gateway-stack';
import { type LatencySummary, summarize } from '../latency-summary';
import { HeapProbe, inspectorUrlIn, liveBytes, type MemorySample } from './heap-probe';
import { createInstances, emptyReplicaChecks, type ReplicaChecks } from './instance-creation';

/** The first memory reading after this many instances (or all of them, if fewer are created). */
export const FIRST_CHECKPOINT = 1000;
/** A progress line every this many creations: a default run creates for many minutes. */
const PROGRESS_EVERY = 500;

export interface MemoryCheckpoint {
  label: string;
  instances: number;
  warm: number;
  memory: MemorySample;
}

export interface OnboardingResult {
  concurrency: number;
  /** Start-to-start interval of the one-at-a-time creations. */
  paceMs: number;
  instances: number;
  creation: {
    /** Creations one at a time (an operator onboarding back to back): what the target is about. */
    latency: LatencySummary;
    /** The bulk creations, `concurrency` at a time (informational). */
    bulkLatency: LatencySummary;
    /** Instances created over the seconds spent creating them (memory readings excluded). */
    instancesPerSec: number;
    wallSec: number;
    /** CPU of the gateway process (all threads: key generation runs on libuv workers) per creation. */
    gatewayCpuMsPerInstance?: number;
    /**
     * Cores busy with anything but the gateway and the benchmark while creating: Postgres, Redis and
     * the second gateway's discoveries, and whatever else runs on the machine.
     */
    otherCores?: number;
  };
  /** Undefined on the embedded backends: there is no second process to ask. */
  replica?: ReplicaChecks & { latency: LatencySummary };
  warm: {
    count: number;
    /** The request that made each instance warm: its first discovery on this gateway. */
    firstDiscovery: LatencySummary;
  };
  checkpoints: MemoryCheckpoint[];
  /** (live bytes at the first checkpoint − at start) ÷ its instances: includes one-time costs. */
  bytesPerColdFromStart: number;
  /** Between the two checkpoints: what one more cold instance costs; undefined with a single checkpoint. */
  bytesPerColdMarginal?: number;
  /** (live bytes after warming − before) ÷ instances warmed. */
  bytesPerWarm: number;
}

const instanceName = (i: number): string => `onboard-${String(i).padStart(5, '0')}`;

/**
 * The onboarding scenario. `stack.gw` must have been started with INSPECTABLE_NODE_OPTIONS: its
 * memory is read through the inspector after a forced full collection. Creates the instances
 * through its admin API at a fixed concurrency (timing each creation; every tenth instance is then
 * fetched from a second gateway process on the same Postgres and Redis), reading its memory at
 * start, after the first checkpoint and after all were created (all cold: nothing touched its public
 * listener), then gives `warm` of them one discovery request each and reads it again.
 */
export async function measureOnboarding(
  stack: GatewayStack,
  gatewayPid: number | undefined,
  config: Pick<
    BenchConfig,
    'onboardInstances' | 'onboardWarm' | 'onboardConcurrency' | 'onboardLatencySamples' | 'onboardPaceMs'
  >,
  log: (line: string) => void,
): Promise<OnboardingResult> {
  const { gw } = stack;
  const total = config.onboardInstances;
  const names = Array.from({ length: total }, (_, i) => instanceName(i + 1));
  const probe = await HeapProbe.connect(inspectorUrlIn(gw.log));
  const replicaGateway = stack.startReplica ? await stack.startReplica() : undefined;
  const replicaRequests = replicaGateway && instanceRequests(replicaGateway);
  const replicaChecks = emptyReplicaChecks();
  const publicRequests = instanceRequests(gw);
  try {
    const checkpoints: MemoryCheckpoint[] = [];
    const checkpoint = async (label: string, instances: number, warm: number): Promise<MemorySample> => {
      const memory = await probe.measure();
      checkpoints.push({ label, instances, warm, memory });
      log(
        `${label}: ${instances} instances, ${warm} warm; heap used ${mb(memory.heapUsedBytes)} MB, ` +
          `external ${mb(memory.externalBytes)} MB, RSS ${mb(memory.rssBytes)} MB`,
      );
      return memory;
    };
    const start = await checkpoint('start', 0, 0);

    // First, one operator onboarding instances one at a time, at a steady pace: the latency the
    // target is about. (Back to back, creations outrun key generation on a small machine and the
    // figure becomes that of key generation's throughput, which the bulk phase below shows.)
    const solo = Math.min(config.onboardLatencySamples, total, FIRST_CHECKPOINT);
    const soloCpu = startCpuWindow(gatewayPid);
    const soloRun = await createInstances(
      gw,
      names.slice(0, solo),
      1,
      replicaRequests && { requests: replicaRequests, checks: replicaChecks, firstIndex: 0 },
      undefined,
      config.onboardPaceMs,
    );
    const soloUsed = soloCpu.end();
    log(`created ${solo} one at a time, one every ${config.onboardPaceMs} ms (creation latency)`);
    // Then the rest in bulk, for the memory readings; their latency is reported too.
    const batches = [names.slice(solo, FIRST_CHECKPOINT), names.slice(FIRST_CHECKPOINT)].filter(
      (b) => b.length,
    );
    const latenciesMs: number[] = [];
    let creatingMs = soloRun.wallMs;
    let created = solo;
    let gatewayCpuSec: number | undefined = soloUsed.serverSec;
    let otherCpuSec: number | undefined = soloUsed.othersSec;
    const readings: MemorySample[] = [];
    for (const batch of batches) {
      const cpu = startCpuWindow(gatewayPid);
      const before = created;
      const run = await createInstances(
        gw,
        batch,
        config.onboardConcurrency,
        replicaRequests && { requests: replicaRequests, checks: replicaChecks, firstIndex: created },
        (done) => {
          if ((before + done) % PROGRESS_EVERY === 0) log(`… ${before + done} created`);
        },
      );
      const used = cpu.end();
      gatewayCpuSec = sum(gatewayCpuSec, used.serverSec);
      otherCpuSec = sum(otherCpuSec, used.othersSec);
      latenciesMs.push(...run.latenciesMs);
      creatingMs += run.wallMs;
      created += batch.length;
      log(`created ${created} of ${total} (${fixed1((batch.length / run.wallMs) * 1000)} instances/s)`);
      readings.push(await checkpoint('created', created, 0));
    }
    if (readings.length === 0) readings.push(await checkpoint('created', created, 0));

    const warmNames = names.slice(0, config.onboardWarm);
    const firstDiscovery: number[] = [];
    for (const name of warmNames) firstDiscovery.push(await publicRequests.timedDiscovery(name));
    const warmed = await checkpoint('warmed', total, warmNames.length);

    const first = readings[0]!;
    const last = readings[readings.length - 1]!;
    const firstCount = Math.min(FIRST_CHECKPOINT, total);
    return {
      concurrency: config.onboardConcurrency,
      paceMs: config.onboardPaceMs,
      instances: total,
      creation: {
        latency: summarize(soloRun.latenciesMs),
        bulkLatency: summarize(latenciesMs),
        instancesPerSec: (total / creatingMs) * 1000,
        wallSec: creatingMs / 1000,
        gatewayCpuMsPerInstance: gatewayCpuSec === undefined ? undefined : (gatewayCpuSec * 1000) / total,
        otherCores: otherCpuSec === undefined ? undefined : otherCpuSec / (creatingMs / 1000),
      },
      replica: replicaGateway && { ...replicaChecks, latency: summarize(replicaChecks.latenciesMs) },
      warm: { count: warmNames.length, firstDiscovery: summarize(firstDiscovery) },
      checkpoints,
      bytesPerColdFromStart: (liveBytes(first) - liveBytes(start)) / firstCount,
      bytesPerColdMarginal:
        readings.length > 1 ? (liveBytes(last) - liveBytes(first)) / (total - firstCount) : undefined,
      bytesPerWarm: (liveBytes(warmed) - liveBytes(last)) / warmNames.length,
    };
  } finally {
    probe.close();
    await publicRequests.close();
    await replicaRequests?.close();
  }
}

const sum = (a: number | undefined, b: number | undefined): number | undefined =>
  a === undefined || b === undefined ? undefined : a + b;

const mb = (bytes: number): string => (bytes / 1e6).toFixed(1);
const fixed1 = (n: number): string => n.toFixed(1);
