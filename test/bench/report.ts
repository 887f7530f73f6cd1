import { type BenchConfig, TARGETS } from './bench-config';
import type { ColdStartResult } from './cold/cold-start';
import type { LatencySummary } from './latency-summary';
import type { LoadComparison } from './load-comparison';
import type { LoadResult } from './load-run';
import type { JwtVerifyBenchResult } from './resource-server/jwt-verify-bench';
import { FIRST_CHECKPOINT, type OnboardingResult } from './onboarding/onboarding-bench';
import { liveBytes } from './onboarding/heap-probe';
import type { SignInBenchResult } from './sign-in/sign-in-bench';
import { type IntrospectionBenchResult, printIntrospection } from './introspection/introspection-bench';
import type { LibraryVerificationResult } from './introspection/library-verification';
import { fixed, textTable } from './text-table';

export interface BenchOutcome {
  load?: LoadComparison;
  /** Token load on two instances of the gateway: rate limits off (baseline) and on. */
  limiter?: LoadComparison;
  cold?: ColdStartResult;
  signIn?: SignInBenchResult;
  resourceServer?: JwtVerifyBenchResult;
  onboarding?: OnboardingResult;
  introspection?: IntrospectionBenchResult;
  errors: string[];
}

const verdict = (pass: boolean): string => (pass ? 'PASS' : 'MISS');

/** Above this, neighbours take a noticeable share of a 2-core machine. */
const NOISE_WARNING_CORES = 0.2;

const optional = (n: number | undefined, digits = 0): string => (n === undefined ? '-' : fixed(n, digits));

function loadRow(r: LoadResult, round: string): string[] {
  return [
    r.label,
    round,
    fixed(r.tokensPerSec),
    fixed(r.p50Ms, 0),
    fixed(r.p99Ms, 0),
    optional(r.cpuUsPerToken),
    optional(r.mainCpuUsPerToken),
    optional(r.serverCores, 2),
    optional(r.otherCores, 2),
    String(r.ok),
    String(r.notOk),
    String(r.errors),
  ];
}

/** One line per measured run, printed as it finishes so a long run shows progress. */
export function printLoadProgress(r: LoadResult): void {
  console.log(
    `  ${r.label.padEnd(10)} ${fixed(r.tokensPerSec).padStart(8)} tokens/s  p99 ${fixed(r.p99Ms, 0)} ms  ` +
      `CPU ${optional(r.cpuUsPerToken)} µs/token (main ${optional(r.mainCpuUsPerToken)})  others ${optional(r.otherCores, 2)} cores  (${r.ok} × 200, ${r.notOk} other, ${r.errors} errors)`,
  );
}

interface ComparisonLabels {
  title: string;
  baseline: string;
  candidate: string;
  /** What the ratio is, e.g. `gateway/baseline`. */
  ratio: string;
  target: number;
  /** The CPU ratio's line, when it adds something. */
  cpuNote?: string;
}

const TOKEN_LABELS: ComparisonLabels = {
  title: 'Token endpoint, client_credentials',
  baseline: 'baseline',
  candidate: 'gateway',
  ratio: 'Throughput ratio gateway/baseline',
  target: TARGETS.minThroughputRatio,
  cpuNote: 'CPU per token gateway/baseline',
};

const LIMITER_LABELS: ComparisonLabels = {
  title: 'Rate limiter, gateway token endpoint (limits counted on every request, never reached)',
  baseline: 'limits off',
  candidate: 'limits on',
  ratio: 'Throughput ratio limits on/off',
  target: TARGETS.minLimiterRatio,
  cpuNote: 'CPU per token limits on/off',
};

