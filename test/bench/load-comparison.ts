import { type LoadResult, type LoadSettings, measureTokenLoad } from './load-run';
import type { TokenTarget } from './token-target';

/** The server one load run talks to. */
export interface RoundServer {
  target: TokenTarget;
  /** Launched for this run: it needs the long warm-up, and is stopped after it. */
  fresh: boolean;
  stop(): Promise<void>;
}

/** Gives the server for the next run: a freshly launched process, or one shared by every run. */
export type ServerSource = () => Promise<RoundServer>;

/** One server for every round (nothing launched, nothing stopped). */
export function sharedServer(target: TokenTarget): ServerSource {
  return () => Promise.resolve({ target, fresh: false, stop: () => Promise.resolve() });
}

export interface TargetLoadSummary {
  /** Sum of 200s over sum of measured seconds, across rounds. */
  tokensPerSec: number;
  /** Worst round: a regression should not hide behind a good round. */
  p99Ms: number;
  /** Server CPU µs per token over all rounds; undefined without /proc. */
  cpuUsPerToken?: number;
  /** The main thread's part of {@link cpuUsPerToken}. */
  mainCpuUsPerToken?: number;
  rounds: LoadResult[];
}

export interface LoadComparison {
  baseline: TargetLoadSummary;
  gateway: TargetLoadSummary;
  /** gateway tokens/s ÷ baseline tokens/s. */
  ratio: number;
  /** gateway CPU per token ÷ baseline CPU per token: the overhead with the machine's noise taken out. */
  cpuRatio?: number;
  /** Every run had servers of its own (launched for it), rather than one server for all rounds. */
  freshServers: boolean;
}

function summarizeTarget(rounds: LoadResult[]): TargetLoadSummary {
  const ok = rounds.reduce((n, r) => n + r.ok, 0);
  const seconds = rounds.reduce((n, r) => n + r.durationSec, 0);
  // A per-token figure over all rounds: each round weighted by its 200s; unknown if any round's is.
  const overAllRounds = (perToken: (r: LoadResult) => number | undefined): number | undefined => {
    if (ok === 0 || rounds.some((r) => perToken(r) === undefined)) return undefined;
    return rounds.reduce((n, r) => n + perToken(r)! * r.ok, 0) / ok;
  };
  return {
    tokensPerSec: ok / seconds,
    p99Ms: Math.max(...rounds.map((r) => r.p99Ms)),
    cpuUsPerToken: overAllRounds((r) => r.cpuUsPerToken),
    mainCpuUsPerToken: overAllRounds((r) => r.mainCpuUsPerToken),
    rounds,
  };
}

/** A load run with a single failed request is not a measurement; say so loudly and stop. */
function assertAllOk(result: LoadResult): void {
  if (result.notOk === 0 && result.errors === 0 && result.warmupFailures === 0) return;
  throw new Error(
    `${result.label}: ${result.notOk} non-200 responses ${JSON.stringify(result.statusCounts)}, ` +
      `${result.errors} connection errors/timeouts, ${result.warmupFailures} failures during warm-up`,
  );
}

/**
 * Baseline and gateway in alternation (B G G B B G …) with identical settings, so slow drift on the
 * machine (thermal, other tenants) and the order within a round land on both alike. With sources
 * that launch a server per run, every round also averages over another pair of launches: the same
 * build runs measurably faster or slower from one launch to the next (code placement, JIT choices),
 * and one launch per side would make that luck part of the ratio.
 */
export async function compareLoad(
  baseline: ServerSource,
  gateway: ServerSource,
  settings: LoadSettings & { primeSec: number },
  rounds: number,
  onResult: (result: LoadResult) => void,
): Promise<LoadComparison> {
  const results = { baseline: [] as LoadResult[], gateway: [] as LoadResult[] };
  let freshServers = true;
  for (let round = 0; round < rounds; round++) {
    const pair = [
      ['baseline', baseline],
      ['gateway', gateway],
    ] as const;
    // A B, then B A: whatever running second costs or gains (the other's garbage, a warmer cache)
    // falls on both alike over two rounds.
    for (const [key, source] of round % 2 === 0 ? pair : [...pair].reverse()) {
      const server = await source();
      try {
        freshServers &&= server.fresh;
        // Collect the previous run's garbage now rather than during the next measured run.
        global.gc?.();
        const primed = server.fresh || round === 0;
        const warmupSec = primed ? settings.warmupSec + settings.primeSec : settings.warmupSec;
        const result = await measureTokenLoad(server.target, { ...settings, warmupSec });
        onResult(result);
        assertAllOk(result);
        results[key].push(result);
      } finally {
        await server.stop();
      }
    }
  }
  const b = summarizeTarget(results.baseline);
  const g = summarizeTarget(results.gateway);
  const cpuRatio =
    b.cpuUsPerToken && g.cpuUsPerToken !== undefined ? g.cpuUsPerToken / b.cpuUsPerToken : undefined;
  return { baseline: b, gateway: g, ratio: g.tokensPerSec / b.tokensPerSec, cpuRatio, freshServers };
}
