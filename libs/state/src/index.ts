export { StateModule } from './state.module';
export { STATE_STORE, type StateStore } from './state-store';
export { COUNTER_STORE, type CounterStore } from './counter-store';
export { redisNamespace } from './keyspace';
export { RedisCounterStore } from './redis/redis-counter-store';
export { MemoryCounterStore } from './memory/memory-counter-store';
export { RedisStateStore } from './redis/redis-state-store';
export { MemoryStateStore, type MemoryStateStoreOptions } from './memory/memory-state-store';
export {
  REDIS_CLIENT,
  createRedisClient,
  duplicateForSubscribe,
  type OptionalRedisClient,
} from './redis/redis-client';
