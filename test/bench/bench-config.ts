import { resolve } from 'node:path';

/** The parts of the benchmark, in the order a full run goes through them. */
export const SCENARIOS = [
  'token',
  'rate-limits',
  'cold',
  'sign-in',
  'introspection',
  'resource-server',
  'onboarding',
] as const;
export type Scenario = (typeof SCENARIOS)[number];

/**
 * What runs without BENCH_SCENARIOS. Onboarding is asked for by name: creating 10,000 instances,
 * each with a fresh RSA key, takes tens of minutes on a 2-core machine, against under two minutes
 * for the rest.
 */
const DEFAULT_SCENARIOS: readonly Scenario[] = [
  'token',
  'rate-limits',
  'cold',
  'sign-in',
  'introspection',
  'resource-server',
];

/**
 * Where the gateway keeps its state: real Postgres and Redis (as production does), or the
 * embedded defaults (PGlite and the in-process store, the laptop/demo setup).
 */
export type BenchBackends = 'postgres-redis' | 'embedded';

/**
 * Every knob of the benchmark, read once from the environment so a run can be shortened on a
 * laptop (BENCH_DURATION=3) or lengthened on a quiet machine without editing code.
 */
export interface BenchConfig {
  /** Measured seconds per load run. */
  durationSec: number;
  /** Seconds of load before each measured run, thrown away (JIT, connection setup, caches). */
  warmupSec: number;
  /**
   * Extra seconds of discarded load before a server's first round: the gateway's larger code base
   * takes longer than a few seconds to reach steady state, and round 1 would otherwise pay for it.
   */
  primeSec: number;
  connections: number;
  /** Baseline/gateway pairs, interleaved in alternating order (B G, G B, …) so drift and order hit both alike. */
  rounds: number;
  /** Fresh instances whose first request is discovery. */
  coldInstances: number;
  /** Further fresh instances (each with a client) whose first request is a token request. */
  coldTokenInstances: number;
  /** Full code-flow sign-ins in flight at once. */
  signInConcurrency: number;
  /** Distinct users the sign-ins cycle through (at least the concurrency: no user signs in twice at once). */
  signInUsers: number;
  /** Instances the onboarding scenario creates (its memory is read after 1,000 and after all). */
  onboardInstances: number;
  /** Of those, how many get one discovery request each before the last memory reading. */
  onboardWarm: number;
  /** Instance creations in flight at once. */
  onboardConcurrency: number;
  /** Instances created one at a time first, for the creation latency. */
  onboardLatencySamples: number;
  /** Their start-to-start interval: a steady onboarding rate (250 ms: 14,400 instances an hour). */
  onboardPaceMs: number;
  scenarios: readonly Scenario[];
  backends: BenchBackends;
  databaseUrl: string;
  redisUrl: string;
  /**
   * LOG_LEVEL for the gateway; unset keeps GatewayProcess' `info`, which writes one request line
   * per token (as production does). `warn` shows what that logging costs.
   */
  gatewayLogLevel?: string;
  /**
   * BENCH_PROFILE_DIR: the gateway and the baseline run with `--cpu-prof`, writing a `.cpuprofile`
   * each into this folder when they stop (for finding where a target's CPU goes; figures measured
   * while profiling are slower). BENCH_NODE_ARGS: more Node.js options for both (space-separated),
   * e.g. `--perf-basic-prof` for `perf record`, or V8 heap settings to try on both sides alike.
   */
  serverNodeArgs: readonly string[];
}

export const TARGETS = {
  /** Gateway tokens/s divided by bare oidc-provider tokens/s. */
  minThroughputRatio: 0.9,
  /** Gateway tokens/s with the rate limiter counting every request, divided by tokens/s without it. */
  minLimiterRatio: 0.95,
  /** p99 of the first discovery request to an instance never served before. */
  maxColdDiscoveryP99Ms: 50,
  /** p95 of POST /admin/v1/instances, signing keys included. */
  maxOnboardP95Ms: 300,
  /** Live memory (V8 heap + external) one warm instance adds to a gateway. */
  maxBytesPerWarmInstance: 1_000_000,
  /**
   * "Nothing" for a cold instance, made measurable: between the readings after 1,000 and 10,000
   * instances, 1 KB each would be 9 MB, far above the few hundred KB two readings differ by.
   */
  maxBytesPerColdInstance: 1_000,
} as const;

function positiveNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
}

const positiveInteger = (name: string, fallback: number): number =>
  Math.round(positiveNumber(name, fallback));

/** BENCH_SCENARIOS=sign-in or token,cold: a subset, always run in the order of SCENARIOS. */
function scenarios(): Scenario[] {
  const raw = process.env.BENCH_SCENARIOS;
  if (raw === undefined || raw.trim() === '') return [...DEFAULT_SCENARIOS];
  const asked = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = asked.filter((s) => !(SCENARIOS as readonly string[]).includes(s));
  if (unknown.length || !asked.length) {
    throw new Error(`BENCH_SCENARIOS: unknown "${unknown.join(', ')}"; choose from ${SCENARIOS.join(', ')}`);
  }
  return SCENARIOS.filter((s) => asked.includes(s));
}

function backends(): BenchBackends {
  const raw = process.env.BENCH_BACKENDS || 'postgres-redis';
  if (raw !== 'postgres-redis' && raw !== 'embedded')
    throw new Error(`BENCH_BACKENDS must be postgres-redis or embedded, got "${raw}"`);
  return raw;
}

export function readBenchConfig(): BenchConfig {
  const signInConcurrency = positiveInteger('BENCH_SIGNIN_CONCURRENCY', 8);
  const signInUsers = positiveInteger('BENCH_SIGNIN_USERS', 4 * signInConcurrency);
  if (signInUsers < signInConcurrency) {
    throw new Error(
      `BENCH_SIGNIN_USERS (${signInUsers}) must be at least BENCH_SIGNIN_CONCURRENCY (${signInConcurrency})`,
    );
  }
  const onboardInstances = positiveInteger('BENCH_ONBOARD_INSTANCES', 10_000);
  const onboardWarm = positiveInteger('BENCH_ONBOARD_WARM', 1000);
  if (onboardWarm > onboardInstances) {
    throw new Error(
      `BENCH_ONBOARD_WARM (${onboardWarm}) must be at most BENCH_ONBOARD_INSTANCES (${onboardInstances})`,
    );
  }
  return {
    durationSec: positiveNumber('BENCH_DURATION', 10),
    warmupSec: positiveNumber('BENCH_WARMUP', 3),
    primeSec: positiveNumber('BENCH_PRIME', 5),
    connections: positiveInteger('BENCH_CONNECTIONS', 10),
    rounds: positiveInteger('BENCH_ROUNDS', 4),
    coldInstances: positiveInteger('BENCH_COLD_INSTANCES', 40),
    coldTokenInstances: positiveInteger('BENCH_COLD_TOKEN_INSTANCES', 10),
    signInConcurrency,
    signInUsers,
    onboardInstances,
    onboardWarm,
    onboardConcurrency: positiveInteger('BENCH_ONBOARD_CONCURRENCY', 4),
    onboardLatencySamples: positiveInteger('BENCH_ONBOARD_LATENCY_SAMPLES', 200),
    onboardPaceMs: positiveInteger('BENCH_ONBOARD_PACE_MS', 250),
    scenarios: scenarios(),
    backends: backends(),
    databaseUrl: process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test',
    redisUrl: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
    gatewayLogLevel: process.env.BENCH_GATEWAY_LOG_LEVEL || undefined,
    serverNodeArgs: [
      ...(process.env.BENCH_PROFILE_DIR
        ? ['--cpu-prof', `--cpu-prof-dir=${resolve(process.env.BENCH_PROFILE_DIR)}`]
        : []),
      ...(process.env.BENCH_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? []),
    ],
  };
}
