import { GatewayProcess, type GatewayOptions } from './gateway-process';

/**
 * Starts `count` gateways side by side (each start is mostly waiting: migrations, connections), for
 * gateways that do not share a database (development mode migrates at start, without a lock).
 * If any fails, the ones that started are stopped before the error is thrown, so none outlives the test.
 */
export async function startGateways(count: number, options: GatewayOptions = {}): Promise<GatewayProcess[]> {
  const results = await Promise.allSettled(
    Array.from({ length: count }, () => GatewayProcess.start(options)),
  );
  const started = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await Promise.all(started.map((gw) => gw.dispose()));
    throw failed.reason;
  }
  return started;
}
