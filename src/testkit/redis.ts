/**
 * Redis for tests: a key prefix of their own per test run, and the listing and deletion of every key under it (other
 * test runs share the server at 127.0.0.1:6379, so nothing here touches a key outside the prefixes it was given).
 *
 * @example
 * const prefix = testKeyPrefix('redis-cache');
 * afterAll(() => deleteKeysUnder(admin, [prefix]));
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/** A key prefix no other run uses: `kindred-test:<suite>:<uuid>:`. */
export function testKeyPrefix(suite: string): string {
  return `kindred-test:${suite}:${randomUUID()}:`;
}

/** Every key under `prefix`, sorted (SCAN, so the server never blocks on KEYS). */
export async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, page] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    keys.push(...page);
    cursor = next;
  } while (cursor !== '0');
  return keys.sort();
}

/** Deletes every key under each of `prefixes`. */
export async function deleteKeysUnder(redis: Redis, prefixes: Iterable<string>): Promise<void> {
  for (const prefix of prefixes) {
    const keys = await keysUnder(redis, prefix);
    if (keys.length > 0) await redis.del(...keys);
  }
}
