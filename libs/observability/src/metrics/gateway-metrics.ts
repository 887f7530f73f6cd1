import { Counter, Gauge, Histogram } from 'prom-client';
import type { RouteLabel } from '../http/route-label';
import { metricsRegistry } from './metrics-registry';

/*
 * Every label value here comes from a closed set or from a validated, existing instance name:
 * never a path, host, client id, user or token, so the number of series stays bounded.
 *
 * The instance label is `erp_instance`, not `instance`: Prometheus attaches `instance` (the scraped
 * pod) to every series and would rename ours to `exported_instance`.
 */
const INSTANCE = 'erp_instance';

/** Requests that never reached an instance (admin listener, unknown hosts) have no instance. */
const NO_INSTANCE = '';

const registers = [metricsRegistry];

const httpRequests = new Counter({
  name: 'idgw_http_requests_total',
  help: 'HTTP requests answered, by ERP instance, route and status class',
  labelNames: [INSTANCE, 'route', 'status_class'] as const,
  registers,
});

// No instance label: buckets multiply series, and latency per instance is rarely what is looked at.
const httpDuration = new Histogram({
  name: 'idgw_http_request_duration_seconds',
  help: 'Time from receiving a request to the end of its response, by route and status class',
  labelNames: ['route', 'status_class'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers,
});

const tokensIssued = new Counter({
  name: 'idgw_tokens_issued_total',
  help: 'Successful token endpoint responses, by ERP instance and grant type',
  labelNames: [INSTANCE, 'grant_type'] as const,
  registers,
});

const tokenErrors = new Counter({
  name: 'idgw_token_errors_total',
  help: 'Token endpoint errors, by ERP instance and OAuth error code',
  labelNames: [INSTANCE, 'error'] as const,
  registers,
});

const signIns = new Counter({
  name: 'idgw_signins_total',
  help: 'Interactive sign-in attempts, by ERP instance and outcome',
  labelNames: [INSTANCE, 'outcome'] as const,
  registers,
});

const issuerBuilds = new Counter({
  name: 'idgw_issuer_builds_total',
  help: 'Issuer (oidc-provider) builds, by outcome',
  labelNames: ['outcome'] as const,
  registers,
});

const issuerBuildDuration = new Histogram({
  name: 'idgw_issuer_build_duration_seconds',
  help: 'Time to build an issuer: load its record, keys and policies and create its provider',
  labelNames: ['outcome'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers,
});

const issuerEvictions = new Counter({
  name: 'idgw_issuer_evictions_total',
  help: 'Warm issuers that left the pool (size cap, idle timeout, instance change)',
  registers,
});

let poolSize: () => number = () => 0;

// Read when scraped, so the value is exact without a hook on every pool change.
new Gauge({
  name: 'idgw_issuer_pool_size',
  help: 'Warm issuers in this process',
  registers,
  collect() {
    this.set(poolSize());
  },
});

const dependencyErrors = new Counter({
  name: 'idgw_dependency_errors_total',
  help: 'Failures seen talking to Postgres or Redis, by dependency and where they were seen',
  labelNames: ['dependency', 'source'] as const,
  registers,
});

const dependencyUp = new Gauge({
  name: 'idgw_dependency_up',
  help: 'Whether the last readiness check reached the dependency (1) or not (0)',
  labelNames: ['dependency'] as const,
  registers,
});

const auditWriteFailures = new Counter({
  name: 'idgw_audit_write_failures_total',
  help: 'Audit events that could not be written (the action they record went ahead), by source',
  labelNames: ['source'] as const,
  registers,
});

// Series that should exist (at zero) from the first scrape, so rates and alerts see their first increase.
for (const outcome of ['success', 'failure']) issuerBuilds.inc({ outcome }, 0);
for (const source of ['admin', 'sign_in', 'system']) auditWriteFailures.inc({ source }, 0);
for (const dependency of ['postgres', 'redis']) {
  for (const source of ['readiness', 'client']) dependencyErrors.inc({ dependency, source }, 0);
}

export type StatusClass = '1xx' | '2xx' | '3xx' | '4xx' | '5xx' | 'aborted';

/** The class of a response status; `aborted` when the client went away before the response ended. */
export function statusClass(status: number, finished: boolean): StatusClass {
  if (!finished) return 'aborted';
  if (status >= 500) return '5xx';
  if (status >= 400) return '4xx';
  if (status >= 300) return '3xx';
  if (status >= 200) return '2xx';
  return '1xx';
}

interface HttpSeries {
  requests: { inc(): void };
  duration: { observe(seconds: number): void };
}

/**
 * The labelled series of each (instance, route, status) seen so far. prom-client's `labels()` builds
 * a label object and a bound child on every call; a request records two series, so they are looked
 * up once and kept, in maps keyed by the label values themselves (no key string per request).
 * Bounded like the series themselves: instances × routes × status classes.
 */
const httpSeries = new Map<string, Map<RouteLabel, Map<StatusClass, HttpSeries>>>();

function seriesOf(instance: string, route: RouteLabel, status: StatusClass): HttpSeries {
  let byRoute = httpSeries.get(instance);
  if (!byRoute) httpSeries.set(instance, (byRoute = new Map()));
  let byStatus = byRoute.get(route);
  if (!byStatus) byRoute.set(route, (byStatus = new Map()));
  let series = byStatus.get(status);
  if (!series) {
    series = {
      requests: httpRequests.labels({ [INSTANCE]: instance, route, status_class: status }),
      duration: httpDuration.labels({ route, status_class: status }),
    };
    byStatus.set(status, series);
  }
  return series;
}

export function recordHttpRequest(
  instance: string | undefined,
  route: RouteLabel,
  status: StatusClass,
  seconds: number,
): void {
  const series = seriesOf(instance ?? NO_INSTANCE, route, status);
  series.requests.inc();
  series.duration.observe(seconds);
}

/** The token counter's series by instance and grant type, kept for the same reason as the HTTP ones. */
const tokenSeries = new Map<string, Map<string, { inc(): void }>>();

export function recordTokenIssued(instance: string, grantType: string): void {
  let byGrant = tokenSeries.get(instance);
  if (!byGrant) tokenSeries.set(instance, (byGrant = new Map()));
  let series = byGrant.get(grantType);
  if (!series) {
    series = tokensIssued.labels({ [INSTANCE]: instance, grant_type: grantType });
    byGrant.set(grantType, series);
  }
  series.inc();
}

export function recordTokenError(instance: string, error: string): void {
  tokenErrors.inc({ [INSTANCE]: instance, error });
}

/** How an interactive sign-in attempt ended. */
export type SignInOutcome = 'success' | 'failed' | 'locked' | 'error';

/** Counts one sign-in attempt at an instance (for the sign-in pages to call). */
export function recordSignIn(instance: string, outcome: SignInOutcome): void {
  signIns.inc({ [INSTANCE]: instance, outcome });
}

export function recordIssuerBuild(outcome: 'success' | 'failure', seconds: number): void {
  issuerBuilds.inc({ outcome });
  issuerBuildDuration.observe({ outcome }, seconds);
}

export function recordIssuerEviction(): void {
  issuerEvictions.inc();
}

/** Where the pool size gauge reads its value. */
export function watchIssuerPoolSize(size: () => number): void {
  poolSize = size;
}

export type Dependency = 'postgres' | 'redis';

export function recordDependencyError(dependency: Dependency, source: 'readiness' | 'client'): void {
  dependencyErrors.inc({ dependency, source });
}

export function recordDependencyState(dependency: Dependency, up: boolean): void {
  dependencyUp.set({ dependency }, up ? 1 : 0);
}

export function recordAuditWriteFailure(source: 'admin' | 'sign_in' | 'system'): void {
  auditWriteFailures.inc({ source });
}
