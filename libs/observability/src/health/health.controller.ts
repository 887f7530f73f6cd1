import { Controller, Get } from '@nestjs/common';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  type HealthCheckResult,
} from '@nestjs/terminus';
import { ShutdownState } from '../lifecycle/shutdown-state';
import { ReadinessChecks } from './readiness-checks';

/**
 * Kubernetes probes; the gateway serves them on the admin listener only. A failed check answers
 * 503 with the same body, naming what is down.
 */
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly readiness: ReadinessChecks,
    private readonly shutdown: ShutdownState,
  ) {}

  /** Liveness: the process answers. No dependency checks: an outage must not get pods restarted. */
  @Get('healthz')
  @HealthCheck()
  healthz(): Promise<HealthCheckResult> {
    const uptimeSeconds = Math.round(process.uptime());
    return this.health.check([() => this.indicators.check('process').up({ uptimeSeconds })]);
  }

  /** Readiness: dependencies reachable and the schema current; unready at once when shutting down. */
  @Get('readyz')
  @HealthCheck()
  readyz(): Promise<HealthCheckResult> {
    if (this.shutdown.active) {
      return this.health.check([() => this.indicators.check('lifecycle').down({ message: 'shutting down' })]);
    }
    return this.health.check(this.readiness.all());
  }
}
