import { Global, Module, RequestMethod, type OnModuleInit } from '@nestjs/common';
import { AUDIT_OBSERVER } from '@erp-id/audit';
import { ISSUER_OBSERVER } from '@erp-id/issuer';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule, type Params } from 'nestjs-pino';
import type { Logger } from 'pino';
import { HealthController } from './health/health.controller';
import { ReadinessChecks } from './health/readiness-checks';
import { RequestObserver } from './http/request-observer';
import { ShutdownState } from './lifecycle/shutdown-state';
import { ROOT_LOGGER, RootLoggerModule } from './logging/root-logger.module';
import { AuditMetricsObserver } from './metrics/audit-metrics.observer';
import { IssuerMetricsObserver } from './metrics/issuer-metrics.observer';
import { IssuerPoolGauge } from './metrics/issuer-pool-gauge';
import { collectProcessMetrics } from './metrics/metrics-registry';
import { MetricsController } from './metrics/metrics.controller';
import { RedisClientErrors } from './metrics/redis-client-errors';

/**
 * Nest's logger on the root pino logger. `useExisting`: the request logger is the gateway's own
 * middleware (see RequestObserver); Nest's middleware only makes each request's logger the one
 * that Nest logs go to while it is served.
 */
function nestLoggerParams(logger: Logger): Params {
  return {
    pinoHttp: { logger },
    useExisting: true,
    forRoutes: [{ path: '{*splat}', method: RequestMethod.ALL }],
  };
}

/** Logs, metrics, health and readiness, and the shutdown flag they share. */
@Global()
@Module({
  imports: [
    RootLoggerModule,
    LoggerModule.forRootAsync({
      imports: [RootLoggerModule],
      inject: [ROOT_LOGGER],
      useFactory: nestLoggerParams,
    }),
    // Readiness logs its own changes (see ReadinessChecks), not every failed probe.
    TerminusModule.forRoot({ logger: false }),
  ],
  controllers: [HealthController, MetricsController],
  providers: [
    ShutdownState,
    ReadinessChecks,
    RequestObserver,
    IssuerMetricsObserver,
    // The issuer pool reports builds and hands each provider over for its token events.
    { provide: ISSUER_OBSERVER, useExisting: IssuerMetricsObserver },
    IssuerPoolGauge,
    RedisClientErrors,
    AuditMetricsObserver,
    { provide: AUDIT_OBSERVER, useExisting: AuditMetricsObserver },
  ],
  exports: [ShutdownState, RequestObserver, ISSUER_OBSERVER, AUDIT_OBSERVER],
})
export class ObservabilityModule implements OnModuleInit {
  onModuleInit(): void {
    collectProcessMetrics();
  }
}