function printComparison(load: LoadComparison, config: BenchConfig, labels: ComparisonLabels): void {
  const servers = load.freshServers
    ? `(+${config.primeSec} s) + ${config.durationSec} s measured, ${config.rounds} round(s) each, alternating, ` +
      'a freshly launched server per run'
    : `(+${config.primeSec} s before round 1) + ${config.durationSec} s measured, ${config.rounds} round(s) ` +
      'each, alternating, one server per side';
  console.log(
    `\n${labels.title} (${config.connections} connections, ${config.warmupSec} s warm-up ${servers})`,
  );
  const rows: string[][] = [];
  load.baseline.rounds.forEach((b, i) => {
    rows.push(loadRow(b, String(i + 1)));
    const g = load.gateway.rounds[i];
    if (g) rows.push(loadRow(g, String(i + 1)));
  });
  for (const [label, s] of [
    [labels.baseline, load.baseline],
    [labels.candidate, load.gateway],
  ] as const) {
    const ok = s.rounds.reduce((n, r) => n + r.ok, 0);
    const cpu = optional(s.cpuUsPerToken);
    rows.push([
      label,
      'all',
      fixed(s.tokensPerSec),
      '',
      `${fixed(s.p99Ms, 0)}*`,
      cpu,
      optional(s.mainCpuUsPerToken),
      '',
      '',
      String(ok),
      '0',
      '0',
    ]);
  }
  const header = [
    'target',
    'round',
    'tokens/s',
    'p50 ms',
    'p99 ms',
    'CPU µs/token',
    'main µs',
    'cores',
    'others',
    '200s',
    'non-200',
    'errors',
  ];
  console.log(textTable(header, rows));
  console.log(
    '  * worst round. CPU µs/token and cores: the server process, all threads (RSA signing runs on\n' +
      '    libuv workers); main µs: the part on its main thread (JavaScript, GC). others: cores used\n' +
      '    by the rest of the machine (not server, not load generator).',
  );
  const noise = Math.max(...[...load.baseline.rounds, ...load.gateway.rounds].map((r) => r.otherCores ?? 0));
  if (noise > NOISE_WARNING_CORES) {
    console.log(
      `WARNING: other processes kept up to ${fixed(noise, 2)} cores busy during measured runs; tokens/s and the\n` +
        '         ratio are unreliable, CPU µs/token less so. Re-run on a quiet machine.',
    );
  }
  const pass = load.ratio >= labels.target;
  console.log(`${labels.ratio}: ${fixed(load.ratio, 3)} (target >= ${labels.target}) ${verdict(pass)}`);
  if (load.cpuRatio !== undefined && labels.cpuNote) {
    console.log(
      `${labels.cpuNote}: ${fixed(load.cpuRatio, 3)} (informational: noise-resistant view of the overhead)`,
    );
  }
}

function coldRow(label: string, s: LatencySummary): string[] {
  return [label, String(s.count), fixed(s.p50Ms), fixed(s.p95Ms), fixed(s.p99Ms), fixed(s.maxMs)];
}

