import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const DIST = resolve(__dirname, '..', '..', '..');
/** Where the compiled gateway is (this file runs as dist/test/bench/gateway/gateway-entry.js). */
const BUILT_ENTRY = join(DIST, 'apps', 'gateway', 'src', 'main.js');
/**
 * What GatewayProcess computes when it runs compiled from dist/test/support: it takes the
 * directory two levels up as the repository root, which is dist/ there, not the repository.
 */
const HELPER_ENTRY = join(DIST, 'dist', 'apps', 'gateway', 'src', 'main.js');

/**
 * Extra environment for GatewayProcess so its child runs the right gateway: this build's, or
 * BENCH_GATEWAY_ENTRY (another build's main.js, to compare a candidate against the same baseline).
 * Both paths the helper may compute are mapped, so this keeps working once the helper is fixed.
 */
export function gatewayEntryEnv(): Record<string, string> {
  const wanted = process.env.BENCH_GATEWAY_ENTRY ? resolve(process.env.BENCH_GATEWAY_ENTRY) : BUILT_ENTRY;
  if (!existsSync(wanted)) throw new Error(`no compiled gateway at ${wanted}`);
  return {
    NODE_OPTIONS: `--require ${join(__dirname, 'entry-redirect-preload.js')}`,
    IDGW_BENCH_ENTRY_FROM: JSON.stringify([HELPER_ENTRY, BUILT_ENTRY]),
    IDGW_BENCH_ENTRY_TO: wanted,
  };
}
