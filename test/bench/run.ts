/**
 * Benchmark: the gateway's client-credentials token endpoint against a bare single-issuer
 * oidc-provider, the latency of an instance's first request (lazy issuer build), full sign-ins
 * (code flow, PKCE, no browser) next to the raw argon2id verify rate, introspection of a reference
 * token (at the gateway and through the resource-server library, its cache off and warm) next to a
 * bare Postgres lookup, Redis GET and in-process LRU get, local JWT verification in the resource-server
 * library next to bare jose, and onboarding (creation latency, discovery on a second replica right
 * after, memory per cold and per warm instance).
 * `npm run bench`; knobs in bench-config.ts (BENCH_DURATION, BENCH_SCENARIOS, …). Prints a table and
 * one `BENCH_SUMMARY {json}` line; exits non-zero only when a phase errors (a failed sign-in is
 * one), never on a missed target.
 */
import { BareProviderProcess } from './bare-provider/bare-provider-process';
import { type BenchConfig, readBenchConfig, type Scenario } from './bench-config';
import { measureColdStart } from './cold/cold-start';
import { type GatewayStack, startGatewayStack } from './gateway/gateway-stack';
import { provisionLoadTarget } from './gateway/gateway-token-target';
import { NO_RATE_LIMITS, UNREACHED_RATE_LIMITS } from './gateway/provisioning';
import { compareLoad, sharedServer } from './load-comparison';
import { runPhase } from './phase';
import { logTail } from './log-text';
import { type BenchOutcome, printLoadProgress, printReport } from './report';
import { measureJwtVerification } from './resource-server/jwt-verify-bench';
import { INSPECTABLE_NODE_OPTIONS } from './onboarding/heap-probe';
import { measureOnboarding } from './onboarding/onboarding-bench';
import { measureIntrospection } from './introspection/introspection-bench';
import { measureSignIns } from './sign-in/sign-in-bench';
import { assertIssuesExpectedToken } from './token-check';
import { bareTarget, freshBareProviders, freshGatewayReplicas } from './token-servers';

const LOAD_INSTANCE = 'bench-load';
const LIMITS_ON_INSTANCE = 'bench-limits-on';
const LIMITS_OFF_INSTANCE = 'bench-limits-off';

const describeBackends = (config: BenchConfig): string =>
  config.backends === 'embedded' ? 'embedded (PGlite, in-process store)' : 'Postgres + Redis';