function printCold(cold: ColdStartResult): void {
  console.log(
    `\nCold instances, sequential first requests (onboarding beforehand took ${fixed(cold.provisioningMs / 1000)} s, not counted)`,
  );
  console.log(
    textTable(
      ['request', 'n', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'],
      [
        coldRow('discovery, first ever', cold.discoveryFirst),
        coldRow('discovery, second', cold.discoveryWarm),
        coldRow('token, first ever', cold.tokenFirst),
        coldRow('token, second', cold.tokenWarm),
      ],
    ),
  );
  const pass = cold.discoveryFirst.p99Ms <= TARGETS.maxColdDiscoveryP99Ms;
  console.log(
    `Cold discovery p99: ${fixed(cold.discoveryFirst.p99Ms)} ms (target <= ${TARGETS.maxColdDiscoveryP99Ms} ms) ${verdict(pass)}`,
  );
}

/** Attempted sign-ins: completed plus failed, the discarded warm-up's failures included. */
const attempted = (r: SignInBenchResult): number => r.measured.completed + r.failed;

function printSignIn(r: SignInBenchResult): void {
  console.log(
    `\nSign-in, full code flow + PKCE without a browser (${r.concurrency} in flight, ${r.users} users, ` +
      `${r.warmupSec} s warm-up + ${fixed(r.measured.wallSec)} s measured; machine: ${r.machineCpus} CPUs)`,
  );
  const { argon2 } = r;
  console.log(
    textTable(
      [
        'measure',
        'per s',
        'p50 ms',
        'p99 ms',
        'CPU ms each',
        'cores',
        'per core/s',
        'others',
        'ok',
        'failed',
      ],
      [
        [
          'sign-in (gateway)',
          fixed(r.signInsPerSec),
          fixed(r.latency.p50Ms, 0),
          fixed(r.latency.p99Ms, 0),
          optional(r.gatewayCpuMsPerSignIn, 1),
          optional(r.gatewayCores, 2),
          optional(r.signInsPerCoreSec, 1),
          optional(r.otherCores, 2),
          String(r.measured.completed),
          String(r.failed),
        ],
        [
          'argon2id verify (1 thread)',
          fixed(argon2.verifies / argon2.wallSec),
          '',
          '',
          fixed((argon2.cpuSec * 1000) / argon2.verifies, 1),
          fixed(argon2.cpuSec / argon2.wallSec, 2),
          fixed(r.argon2VerifiesPerCoreSec, 1),
          '',
          String(argon2.verifies),
          '0',
        ],
      ],
    ),
  );
  console.log(
    `  argon2id parameters: ${argon2.parameters} (a hash made by the gateway's hashSecret). cores: CPU seconds of\n` +
      '    the process (the gateway: all threads) over wall seconds; per core/s: count over those CPU seconds.\n' +
      '    failed: sign-ins without a verified id_token, warm-up included.',
  );
  if ((r.otherCores ?? 0) > NOISE_WARNING_CORES) {
    console.log(
      `WARNING: other processes kept ${fixed(r.otherCores ?? 0, 2)} cores busy during the measured run; sign-ins/s is\n` +
        '         unreliable, the per-core figures less so. Re-run on a quiet machine.',
    );
  }
  if (r.ratio !== undefined) {
    console.log(
      `Sign-ins per core / argon2id verifies per core: ${fixed(r.ratio, 3)} (informational: the share of a ` +
        "sign-in's CPU that is the password check; 1 would mean nothing else costs)",
    );
  }
  if (r.failed === 0) {
    console.log(`Sign-in flows: 0 of ${attempted(r)} failed PASS`);
    return;
  }
  console.log(
    `Sign-in flows: ${r.failed} of ${attempted(r)} FAILED (${r.warmupFailures} during warm-up) FAIL`,
  );
  for (const f of r.failedSteps) console.log(`  ${String(f.count).padStart(6)} × ${f.step}: ${f.example}`);
}

const megabytes = (bytes: number): string => fixed(bytes / 1e6);

function printOnboarding(r: OnboardingResult): void {
  console.log(
    `\nOnboarding: ${r.instances} instances created through the admin API, ${r.concurrency} at a time ` +
      `(${fixed(r.creation.wallSec)} s)`,
  );
  const c = r.creation.latency;
  const rows = [
    [`POST /admin/v1/instances, one every ${r.paceMs} ms`, '', ...coldRow('', c).slice(1)],
    [
      `POST /admin/v1/instances, ${r.concurrency} at a time`,
      fixed(r.creation.instancesPerSec),
      ...coldRow('', r.creation.bulkLatency).slice(1),
    ],
  ];
  if (r.replica) {
    rows.push(['discovery on 2nd gateway, right after', '', ...coldRow('', r.replica.latency).slice(1)]);
  }
  rows.push([
    'discovery on 1st gateway, first (warming)',
    '',
    ...coldRow('', r.warm.firstDiscovery).slice(1),
  ]);
  console.log(textTable(['request', 'per s', 'n', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'], rows));
  console.log(
    `  gateway CPU per creation: ${optional(r.creation.gatewayCpuMsPerInstance, 1)} ms (all threads; the RSA key ` +
      `is generated on a libuv worker). others: ${optional(r.creation.otherCores, 2)} cores (Postgres, Redis, the\n` +
      '    2nd gateway if any, and the rest of the machine).',
  );
  if ((r.creation.otherCores ?? 0) > 1) {
    console.log(
      'WARNING: the rest of the machine was busy while creating; latencies and instances/s are unreliable,\n' +
        '         gateway CPU per creation much less so. Re-run on a quiet machine.',
    );
  }
  console.log(
    `Creation p95: ${fixed(c.p95Ms)} ms (target <= ${TARGETS.maxOnboardP95Ms} ms) ${verdict(c.p95Ms <= TARGETS.maxOnboardP95Ms)}`,
  );
  if (r.replica) {
    const all = r.replica.ok === r.replica.checked;
    console.log(
      `Served by the 2nd gateway right after the 201: ${r.replica.ok} of ${r.replica.checked} ${all ? 'PASS' : 'FAIL'}`,
    );
    for (const f of r.replica.failures) console.log(`  ${f}`);
  } else {
    console.log('Served by a 2nd gateway: not checked (embedded backends belong to one process)');
  }

  console.log('\nGateway memory after a forced full GC (read through the V8 inspector)');
  console.log(
    textTable(
      ['reading', 'instances', 'warm', 'heap used MB', 'external MB', 'live MB', 'RSS MB'],
      r.checkpoints.map((p) => [
        p.label,
        String(p.instances),
        String(p.warm),
        megabytes(p.memory.heapUsedBytes),
        megabytes(p.memory.externalBytes),
        megabytes(liveBytes(p.memory)),
        megabytes(p.memory.rssBytes),
      ]),
    ),
  );
  console.log(
    '  live = heap used + external, what the per-instance figures are computed from; RSS informational.',
  );
  console.log(
    `Bytes per cold instance, start -> first reading (one-time costs included): ${fixed(r.bytesPerColdFromStart, 0)}`,
  );
  if (r.bytesPerColdMarginal === undefined) {
    console.log(
      `Bytes per cold instance: not judged (target <= ${TARGETS.maxBytesPerColdInstance}): a single reading after ` +
        `creation; create more than ${FIRST_CHECKPOINT} instances for the marginal figure`,
    );
  } else {
    console.log(
      `Bytes per cold instance, between the two readings: ${fixed(r.bytesPerColdMarginal, 0)} (target <= ` +
        `${TARGETS.maxBytesPerColdInstance}, i.e. nothing) ` +
        verdict(r.bytesPerColdMarginal <= TARGETS.maxBytesPerColdInstance),
    );
  }
  console.log(
    `Bytes per warm instance: ${fixed(r.bytesPerWarm, 0)} (${r.warm.count} warmed; target <= ` +
      `${TARGETS.maxBytesPerWarmInstance}) ${verdict(r.bytesPerWarm <= TARGETS.maxBytesPerWarmInstance)}`,
  );
}

const round1 = (n: number): number => Math.round(n * 10) / 10;

function roundSummary(s: LatencySummary): LatencySummary {
  return {
    count: s.count,
    p50Ms: round1(s.p50Ms),
    p95Ms: round1(s.p95Ms),
    p99Ms: round1(s.p99Ms),
    maxMs: round1(s.maxMs),
  };
}

function libraryFigures(library: LibraryVerificationResult) {
  return {
    cacheTtlMs: library.cacheTtlMs,
    inFlight: library.inFlight,
    uncachedPerSec: round1(library.uncached.verificationsPerSec),
    uncachedIntrospections: library.uncached.introspections,
    uncachedCpuUsEach: round1(library.uncached.cpuUsEach),
    cachedPerSec: round1(library.cached.verificationsPerSec),
    cachedIntrospections: library.cached.introspections,
    cachedCpuUsEach: round1(library.cached.cpuUsEach),
    lruLookupsPerSec: round1(library.lru.lookupsPerSec),
    lruCpuUsEach: round1(library.lru.cpuUsEach),
    cachedRatio: Math.round((library.cached.verificationsPerSec / library.lru.lookupsPerSec) * 1000) / 1000,
  };
}

/** The machine-readable line: one JSON object, prefixed so it can be grepped out of the log. */
function summaryJson(outcome: BenchOutcome, config: BenchConfig): string {
  const { load, limiter, cold, signIn, onboarding } = outcome;
  return JSON.stringify({
    settings: {
      connections: config.connections,
      warmupSec: config.warmupSec,
      primeSec: config.primeSec,
      durationSec: config.durationSec,
      rounds: config.rounds,
      signInConcurrency: config.signInConcurrency,
      signInUsers: config.signInUsers,
      onboardInstances: config.onboardInstances,
      onboardWarm: config.onboardWarm,
      onboardConcurrency: config.onboardConcurrency,
      scenarios: config.scenarios,
      backends: config.backends,
      gatewayLogLevel: config.gatewayLogLevel ?? 'info',
    },
    load: load && {
      baselineTokensPerSec: round1(load.baseline.tokensPerSec),
      gatewayTokensPerSec: round1(load.gateway.tokensPerSec),
      ratio: Math.round(load.ratio * 1000) / 1000,
      freshServers: load.freshServers,
      baselineP99Ms: load.baseline.p99Ms,
      gatewayP99Ms: load.gateway.p99Ms,
      baselineCpuUsPerToken: load.baseline.cpuUsPerToken && Math.round(load.baseline.cpuUsPerToken),
      gatewayCpuUsPerToken: load.gateway.cpuUsPerToken && Math.round(load.gateway.cpuUsPerToken),
      baselineMainCpuUsPerToken:
        load.baseline.mainCpuUsPerToken && Math.round(load.baseline.mainCpuUsPerToken),
      gatewayMainCpuUsPerToken: load.gateway.mainCpuUsPerToken && Math.round(load.gateway.mainCpuUsPerToken),
      cpuRatio: load.cpuRatio && Math.round(load.cpuRatio * 1000) / 1000,
      maxOtherCores: round1(
        Math.max(...[...load.baseline.rounds, ...load.gateway.rounds].map((r) => r.otherCores ?? 0)),
      ),
      ratioTarget: TARGETS.minThroughputRatio,
      ratioPass: load.ratio >= TARGETS.minThroughputRatio,
    },
    limiter: limiter && {
      offTokensPerSec: round1(limiter.baseline.tokensPerSec),
      onTokensPerSec: round1(limiter.gateway.tokensPerSec),
      ratio: Math.round(limiter.ratio * 1000) / 1000,
      offCpuUsPerToken: limiter.baseline.cpuUsPerToken && Math.round(limiter.baseline.cpuUsPerToken),
      onCpuUsPerToken: limiter.gateway.cpuUsPerToken && Math.round(limiter.gateway.cpuUsPerToken),
      cpuRatio: limiter.cpuRatio && Math.round(limiter.cpuRatio * 1000) / 1000,
      ratioTarget: TARGETS.minLimiterRatio,
      ratioPass: limiter.ratio >= TARGETS.minLimiterRatio,
    },
    cold: cold && {
      discoveryFirst: roundSummary(cold.discoveryFirst),
      discoveryWarm: roundSummary(cold.discoveryWarm),
      tokenFirst: roundSummary(cold.tokenFirst),
      tokenWarm: roundSummary(cold.tokenWarm),
      discoveryP99Target: TARGETS.maxColdDiscoveryP99Ms,
      discoveryP99Pass: cold.discoveryFirst.p99Ms <= TARGETS.maxColdDiscoveryP99Ms,
      discoveryFirstSamplesMs: cold.discoveryFirstSamplesMs.map(round1),
      tokenFirstSamplesMs: cold.tokenFirstSamplesMs.map(round1),
    },
    signIn: signIn && {
      machineCpus: signIn.machineCpus,
      signInsPerSec: round1(signIn.signInsPerSec),
      p50Ms: round1(signIn.latency.p50Ms),
      p99Ms: round1(signIn.latency.p99Ms),
      gatewayCpuMsPerSignIn: signIn.gatewayCpuMsPerSignIn && round1(signIn.gatewayCpuMsPerSignIn),
      gatewayCores: signIn.gatewayCores && Math.round(signIn.gatewayCores * 100) / 100,
      signInsPerCoreSec: signIn.signInsPerCoreSec && round1(signIn.signInsPerCoreSec),
      argon2Parameters: signIn.argon2.parameters,
      argon2VerifiesPerCoreSec: round1(signIn.argon2VerifiesPerCoreSec),
      ratio: signIn.ratio && Math.round(signIn.ratio * 1000) / 1000,
      otherCores: signIn.otherCores && Math.round(signIn.otherCores * 100) / 100,
      completed: signIn.measured.completed,
      failed: signIn.failed,
      failedSteps: signIn.failedSteps,
      pass: signIn.failed === 0,
    },
    resourceServer: outcome.resourceServer && {
      baselineVerificationsPerSec: round1(outcome.resourceServer.baselinePerSec),
      libraryVerificationsPerSec: round1(outcome.resourceServer.libraryPerSec),
      ratio: Math.round(outcome.resourceServer.ratio * 1000) / 1000,
    },
    onboarding: onboarding && {
      instancesPerSec: round1(onboarding.creation.instancesPerSec),
      creationSec: round1(onboarding.creation.wallSec),
      gatewayCpuMsPerInstance:
        onboarding.creation.gatewayCpuMsPerInstance && round1(onboarding.creation.gatewayCpuMsPerInstance),
      otherCores: onboarding.creation.otherCores && Math.round(onboarding.creation.otherCores * 100) / 100,
      creation: roundSummary(onboarding.creation.latency),
      bulkCreation: roundSummary(onboarding.creation.bulkLatency),
      creationP95Target: TARGETS.maxOnboardP95Ms,
      creationP95Pass: onboarding.creation.latency.p95Ms <= TARGETS.maxOnboardP95Ms,
      replica: onboarding.replica && {
        checked: onboarding.replica.checked,
        ok: onboarding.replica.ok,
        discovery: roundSummary(onboarding.replica.latency),
        pass: onboarding.replica.ok === onboarding.replica.checked,
      },
      warmFirstDiscovery: roundSummary(onboarding.warm.firstDiscovery),
      memory: onboarding.checkpoints.map((p) => ({
        reading: p.label,
        instances: p.instances,
        warm: p.warm,
        heapUsedBytes: p.memory.heapUsedBytes,
        externalBytes: p.memory.externalBytes,
        rssBytes: p.memory.rssBytes,
      })),
      bytesPerColdFromStart: Math.round(onboarding.bytesPerColdFromStart),
      bytesPerColdMarginal: onboarding.bytesPerColdMarginal && Math.round(onboarding.bytesPerColdMarginal),
      bytesPerColdTarget: TARGETS.maxBytesPerColdInstance,
      // Without a second reading the figure includes one-time costs and is not judged.
      bytesPerColdPass:
        onboarding.bytesPerColdMarginal === undefined
          ? undefined
          : onboarding.bytesPerColdMarginal <= TARGETS.maxBytesPerColdInstance,
      bytesPerWarm: Math.round(onboarding.bytesPerWarm),
      bytesPerWarmTarget: TARGETS.maxBytesPerWarmInstance,
      bytesPerWarmPass: onboarding.bytesPerWarm <= TARGETS.maxBytesPerWarmInstance,
    },
    introspection: outcome.introspection && {
      gatewayPerSec: round1(outcome.introspection.gatewayPerSec),
      gatewayP99Ms: round1(outcome.introspection.gatewayP99Ms),
      postgresPerSec: outcome.introspection.postgresPerSec && round1(outcome.introspection.postgresPerSec),
      redisPerSec: outcome.introspection.redisPerSec && round1(outcome.introspection.redisPerSec),
      notOk: outcome.introspection.notOk,
      library: libraryFigures(outcome.introspection.library),
    },
    errors: outcome.errors,
  });
}

function printResourceServer(result: JwtVerifyBenchResult): void {
  console.log('\nResource-server library: local JWT access token verification (RS256, one core, in-process)');
  console.log(
    textTable(
      ['verifier', 'verifications/s'],
      [
        ['bare jose jwtVerify', fixed(result.baselinePerSec)],
        ['library AccessTokenVerifier', fixed(result.libraryPerSec)],
        ['ratio (library / jose)', fixed(result.ratio, 3)],
      ],
    ),
  );
}

export function printReport(outcome: BenchOutcome, config: BenchConfig): void {
  if (outcome.load) printComparison(outcome.load, config, TOKEN_LABELS);
  if (outcome.limiter) printComparison(outcome.limiter, config, LIMITER_LABELS);
  if (outcome.cold) printCold(outcome.cold);
  if (outcome.signIn) printSignIn(outcome.signIn);
  if (outcome.resourceServer) printResourceServer(outcome.resourceServer);
  if (outcome.onboarding) printOnboarding(outcome.onboarding);
  if (outcome.introspection) printIntrospection(outcome.introspection);
  if (outcome.errors.length) {
    console.log('\nERRORS');
    for (const e of outcome.errors) console.log(`  ${e}`);
  }
  console.log(`\nBENCH_SUMMARY ${summaryJson(outcome, config)}`);
}
