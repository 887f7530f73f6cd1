import { randomBytes } from 'node:crypto';
import type Redis from 'ioredis';

/** A key prefix no other run shares, so suites can run against a shared Redis. */
export function uniqueRedisPrefix(label = 'idgw-test'): string {
  return `${label}-${randomBytes(6).toString('hex')}`;
}

/** Every key matching a SCAN pattern (SCAN, never KEYS). */
export async function scanKeys(client: Redis, pattern: string): Promise<string[]> {
  const found = new Set<string>();
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    cursor = next;
    for (const key of keys) found.add(key);
  } while (cursor !== '0');
  return [...found];
}

/** Removes every key a test run wrote under its prefix. */
export async function deleteKeysWithPrefix(client: Redis, prefix: string): Promise<number> {
  const keys = await scanKeys(client, `${prefix}:*`);
  let removed = 0;
  for (let i = 0; i < keys.length; i += 500) {
    removed += await client.unlink(...keys.slice(i, i + 500));
  }
  return removed;
}
