import { Logger } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import type Provider from 'oidc-provider';
import { IssuerMetricsObserver } from './issuer-metrics.observer';
import { metricsRegistry } from './metrics-registry';

/** A series' value: `suffix` picks a histogram's `_sum` or `_count`. */
async function value(name: string, labels: Record<string, string> = {}, suffix = ''): Promise<number> {
  const metric = metricsRegistry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  const match = values.find(
    (v) =>
      ((v as { metricName?: string }).metricName ?? name) === `${name}${suffix}` &&
      Object.entries(labels).every(([k, l]) => v.labels[k] === l),
  );
  return match?.value ?? 0;
}

describe('IssuerMetricsObserver', () => {
  const observer = new IssuerMetricsObserver();

  beforeEach(() => metricsRegistry.resetMetrics());

  it('counts tokens by instance and grant type from the provider it is handed', async () => {
    const provider = new EventEmitter();
    observer.providerBuilt(provider as unknown as Provider, { instanceName: 'acme', durationMs: 42 });
    provider.emit('grant.success', { oidc: { params: { grant_type: 'client_credentials' } } });
    provider.emit('grant.success', { oidc: { params: { grant_type: 'client_credentials' } } });
    provider.emit('grant.success', { oidc: { params: { grant_type: 'refresh_token' } } });
    const tokens = (grantType: string) =>
      value('idgw_tokens_issued_total', { erp_instance: 'acme', grant_type: grantType });
    expect(await tokens('client_credentials')).toBe(2);
    expect(await tokens('refresh_token')).toBe(1);
    expect(await value('idgw_issuer_builds_total', { outcome: 'success' })).toBe(1);
    expect(await value('idgw_issuer_build_duration_seconds', { outcome: 'success' }, '_sum')).toBeCloseTo(
      0.042,
    );
  });

  it('counts token errors by OAuth error code, and never uses free text as a label', async () => {
    const provider = new EventEmitter();
    observer.providerBuilt(provider as unknown as Provider, { instanceName: 'acme', durationMs: 1 });
    provider.emit('grant.error', {}, Object.assign(new Error('bad secret'), { error: 'invalid_client' }));
    provider.emit('grant.error', {}, new Error('socket hang up for client "nightly-sync" at 10.0.0.1'));
    provider.emit('grant.success', { oidc: { params: { grant_type: 'x'.repeat(200) } } });
    expect(await value('idgw_token_errors_total', { error: 'invalid_client' })).toBe(1);
    expect(await value('idgw_token_errors_total', { error: 'server_error' })).toBe(1);
    expect(await value('idgw_tokens_issued_total', { grant_type: 'unknown' })).toBe(1);
  });

  it('never lets a listener fail the request it runs in', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const provider = new EventEmitter();
    observer.providerBuilt(provider as unknown as Provider, { instanceName: 'acme', durationMs: 1 });
    expect(() => provider.emit('grant.success', { oidc: undefined })).not.toThrow();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('metric not recorded'));
    warn.mockRestore();
  });

  it('counts failed builds and evictions', async () => {
    observer.buildFailed({ instanceName: 'acme', durationMs: 5 });
    observer.issuerEvicted('acme');
    expect(await value('idgw_issuer_builds_total', { outcome: 'failure' })).toBe(1);
    expect(await value('idgw_issuer_evictions_total')).toBe(1);
  });
});
