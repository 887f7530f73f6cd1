import type Redis from 'ioredis';
import type { ChainableCommander } from 'ioredis';

/**
 * The few writes that need a condition evaluated inside Redis. Each touches only the key it is
 * given (Cluster-safe). Registered with ioredis' `defineCommand`, which sends EVALSHA and falls
 * back to EVAL when the server does not know the script yet, on clients and in MULTI alike.
 */
const SCRIPTS = {
  // HSET on a missing key would create a record without TTL that never expires.
  idgwConsume: `
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('HSET', KEYS[1], 'consumed', ARGV[1])
  return 1
end
return 0`,
  // Adds a member to an index set (grant or account) and extends (never shortens) the set's
  // lifetime to cover it; ARGV[2] = 0 means the member never expires. A set that existed without
  // TTL already outlives every member.
  idgwIndexAdd: `
local current = redis.call('PTTL', KEYS[1])
redis.call('SADD', KEYS[1], ARGV[1])
local ttl = tonumber(ARGV[2])
if ttl <= 0 then
  if current >= 0 then redis.call('PERSIST', KEYS[1]) end
elseif current == -2 or (current >= 0 and current < ttl) then
  redis.call('PEXPIRE', KEYS[1], ttl)
end
return 1`,
  // The window of a counter starts at its first hit: only a counter without TTL (just created by
  // INCR) gets one, so later hits never push the window's end out.
  idgwCounterHit: `
local count = redis.call('INCR', KEYS[1])
if redis.call('PTTL', KEYS[1]) < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return count`,
  // An index may already point to a newer record (a Session gets a new id but keeps its uid).
  idgwDelIfEquals: `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`,
} as const;

export interface StateScripts<R> {
  /** Sets the `consumed` field of an existing record hash. */
  idgwConsume(key: string, consumedAt: number): R;
  /** Adds a record key to an index set; `ttlMs` 0 = the record never expires. */
  idgwIndexAdd(indexKey: string, member: string, ttlMs: number): R;
  /** Increments a counter, starting its window of `windowMs` on the first hit; yields the count. */
  idgwCounterHit(key: string, windowMs: number): R;
  /** Deletes an index key only while it still points to `expected`. */
  idgwDelIfEquals(key: string, expected: string): R;
}

/** Registers the scripts on a client; idempotent, and MULTIs created afterwards inherit them. */
export function registerStateScripts(client: Redis): void {
  for (const [name, lua] of Object.entries(SCRIPTS)) {
    client.defineCommand(name, { numberOfKeys: 1, lua });
  }
}

// defineCommand adds methods at run time that ioredis' types cannot know; these two casts are
// the only place that relies on it, instead of augmenting ioredis' types for the whole program.
export function scriptsOf(client: Redis): StateScripts<Promise<number>> {
  return client as unknown as StateScripts<Promise<number>>;
}

export function queuedScriptsOf(multi: ChainableCommander): StateScripts<ChainableCommander> {
  return multi as unknown as StateScripts<ChainableCommander>;
}
