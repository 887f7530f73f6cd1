/**
 * Preloaded (`node --require`) into the gateway child to change which compiled gateway it runs,
 * without touching test/support: GatewayProcess always spawns the entry it computes itself.
 * Maps exactly the listed entry paths to one target and leaves every other resolution alone.
 * See gateway-entry.ts for when it is used.
 */
import Module from 'node:module';

interface ResolvingModule {
  _resolveFilename(request: string, ...rest: unknown[]): string;
}

const from = new Set<string>(JSON.parse(process.env.IDGW_BENCH_ENTRY_FROM ?? '[]') as string[]);
const to = process.env.IDGW_BENCH_ENTRY_TO;
if (from.size && to) {
  const loader = Module as unknown as ResolvingModule;
  const resolve = loader._resolveFilename.bind(loader);
  loader._resolveFilename = (request: string, ...rest: unknown[]): string =>
    resolve(from.has(request) ? to : request, ...rest);
}
