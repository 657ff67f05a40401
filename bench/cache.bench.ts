/**
 * The list cache's own cost, per backend: memory:// (one process), store:// (a SQLite table) and redis:// (Redis on
 * 127.0.0.1:6379, skipped with a message when it does not answer). For 1,000 subjects with a 10-item list each:
 * a read (a hit, what a cached recommendation costs), the write a computed list costs (invalidate the user's old
 * list, then put: storeList in pipeline/list-cache.ts) and invalidate({}) (what a model swap does), per list.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Cache, CachedList } from '../src/storage/cache.js';
import { openCache, openStore } from '../src/storage/registry.js';
import { percentile, timeIt, type BenchResult } from './harness.js';

const SUBJECTS = 1000;
const READS = 10_000;
const WRITES = 5000;
const DATASET = `synthetic: ${SUBJECTS} subjects, 10-item lists`;
const list: CachedList = { items: Array.from({ length: 10 }, (_, i) => ({ itemId: `i${i}`, score: 1 - i / 10, via: 'cf' })), createdAt: '2024-01-01T00:00:00.000Z' };
const key = (subject: number, digest = 'd') => ({ list: 'recommend', subject: `u${subject}`, digest });

async function microseconds(n: number, op: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await op(i);
    out.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  return out.sort((a, b) => a - b);
}

async function measure(label: string, cache: Cache): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  const latency = (name: string, sorted: number[]) => {
    out.push({ name: `cache.${label}.${name}`, dataset: DATASET, metric: 'p50_us', value: percentile(sorted, 50), unit: 'µs', extra: { p99_us: percentile(sorted, 99), n: sorted.length } });
  };
  for (let s = 0; s < SUBJECTS; s++) await cache.put(key(s), list, 3600);
  latency('get-hit', await microseconds(READS, (i) => cache.get(key(i % SUBJECTS))));
  latency('store-list', await microseconds(WRITES, async (i) => {
    await cache.invalidate({ list: 'recommend', subject: `u${i % SUBJECTS}` });
    await cache.put(key(i % SUBJECTS, `d${i}`), list, 3600);
  }));
  const swap = await timeIt(() => cache.invalidate({}));
  out.push({ name: `cache.${label}.invalidate-all`, dataset: DATASET, metric: 'us_per_list', value: (swap.seconds * 1e6) / swap.result, unit: 'µs/list', extra: { lists: swap.result, ms: swap.seconds * 1000 } });
  return out;
}

async function redisAnswers(): Promise<boolean> {
  const probe = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true, connectTimeout: 500, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

export async function run(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const store = await openStore('sqlite://:memory:');
  try {
    for (const [label, url] of [['memory', 'memory://'], ['store-sqlite', 'store://']]) {
      const cache = await openCache(url, store);
      results.push(...await measure(label, cache));
      await cache.close();
    }
    if (await redisAnswers()) {
      // Its own prefix; invalidate({}) at the end of measure() leaves no key behind.
      const cache = await openCache(`redis://127.0.0.1:6379/0?prefix=kindred-bench:${randomUUID()}:`, store);
      results.push(...await measure('redis-loopback', cache));
      await cache.close();
    } else {
      console.log('redis:// skipped: nothing answers on 127.0.0.1:6379');
    }
  } finally {
    await store.close();
  }
  return results;
}
