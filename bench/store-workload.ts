/** What the store benches (store.bench.ts, postgres-store.bench.ts) do to a store: read the ratings, bulk-import them, time history reads. */
import { readFileSync } from 'node:fs';
import type { Event } from '../src/core/types.js';
import type { Store } from '../src/storage/store.js';
import { timeIt } from './harness.js';

/**
 * A MovieLens ratings file (userId, itemId, rating, unix seconds; `separator` between fields) as rating events.
 *
 * @example ratingEvents(join(dir, 'u.data'), '\t', { header: false })
 */
export function ratingEvents(path: string, separator: string, opts: { header: boolean }): Event[] {
  const lines = readFileSync(path, 'utf8').split('\n').slice(opts.header ? 1 : 0).filter(Boolean);
  return lines.map((line) => {
    const [userId, itemId, rating, seconds] = line.split(separator);
    return { userId, itemId, type: 'rating', value: Number(rating), timestamp: new Date(Number(seconds) * 1000).toISOString() };
  });
}

/** Every event through one bulk() writer in batches of `batch`, committed; returns how many it accepted. */
export async function bulkImport(store: Store, events: Event[], batch: number): Promise<number> {
  const w = await store.bulk();
  let accepted = 0;
  try {
    for (let i = 0; i < events.length; i += batch) accepted += (await w.addEvents(events.slice(i, i + batch))).accepted;
    await w.commit();
  } finally {
    await w.rollback();
  }
  return accepted;
}

/** Latencies in ms, sorted, of `reads` history(limit 50) reads one at a time over `users` (a fixed, spread order). */
export async function historyLatencies(store: Store, users: readonly string[], reads: number): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < reads; i++) ms.push((await timeIt(() => store.history(users[(i * 7919) % users.length], { limit: 50 }))).seconds * 1000);
  return ms.sort((a, b) => a - b);
}
