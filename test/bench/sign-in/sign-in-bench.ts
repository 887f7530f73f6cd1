import { cpus } from 'node:os';
import type { GatewayProcess } from '../../support/gateway-process';
import type { BenchConfig } from '../bench-config';
import { type LatencySummary, summarize } from '../latency-summary';
import { type Argon2Measurement, measureArgon2Verify } from './argon2-measurement';
import { idTokenCheck } from './id-token-check';
import { runSignIns, type SignInFailure, SignIns, type SignInRun } from './sign-in-load';
import { provisionSignInTarget } from './sign-in-target';

export interface FailedStep {
  step: string;
  count: number;
  /** The first failure of the step, as an example. */
  example: string;
}

export interface SignInBenchResult {
  concurrency: number;
  users: number;
  /** Logical CPUs of the machine (os.cpus()). */
  machineCpus: number;
  warmupSec: number;
  measured: SignInRun;
  /** Failures of the discarded warm-up count too: they are a broken gateway all the same. */
  warmupFailures: number;
  signInsPerSec: number;
  latency: LatencySummary;
  /** Gateway CPU (all threads) per completed sign-in; undefined without /proc. */
  gatewayCpuMsPerSignIn?: number;
  /** Cores the gateway kept busy on average: its CPU seconds over the wall seconds. */
  gatewayCores?: number;
  /** Sign-ins per second per core the gateway used: completed sign-ins over gateway CPU seconds. */
  signInsPerCoreSec?: number;
  otherCores?: number;
  argon2: Argon2Measurement;
  /** argon2id verifies per CPU second of the loop. */
  argon2VerifiesPerCoreSec: number;
  /** signInsPerCoreSec ÷ argon2VerifiesPerCoreSec: 1 would mean the password check is all a sign-in costs. */
  ratio?: number;
  /** All failures, warm-up included, grouped by the step that broke. */
  failedSteps: FailedStep[];
  failed: number;
}

const INSTANCE = 'bench-signin';

function groupByStep(failures: readonly SignInFailure[]): FailedStep[] {
  const steps = new Map<string, FailedStep>();
  for (const f of failures) {
    const seen = steps.get(f.step);
    if (seen) seen.count++;
    else steps.set(f.step, { step: f.step, count: 1, example: f.detail });
  }
  return [...steps.values()].sort((a, b) => b.count - a.count);
}

/**
 * The sign-in scenario: onboard an instance with a portal client and users, prove one sign-in
 * works end to end, measure raw argon2id verification on one core while the gateway is idle, then
 * run full code flows at a fixed concurrency (warm-up discarded) against the gateway.
 */
export async function measureSignIns(
  gw: GatewayProcess,
  gatewayPid: number | undefined,
  config: Pick<BenchConfig, 'signInConcurrency' | 'signInUsers' | 'warmupSec' | 'durationSec'>,
  progress: (line: string) => void,
): Promise<SignInBenchResult> {
  const target = await provisionSignInTarget(gw, INSTANCE, config.signInUsers);
  const check = idTokenCheck(target);
  progress(`instance ${INSTANCE}: 1 client, ${target.users.length} users`);

  // One sign-in on its own first, so a broken flow stops here with its reason instead of a load of failures.
  const probe = new SignIns(target, check);
  await probe.signIn();
  const { failures: probeFailures } = probe.tally();
  if (probeFailures.length) {
    const why = probeFailures.map((f) => `${f.step}: ${f.detail}`).join('; ');
    throw new Error(`a single sign-in does not work: ${why}`);
  }

  // While the gateway is idle, so the two figures do not compete for the cores.
  const argon2 = await measureArgon2Verify(config.durationSec);
  const argon2VerifiesPerCoreSec = argon2.verifies / argon2.cpuSec;
  progress(
    `argon2id verify (${argon2.parameters}): ${argon2VerifiesPerCoreSec.toFixed(1)}/s per core ` +
      `(${argon2.verifies} in ${argon2.wallSec.toFixed(1)} s)`,
  );

  const settings = { concurrency: config.signInConcurrency, gatewayPid };
  const warmup = await runSignIns(target, check, { ...settings, durationSec: config.warmupSec });
  global.gc?.();
  const measured = await runSignIns(target, check, { ...settings, durationSec: config.durationSec });

  const signInsPerSec = measured.completed / measured.wallSec;
  const gatewayCpu = measured.cpu.serverSec;
  const signInsPerCoreSec = gatewayCpu && measured.completed ? measured.completed / gatewayCpu : undefined;
  const failures = [...warmup.failures, ...measured.failures];
  const result: SignInBenchResult = {
    concurrency: config.signInConcurrency,
    users: target.users.length,
    machineCpus: cpus().length,
    warmupSec: config.warmupSec,
    measured,
    warmupFailures: warmup.failures.length,
    signInsPerSec,
    latency: summarize(measured.latenciesMs),
    gatewayCpuMsPerSignIn:
      gatewayCpu === undefined || measured.completed === 0
        ? undefined
        : (gatewayCpu * 1000) / measured.completed,
    gatewayCores: gatewayCpu === undefined ? undefined : gatewayCpu / measured.wallSec,
    signInsPerCoreSec,
    otherCores: measured.cpu.othersSec === undefined ? undefined : measured.cpu.othersSec / measured.wallSec,
    argon2,
    argon2VerifiesPerCoreSec,
    ratio: signInsPerCoreSec === undefined ? undefined : signInsPerCoreSec / argon2VerifiesPerCoreSec,
    failedSteps: groupByStep(failures),
    failed: failures.length,
  };
  progress(
    `sign-ins: ${signInsPerSec.toFixed(1)}/s, ${signInsPerCoreSec?.toFixed(1) ?? '-'}/s per core, ` +
      `${measured.completed} completed, ${result.failed} failed`,
  );
  return result;
}
