import { Global, Inject, Logger, Module, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { GatewayConfig } from '@erp-id/config';
import { COUNTER_STORE, type CounterStore } from './counter-store';
import { MemoryStateStore } from './memory/memory-state-store';
import { REDIS_CLIENT, createRedisClient, type OptionalRedisClient } from './redis/redis-client';
import { RedisStateStore } from './redis/redis-state-store';
import { STATE_STORE, type StateStore } from './state-store';

const redisClientProvider: Provider<OptionalRedisClient> = {
  provide: REDIS_CLIENT,
  inject: [GatewayConfig],
  useFactory: (config: GatewayConfig): OptionalRedisClient =>
    config.embeddedState || config.redisUrl === undefined ? null : createRedisClient(config.redisUrl),
};

const stateStoreProvider: Provider<StateStore> = {
  provide: STATE_STORE,
  inject: [GatewayConfig, REDIS_CLIENT],
  useFactory: (config: GatewayConfig, redis: OptionalRedisClient): StateStore => {
    if (redis !== null) return new RedisStateStore(redis, config.redisKeyPrefix);
    new Logger('StateModule').warn(
      'No REDIS_URL: sessions and tokens are kept in this process. Run ONE replica only; state is lost on restart.',
    );
    return new MemoryStateStore();
  },
};

// The counters live in the state store's namespace so that deleting an instance removes them.
const counterStoreProvider: Provider<CounterStore> = {
  provide: COUNTER_STORE,
  inject: [STATE_STORE],
  useFactory: (store: StateStore): CounterStore => store.counters,
};

/**
 * The oidc-provider state store (Redis, or in-process in embedded mode), its counters (sign-in
 * lockout) and the shared Redis client.
 */
@Global()
@Module({
  providers: [redisClientProvider, stateStoreProvider, counterStoreProvider],
  exports: [REDIS_CLIENT, STATE_STORE, COUNTER_STORE],
})
export class StateModule implements OnApplicationShutdown {
  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: OptionalRedisClient,
    @Inject(STATE_STORE) private readonly store: StateStore,
  ) {}

  // Application shutdown, not module destroy: every other module's onModuleDestroy (draining
  // requests, closing the change channel) has run by then and may still have needed Redis.
  async onApplicationShutdown(): Promise<void> {
    if (this.store instanceof MemoryStateStore) this.store.close();
    if (this.redis === null || this.redis.status === 'end') return;
    if (this.redis.status !== 'ready') {
      // QUIT would wait in the offline queue for a server that is not there.
      this.redis.disconnect();
      return;
    }
    try {
      await this.redis.quit();
    } catch {
      this.redis.disconnect();
    }
  }
}
