import { Inject, Injectable, Logger } from '@nestjs/common';
import { GatewayConfig } from '@erp-id/config';
import { MigrationRunner } from '@erp-id/persistence';
import { STATE_STORE, type StateStore } from '@erp-id/state';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { type Dependency, recordDependencyError, recordDependencyState } from '../metrics/gateway-metrics';
import { singleFlight } from './single-flight';

/** A dead dependency must turn into a quick 503, not a probe that hangs until the kubelet gives up. */
export const CHECK_TIMEOUT_MS = 1_000;

export type ReadinessCheck = () => Promise<HealthIndicatorResult>;

type CheckName = Dependency | 'migrations';

/** What readiness needs: Postgres reachable with a current schema, and the state store (Redis) reachable. */
@Injectable()
export class ReadinessChecks {
  private readonly logger = new Logger('Readiness');
  // Probes come every few seconds: log when a check changes, not each time it fails.
  private readonly lastUp = new Map<CheckName, boolean>();
  // Once current, the schema stays current for the life of the process (migrations run before a rollout).
  private migrationsCurrent = false;
  private readonly selectOne = singleFlight(async () => {
    await this.dataSource.query('SELECT 1');
  });
  private readonly pendingMigrations = singleFlight(() => this.migrations.pending());
  private readonly pingState = singleFlight(() => this.state.ping());

  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly dataSource: DataSource,
    private readonly migrations: MigrationRunner,
    @Inject(STATE_STORE) private readonly state: StateStore,
    private readonly config: GatewayConfig,
  ) {}

  all(): ReadinessCheck[] {
    return [() => this.postgres(), () => this.schema(), () => this.redis()];
  }

  private async postgres(): Promise<HealthIndicatorResult> {
    const backend = this.config.embeddedDatabase ? 'pglite' : 'postgres';
    const result = await this.attempt('postgres', async () => {
      await this.selectOne();
      return { backend };
    });
    this.recordDependency('postgres', result);
    return result;
  }

  private async redis(): Promise<HealthIndicatorResult> {
    const backend = this.config.embeddedState ? 'in-process' : 'redis';
    const result = await this.attempt('redis', async () => {
      await this.pingState();
      return { backend };
    });
    this.recordDependency('redis', result);
    return result;
  }

  private async schema(): Promise<HealthIndicatorResult> {
    if (this.migrationsCurrent) return this.indicators.check('migrations').up({ pending: false });
    return this.attempt('migrations', async () => {
      if (await this.pendingMigrations()) throw new Error('migrations are pending: run the migrate command');
      this.migrationsCurrent = true;
      return { pending: false };
    });
  }

  /** Runs one check with the timeout; a failure or a timeout becomes `down` with its message. */
  private async attempt(
    name: CheckName,
    check: () => Promise<Record<string, unknown>>,
  ): Promise<HealthIndicatorResult> {
    const result = await this.indicators.check(name).attempt(check).withTimeout(CHECK_TIMEOUT_MS);
    const detail = result[name];
    this.reportChange(name, detail?.status === 'up', detail?.message);
    return result;
  }

  private recordDependency(dependency: Dependency, result: HealthIndicatorResult): void {
    const up = result[dependency]?.status === 'up';
    recordDependencyState(dependency, up);
    if (!up) recordDependencyError(dependency, 'readiness');
  }

  private reportChange(name: CheckName, up: boolean, message: unknown): void {
    const before = this.lastUp.get(name);
    this.lastUp.set(name, up);
    if (up && before === false) this.logger.log(`${name}: ready again`);
    if (!up && before !== false) this.logger.warn(`${name}: not ready: ${String(message ?? 'down')}`);
  }
}
