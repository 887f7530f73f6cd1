import { GatewayProcess, type GatewayOptions } from '../support/gateway-process';
import { LoadRecorder } from '../support/load-recorder';
import { prepareLoadTarget } from '../support/load-target';
import { loopbackFetch } from '../support/loopback-fetch';
import { type LoadTarget, runMixedLoad } from '../support/mixed-load';
import { RoundRobinProxy } from '../support/round-robin-proxy';
import { startGateways } from '../support/start-gateways';
import { usingSharedBackends } from '../support/test-backends';
import { startTestGateways } from '../support/test-gateways';

const shared = usingSharedBackends();

/** At least this many requests, all of which must get the expected answer. */
const REQUESTS = 10_000;
const CONCURRENCY = 16;
/** Requests before the first SIGTERM, so the restart happens with every kind of request in flight. */
const WARM_UP = 2_000;
/** What a restarted replica must serve before the next one goes, so the rollout really moved traffic. */
const SERVED_AFTER_RESTART = 500;

// About 40-60 s on an idle 2-core machine; the ceilings leave room for a machine shared with other work.
const TEST_TIMEOUT_MS = 240_000;

/** Enough failed requests to know the run failed: stop early and show them. */
const GIVE_UP_AFTER_FAILURES = 50;

/** Polls `condition` until it holds; fails after `timeoutMs`, or early once the load is clearly failing. */
async function until(
  what: string,
  condition: () => boolean,
  recorder: LoadRecorder,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (recorder.failures.length >= GIVE_UP_AFTER_FAILURES) {
      throw new Error(`gave up waiting for ${what}: ${recorder.failures.length} failed requests`);
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The load in the background: `stop()` lets every worker finish its operation and resolves when
 * all have; a worker that throws (a test bug, not a failed request) ends the load at once.
 */
function startLoad(target: LoadTarget, recorder: LoadRecorder): { stop: () => Promise<void> } {
  let stopping = false;
  let crashed: unknown;
  const running = runMixedLoad(target, recorder, {
    concurrency: CONCURRENCY,
    done: () => stopping || crashed !== undefined,
  }).catch((err: unknown) => {
    crashed = err;
  });
  return {
    stop: async () => {
      stopping = true;
      await running;
      if (crashed !== undefined) throw crashed;
    },
  };
}

function summary(recorder: LoadRecorder, extra: Record<string, unknown>): string {
  return JSON.stringify({
    requests: recorder.requests,
    failures: recorder.failures.length,
    durationMs: recorder.elapsedMs(),
    byStep: Object.fromEntries(recorder.byStep),
    ...extra,
  });
}

const clean = { code: 0, signal: null };
const drainedCleanly = (gw: GatewayProcess): boolean => {
  const log = gw.output.join('');
  return log.includes('shutdown complete') && !log.includes('did not finish');
};

// Replicas share state only through Postgres and Redis; without them see the one-process variant below.
if (shared) {
  describe('rolling restart of two replicas under load (Postgres + Redis)', () => {
    const replicas: GatewayProcess[] = [];
    const retired: GatewayProcess[] = [];
    let options: GatewayOptions;
    let proxy: RoundRobinProxy;
    let target: LoadTarget;
    let dispose: (() => Promise<void>) | undefined;

    beforeAll(async () => {
      const started = await startTestGateways({ database: 'idgw_rolling', replicas: 2 });
      ({ options, dispose } = started);
      replicas.push(...started.gateways);
      proxy = new RoundRobinProxy(replicas.map((r) => ({ port: r.port, adminPort: r.adminPort })));
      await proxy.start();
      target = await prepareLoadTarget(
        replicas[0]!,
        'acme',
        (name) => `http://${name}.localhost:${proxy.port}`,
      );
    });

    afterAll(async () => {
      await proxy?.stop();
      // The replacements are this suite's own; `dispose` stops the first two (if still running) and drops
      // the database.
      for (const gw of [...replicas, ...retired]) await gw.dispose();
      await dispose?.();
    });

    it(
      `replaces each replica in turn (SIGTERM, new process on its ports) while ${REQUESTS}+ requests all succeed`,
      async () => {
        const recorder = new LoadRecorder();
        const timeline: string[] = [];
        const mark = (event: string) => timeline.push(`${recorder.elapsedMs()} ms ${event}`);
        const load = startLoad(target, recorder);
        try {
          await until('the warm-up', () => recorder.requests >= WARM_UP, recorder);
          for (const index of [1, 0]) {
            const old = replicas[index]!;
            const servedBefore = proxy.stats(index).served;
            mark(`SIGTERM replica ${index}`);
            const exit = await old.terminate();
            // Responses it started after the signal: the requests in flight (or already on their way
            // over a kept-alive connection) that it answered while draining.
            const answeredWhileDraining = proxy.stats(index).served - servedBefore;
            mark(`replica ${index} exited ${exit.code} after answering ${answeredWhileDraining} more`);
            retired.push(old);
            expect(exit).toEqual(clean);
            expect(drainedCleanly(old)).toBe(true);

            replicas[index] = await GatewayProcess.start({
              ...options,
              port: old.port,
              adminPort: old.adminPort,
            });
            await proxy.whenReady(index);
            mark(`replica ${index} ready again`);
            const servedByNew = proxy.stats(index).served;
            await until(
              `the new replica ${index} to serve traffic`,
              () => proxy.stats(index).served - servedByNew >= SERVED_AFTER_RESTART,
              recorder,
            );
            mark(`replica ${index} served ${SERVED_AFTER_RESTART}`);
          }
          await until(`${REQUESTS} requests`, () => recorder.requests >= REQUESTS, recorder, 120_000);
        } finally {
          await load.stop();
          mark('load done');
          console.log(
            `rolling restart: ${summary(recorder, {
              upstreams: [proxy.stats(0), proxy.stats(1)],
              badGateways: proxy.badGateways,
              timeline,
            })}`,
          );
        }
        expect(recorder.failures.slice(0, 20)).toEqual([]);
        expect(recorder.failures).toHaveLength(0);
        expect(proxy.badGateways).toBe(0);
        expect(recorder.requests).toBeGreaterThanOrEqual(REQUESTS);
        expect(recorder.byStep.get('sign-in: code exchange')).toBeGreaterThan(0);
      },
      TEST_TIMEOUT_MS,
    );
  });
} else {
  // Embedded state (PGlite, in-process store) belongs to one process: two cannot serve one instance.
  describe('steady load on one embedded process while a second, idle one restarts', () => {
    let serving: GatewayProcess;
    let idle: GatewayProcess;
    const retired: GatewayProcess[] = [];
    let proxy: RoundRobinProxy;
    let target: LoadTarget;

    beforeAll(async () => {
      // Side by side: each has its own embedded database.
      [serving, idle] = (await startGateways(2)) as [GatewayProcess, GatewayProcess];
      proxy = new RoundRobinProxy([{ port: serving.port, adminPort: serving.adminPort }]);
      await proxy.start();
      target = await prepareLoadTarget(serving, 'acme', (name) => `http://${name}.localhost:${proxy.port}`);
    });

    afterAll(async () => {
      await proxy?.stop();
      for (const gw of [serving, idle, ...retired]) await gw?.dispose();
    });

    it(
      `serves ${REQUESTS}+ mixed requests without a failure while the other process exits on SIGTERM and comes back`,
      async () => {
        const recorder = new LoadRecorder();
        const load = startLoad(target, recorder);
        try {
          await until('the warm-up', () => recorder.requests >= WARM_UP, recorder);
          const exit = await idle.terminate();
          expect(exit).toEqual(clean);
          expect(drainedCleanly(idle)).toBe(true);
          retired.push(idle);
          idle = await GatewayProcess.start({ port: idle.port, adminPort: idle.adminPort });
          const readiness = await loopbackFetch(`http://127.0.0.1:${idle.adminPort}/readyz`);
          await readiness.arrayBuffer();
          expect(readiness.status).toBe(200);
          await until(`${REQUESTS} requests`, () => recorder.requests >= REQUESTS, recorder, 120_000);
        } finally {
          await load.stop();
          console.log(`steady load (embedded): ${summary(recorder, { upstream: proxy.stats(0) })}`);
        }
        expect(recorder.failures.slice(0, 20)).toEqual([]);
        expect(recorder.failures).toHaveLength(0);
        expect(proxy.badGateways).toBe(0);
        expect(recorder.requests).toBeGreaterThanOrEqual(REQUESTS);
        expect(recorder.byStep.get('sign-in: code exchange')).toBeGreaterThan(0);
      },
      TEST_TIMEOUT_MS,
    );
  });
}