async function main(): Promise<number> {
  const config = readBenchConfig();
  const outcome: BenchOutcome = { errors: [] };
  const runs = (scenario: Scenario): boolean => config.scenarios.includes(scenario);
  let bare: BareProviderProcess | undefined;
  let stack: GatewayStack | undefined;
  let onboardingStack: GatewayStack | undefined;
  const disposeStack = async (): Promise<void> => {
    const disposed = stack;
    stack = undefined;
    if (disposed) outcome.errors.push(...(await disposed.dispose()));
  };

  let cleaning: Promise<void> | undefined;
  const cleanup = (): Promise<void> =>
    (cleaning ??= (async () => {
      await bare?.stop().catch((err: Error) => outcome.errors.push(`stop baseline: ${err.message}`));
      await disposeStack();
      if (onboardingStack) outcome.errors.push(...(await onboardingStack.dispose()));
    })());
  // An interrupted run must not leave a database, Redis keys or servers behind.
  process.once('SIGINT', () => void cleanup().finally(() => process.exit(130)));

  console.log(`scenarios: ${config.scenarios.join(', ')}; gateway backends: ${describeBackends(config)}`);
  // Onboarding starts gateways of its own; the resource-server scenario runs in this process.
  const sharedGatewayScenarios = config.scenarios.some((s) => s !== 'onboarding' && s !== 'resource-server');
  try {
    if (sharedGatewayScenarios)
      await runPhase('start servers', outcome.errors, async () => {
        stack = await startGatewayStack(config);
        console.log(`  gateway on 127.0.0.1:${stack.gw.port}`);
      });

    if (stack) {
      const { gw } = stack;
      const gatewayLog = (): string => logTail(gw.log);
      if (runs('token')) {
        const { startReplica } = stack;
        outcome.load = await runPhase(
          'token load: baseline vs gateway',
          outcome.errors,
          async () => {
            const provisioned = await provisionLoadTarget(gw, LOAD_INSTANCE);
            if (startReplica) {
              const baseline = freshBareProviders(config.serverNodeArgs, (launched) => (bare = launched));
              const gateway = freshGatewayReplicas(startReplica, LOAD_INSTANCE, provisioned);
              return compareLoad(baseline, gateway, config, config.rounds, printLoadProgress);
            }
            // Embedded state belongs to the one gateway process: one server per side for all rounds.
            bare = await BareProviderProcess.start(config.serverNodeArgs);
            const baseline = bareTarget(bare);
            const gateway = { ...provisioned, serverPid: gw.pid };
            await assertIssuesExpectedToken(baseline);
            await assertIssuesExpectedToken(gateway);
            return compareLoad(
              sharedServer(baseline),
              sharedServer(gateway),
              config,
              config.rounds,
              printLoadProgress,
            );
          },
          () => `baseline:\n${logTail(bare?.log ?? '')}\ngateway:\n${gatewayLog()}`,
        );
        // The baseline is done; give the gateway the machine for the phases that follow.
        await bare?.stop();
      }

      if (runs('rate-limits')) {
        outcome.limiter = await runPhase(
          'rate limiter: token load with limits off vs on (counted, never reached)',
          outcome.errors,
          async () => {
            const serverPid = gw.pid;
            const off = {
              ...(await provisionLoadTarget(gw, LIMITS_OFF_INSTANCE, {
                label: 'limits off',
                policies: NO_RATE_LIMITS,
              })),
              serverPid,
            };
            const on = {
              ...(await provisionLoadTarget(gw, LIMITS_ON_INSTANCE, {
                label: 'limits on',
                policies: UNREACHED_RATE_LIMITS,
              })),
              serverPid,
            };
            await assertIssuesExpectedToken(off);
            await assertIssuesExpectedToken(on);
            // One gateway serves both instances: a launch's luck would land on both sides alike.
            return compareLoad(sharedServer(off), sharedServer(on), config, config.rounds, printLoadProgress);
          },
          gatewayLog,
        );
      }

      if (runs('cold')) {
        outcome.cold = await runPhase(
          `cold instances: ${config.coldInstances} discovery + ${config.coldTokenInstances} token`,
          outcome.errors,
          () => measureColdStart(gw, config.coldInstances, config.coldTokenInstances),
          gatewayLog,
        );
      }

      if (runs('sign-in')) {
        outcome.signIn = await runPhase(
          `sign-in: ${config.signInConcurrency} concurrent code flows, ${config.signInUsers} users`,
          outcome.errors,
          () => measureSignIns(gw, gw.pid, config, (line) => console.log(`  ${line}`)),
          gatewayLog,
        );
        const failed = outcome.signIn?.failedSteps ?? [];
        if (failed.length) {
          // Figures from a run with failed sign-ins are reported, but the run is not a pass.
          const steps = failed.map((f) => `${f.count} × ${f.step} (${f.example})`).join('; ');
          outcome.errors.push(`sign-in: ${outcome.signIn?.failed} sign-ins failed: ${steps}`);
        }
      }

      if (runs('introspection')) {
        const backends = stack.backends;
        outcome.introspection = await runPhase(
          'introspection: reference token at the gateway and through the resource-server library, vs Postgres, Redis, LRU',
          outcome.errors,
          () => measureIntrospection(gw, backends, config),
          gatewayLog,
        );
        if (outcome.introspection?.notOk) {
          outcome.errors.push(`introspection: ${outcome.introspection.notOk} answers were not 200`);
        }
      }
    }
    if (runs('resource-server')) {
      outcome.resourceServer = await runPhase(
        'resource-server: local JWT verifications/s, library vs bare jose',
        outcome.errors,
        () => measureJwtVerification(config.durationSec, config.warmupSec, config.rounds),
      );
    }

    if (runs('onboarding')) {
      // Its own gateways and database: thousands of instances must not weigh on the other
      // scenarios, and the memory read must be of a gateway that served nothing else.
      await disposeStack();
      outcome.onboarding = await runPhase(
        `onboarding: ${config.onboardInstances} instances (${config.onboardConcurrency} at a time), ` +
          `${config.onboardWarm} then warmed`,
        outcome.errors,
        async () => {
          onboardingStack = await startGatewayStack(config, { NODE_OPTIONS: INSPECTABLE_NODE_OPTIONS });
          return measureOnboarding(onboardingStack, onboardingStack.gw.pid, config, (line) =>
            console.log(`  ${line}`),
          );
        },
        () => logTail(onboardingStack?.gw.log ?? ''),
      );
      const replica = outcome.onboarding?.replica;
      if (replica && replica.ok < replica.checked) {
        // A new instance another replica cannot serve is a broken deployment, not a slow one.
        outcome.errors.push(
          `onboarding: ${replica.checked - replica.ok} of ${replica.checked} new instances not served by the ` +
            `second gateway right after the 201: ${replica.failures.join('; ')}`,
        );
      }
    }
  } finally {
    await cleanup();
  }

  printReport(outcome, config);
  return outcome.errors.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(err);
    process.exit(1);
  },
);
