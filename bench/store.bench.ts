/**
 * Store throughput on ml-latest-small (100,836 ratings): a bulk() import in batches of 5,000 (ids derived from
 * content), re-importing the same file (all duplicates), direct addEvents batches, a full scanEvents, and history()
 * latency, for memory:// and a sqlite:// file.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Event } from '../src/core/types.js';
import { openStore } from '../src/storage/registry.js';
import type { Store } from '../src/storage/store.js';
import { datasetPath } from '../src/testkit/datasets.js';
import { percentile, timeIt, type BenchResult } from './harness.js';

const DATASET = 'ml-latest-small';
const BATCH = 5000;

function ratings(dir: string): Event[] {
  return readFileSync(join(dir, 'ratings.csv'), 'utf8').split('\n').slice(1).filter(Boolean).map((line) => {
    const [userId, itemId, rating, seconds] = line.split(',');
    return { userId, itemId, type: 'rating', value: Number(rating), timestamp: new Date(Number(seconds) * 1000).toISOString() };
  });
}

async function bulkImport(store: Store, events: Event[]): Promise<number> {
  const w = await store.bulk();
  let accepted = 0;
  try {
    for (let i = 0; i < events.length; i += BATCH) accepted += (await w.addEvents(events.slice(i, i + BATCH))).accepted;
    await w.commit();
  } finally {
    await w.rollback();
  }
  return accepted;
}

async function measure(url: string, label: string, events: Event[]): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  const rate = (name: string, n: number, seconds: number, extra?: BenchResult['extra']) =>
    out.push({ name: `store.${label}.${name}`, dataset: DATASET, metric: 'events_per_s', value: n / seconds, unit: 'events/s', extra: { seconds, ...extra } });
  const store = await openStore(url);
  try {
    const imported = await timeIt(() => bulkImport(store, events));
    rate('bulk-import', events.length, imported.seconds, { accepted: imported.result, batch: BATCH });
    const again = await timeIt(() => bulkImport(store, events));
    rate('bulk-reimport-duplicates', events.length, again.seconds, { accepted: again.result });

    const direct = await openStore(url.startsWith('sqlite') ? 'sqlite://:memory:' : url);
    const added = await timeIt(async () => {
      for (let i = 0; i < events.length; i += BATCH) await direct.addEvents(events.slice(i, i + BATCH));
    });
    rate('addEvents', events.length, added.seconds, { batch: BATCH });
    await direct.close();

    const scanned = await timeIt(async () => {
      let n = 0;
      for await (const batch of store.scanEvents({ batchSize: BATCH })) n += batch.length;
      return n;
    });
    rate('scanEvents', scanned.result, scanned.seconds);

    const users = [...new Set(events.map((e) => e.userId))];
    const latencies: number[] = [];
    for (let i = 0; i < 500; i++) {
      const t = await timeIt(() => store.history(users[(i * 7919) % users.length], { limit: 50 }));
      latencies.push(t.seconds * 1000);
    }
    latencies.sort((a, b) => a - b);
    for (const p of [50, 95]) {
      out.push({ name: `store.${label}.history`, dataset: DATASET, metric: `p${p}_ms`, value: percentile(latencies, p), unit: 'ms', extra: { limit: 50 } });
    }
  } finally {
    await store.close();
  }
  return out;
}

export async function run(): Promise<BenchResult[]> {
  const dir = datasetPath(DATASET);
  if (!dir) {
    console.warn(`skipping store bench: ${DATASET} not found (set KINDRED_DATA_DIR)`);
    return [];
  }
  const events = ratings(dir);
  const tmp = mkdtempSync(join(tmpdir(), 'kindred-store-bench-'));
  try {
    return [
      ...(await measure('memory://', 'memory', events)),
      ...(await measure(`sqlite://${join(tmp, 'bench.db')}`, 'sqlite', events)),
    ];
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
