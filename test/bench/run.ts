/**
 * Benchmark: the gateway's client-credentials token endpoint against a bare single-issuer
 * oidc-provider, and the latency of an instance's first request (lazy issuer build).
 * `npm run bench`; knobs in bench-config.ts (BENCH_DURATION, …). Prints a table and one
 * `BENCH_SUMMARY {json}` line; exits non-zero only when a phase errors, never on a missed target.
 */
import { BareProviderProcess } from './bare-provider/bare-provider-process';
import { readBenchConfig } from './bench-config';
import { measureColdStart } from './cold/cold-start';
import { type GatewayStack, startGatewayStack } from './gateway/gateway-stack';
import { provisionLoadTarget } from './gateway/gateway-token-target';
import { compareLoad } from './load-comparison';
import { runPhase } from './phase';
import { findChildPid } from './process-cpu';
import { logTail } from './log-text';
import { type BenchOutcome, printLoadProgress, printReport } from './report';
import { assertIssuesExpectedToken } from './token-check';
import type { TokenTarget } from './token-target';

const LOAD_INSTANCE = 'bench-load';
/** How the gateway child is recognised among this process's children (for its CPU time). */
const GATEWAY_ENTRY = 'apps/gateway/src/main.js';

function bareTarget(bare: BareProviderProcess): TokenTarget {
  return {
    label: 'baseline',
    url: bare.tokenUrl,
    clientId: bare.client.clientId,
    clientSecret: bare.client.clientSecret,
    audience: bare.audience,
    serverPid: bare.pid,
  };
}

async function main(): Promise<number> {
  const config = readBenchConfig();
  const outcome: BenchOutcome = { errors: [] };
  let bare: BareProviderProcess | undefined;
  let stack: GatewayStack | undefined;

  let cleaning: Promise<void> | undefined;
  const cleanup = (): Promise<void> =>
    (cleaning ??= (async () => {
      await bare?.stop().catch((err: Error) => outcome.errors.push(`stop baseline: ${err.message}`));
      if (stack) outcome.errors.push(...(await stack.dispose()));
    })());
  // An interrupted run must not leave a database, Redis keys or servers behind.
  process.once('SIGINT', () => void cleanup().finally(() => process.exit(130)));

  try {
    await runPhase('start servers', outcome.errors, async () => {
      bare = await BareProviderProcess.start();
      stack = await startGatewayStack(config.databaseUrl, config.redisUrl, config.gatewayLogLevel);
      console.log(`  baseline on ${bare.origin}, gateway on 127.0.0.1:${stack.gw.port}`);
    });

    if (bare && stack) {
      const { gw } = stack;
      const baseline = bareTarget(bare);
      outcome.load = await runPhase(
        'token load: baseline vs gateway',
        outcome.errors,
        async () => {
          const gateway = {
            ...(await provisionLoadTarget(gw, LOAD_INSTANCE)),
            serverPid: findChildPid(GATEWAY_ENTRY),
          };
          await assertIssuesExpectedToken(baseline);
          await assertIssuesExpectedToken(gateway);
          return compareLoad(baseline, gateway, config, config.rounds, printLoadProgress);
        },
        () => `baseline:\n${logTail(bare?.log ?? '')}\ngateway:\n${logTail(gw.log)}`,
      );
      // The baseline is done; give the gateway the machine for the latency phase.
      await bare.stop();

      outcome.cold = await runPhase(
        `cold instances: ${config.coldInstances} discovery + ${config.coldTokenInstances} token`,
        outcome.errors,
        () => measureColdStart(gw, config.coldInstances, config.coldTokenInstances),
        () => logTail(gw.log),
      );
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
