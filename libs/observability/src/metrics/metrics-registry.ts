import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * The gateway's own registry rather than prom-client's global one: `/metrics` exposes exactly what
 * is registered here, whatever other packages put in the global registry.
 */
export const metricsRegistry = new Registry();

let processMetrics = false;

/** Process metrics (CPU, memory, event loop lag, GC, handles), registered once per process. */
export function collectProcessMetrics(): void {
  if (processMetrics) return;
  processMetrics = true;
  collectDefaultMetrics({ register: metricsRegistry });
}
