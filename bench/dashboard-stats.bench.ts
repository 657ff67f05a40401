/**
 * What the dashboard's reads cost on ml-100k (100,000 ratings, 1997-98) in a SQLite file store: events over time
 * (GET /v1/stats/events: an aggregate grouped in SQL), one item's exposure, one page of a user's timeline; against
 * the way the store rules out, reading every event into JS and bucketing there (the baseline).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bucketStart, type TimeBucket } from '../src/core/time-buckets.js';
import { importDataset } from '../src/ingest/importer.js';
import { eventTimeline, itemExposure } from '../src/stats/event-timeline.js';
import { userEvents } from '../src/stats/user-events.js';
import { openStore } from '../src/storage/registry.js';
import type { Store } from '../src/storage/store.js';
import { datasetPath } from '../src/testkit/datasets.js';
import { percentile, type BenchResult } from './harness.js';

const DATASET = 'ml-100k';
const RUNS = 30;

/** The baseline: every event read out of the store and counted per bucket and type in JS. */
async function scanAndBucket(store: Store, bucket: TimeBucket): Promise<number> {
  const counts = new Map<string, number>();
  for await (const batch of store.scanEvents()) {
    for (const e of batch) {
      const key = `${bucketStart(Date.parse(e.timestamp), bucket)} ${e.type}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts.size;
}

/** Median and p95 milliseconds of RUNS calls (after one warm-up call). */
async function timed(call: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  await call();
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await call();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p95: percentile(ms, 95) };
}

export async function run(): Promise<BenchResult[]> {
  const ml = datasetPath(DATASET);
  if (!ml) {
    console.log(`skipped: ${DATASET} not found (KINDRED_DATA_DIR)`);
    return [];
  }
  const dir = mkdtempSync(join(tmpdir(), 'kindred-bench-'));
  const store = await openStore(`sqlite://${join(dir, 'b.db')}`);
  try {
    await importDataset(store, { path: ml, format: 'movielens-100k', onError: 'abort' });
    const auto = await eventTimeline(store, {});
    // The second page: a page with a cursor is read from the database each time (the first may come from the read cache).
    const { next } = await userEvents(store, '405', { limit: 50 });
    const cases: [string, () => Promise<unknown>, Record<string, number | string>][] = [
      ['stats-events.auto', () => eventTimeline(store, {}), { bucket: auto.bucket, buckets: auto.buckets.length }],
      ['stats-events.week', () => eventTimeline(store, { bucket: 'week' }), {}],
      ['stats-events.month', () => eventTimeline(store, { bucket: 'month' }), {}],
      ['stats-events.js-scan-baseline.day', () => scanAndBucket(store, 'day'), {}],
      ['item-exposure.item-50', () => itemExposure(store, '50'), {}],
      ['user-events.second-page-50.user-405', () => userEvents(store, '405', { limit: 50, before: next }), {}],
    ];
    const out: BenchResult[] = [];
    for (const [name, call, extra] of cases) {
      const { p50, p95 } = await timed(call);
      out.push({ name: `dashboard.${name}`, dataset: DATASET, metric: 'p50', value: p50, unit: 'ms', extra: { ...extra, p95Ms: p95, runs: RUNS, store: 'sqlite-file' } });
    }
    return out;
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
