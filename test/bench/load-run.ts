import autocannon from 'autocannon';
import { startCpuWindow } from './process-cpu';
import { TOKEN_REQUEST_BODY, type TokenTarget, tokenRequestHeaders } from './token-target';

export interface LoadSettings {
  connections: number;
  warmupSec: number;
  durationSec: number;
}

export interface LoadResult {
  label: string;
  /** 200 responses per second of the measured run. */
  tokensPerSec: number;
  p50Ms: number;
  p99Ms: number;
  ok: number;
  /** Responses with any status but 200. */
  notOk: number;
  statusCounts: Record<string, number>;
  /** Connection errors, timeouts included. */
  errors: number;
  /** Non-200 responses and errors during the discarded warm-up: still a broken server. */
  warmupFailures: number;
  durationSec: number;
  /** Server CPU (all threads) per 200 response, in µs; undefined where /proc is unavailable. */
  cpuUsPerToken?: number;
  /** The part of {@link cpuUsPerToken} spent on the server's main thread. */
  mainCpuUsPerToken?: number;
  /** Cores the server kept busy on average during the measured run. */
  serverCores?: number;
  /**
   * Cores busy with anything but the server and this process (the load generator) during the
   * measured run: other work on the machine, which makes tokens/s unreliable.
   */
  otherCores?: number;
}

function runAutocannon(
  target: TokenTarget,
  connections: number,
  durationSec: number,
): Promise<autocannon.Result> {
  return autocannon({
    url: target.url,
    method: 'POST',
    headers: tokenRequestHeaders(target),
    body: TOKEN_REQUEST_BODY,
    connections,
    duration: durationSec,
    // One request in flight per connection: a token client waits for its answer.
    pipelining: 1,
    timeout: 10,
  });
}

/** CPU seconds spread over the 200s, in µs each; undefined when either is unknown or zero. */
const usPerToken = (seconds: number | undefined, ok: number): number | undefined =>
  seconds === undefined || ok === 0 ? undefined : (seconds * 1e6) / ok;

function statusCounts(result: autocannon.Result): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) counts[code] = stat.count ?? 0;
  return counts;
}

/**
 * Warm-up run (discarded: JIT, connection setup, the gateway's lazy issuer build), then the
 * measured run with identical settings. Throughput counts 200s only, so errors cannot inflate it.
 */
export async function measureTokenLoad(target: TokenTarget, settings: LoadSettings): Promise<LoadResult> {
  const warm = await runAutocannon(target, settings.connections, settings.warmupSec);
  const cpu = startCpuWindow(target.serverPid);
  const result = await runAutocannon(target, settings.connections, settings.durationSec);
  const { serverSec: cpuUsed, serverMainSec: mainUsed, othersSec: otherUsed } = cpu.end();
  const counts = statusCounts(result);
  const ok = counts['200'] ?? 0;
  const notOk = Object.entries(counts).reduce((sum, [code, n]) => (code === '200' ? sum : sum + n), 0);
  return {
    label: target.label,
    tokensPerSec: ok / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    ok,
    notOk,
    statusCounts: counts,
    errors: result.errors,
    warmupFailures: warm.errors + warm.non2xx,
    durationSec: result.duration,
    cpuUsPerToken: usPerToken(cpuUsed, ok),
    mainCpuUsPerToken: usPerToken(mainUsed, ok),
    serverCores: cpuUsed === undefined ? undefined : cpuUsed / result.duration,
    otherCores: otherUsed === undefined ? undefined : otherUsed / result.duration,
  };
}
