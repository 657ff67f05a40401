/**
 * Store throughput on ml-latest-small (100,836 ratings): a bulk() import in batches of 5,000 (ids derived from
 * content), re-importing the same file (all duplicates), direct addEvents batches, a full scanEvents, and history()
 * latency, for memory:// and a sqlite:// file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Event } from '../src/core/types.js';
import { openStore } from '../src/storage/registry.js';
import { datasetPath } from '../src/testkit/datasets.js';
import { percentile, timeIt, type BenchResult } from './harness.js';
import { bulkImport, historyLatencies, ratingEvents } from './store-workload.js';

const DATASET = 'ml-latest-small';
const BATCH = 5000;

async function measure(url: string, label: string, events: Event[]): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  const rate = (name: string, n: number, seconds: number, extra?: BenchResult['extra']) =>
    out.push({ name: `store.${label}.${name}`, dataset: DATASET, metric: 'events_per_s', value: n / seconds, unit: 'events/s', extra: { seconds, ...extra } });
  const store = await openStore(url);
  try {
    const imported = await timeIt(() => bulkImport(store, events, BATCH));
    rate('bulk-import', events.length, imported.seconds, { accepted: imported.result, batch: BATCH });
    const again = await timeIt(() => bulkImport(store, events, BATCH));
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
    const latencies = await historyLatencies(store, users, 500);
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
  const events = ratingEvents(join(dir, 'ratings.csv'), ',', { header: true });
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
