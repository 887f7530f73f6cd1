import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { REDIS_CLIENT, type OptionalRedisClient } from '@erp-id/state';
import { recordDependencyError } from './gateway-metrics';

/**
 * Counts every error the shared Redis client reports (failed connects and reconnects, broken
 * connections), also between readiness probes. No client in embedded mode.
 */
@Injectable()
export class RedisClientErrors implements OnModuleInit {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: OptionalRedisClient) {}

  onModuleInit(): void {
    this.redis?.on('error', () => recordDependencyError('redis', 'client'));
  }
}
