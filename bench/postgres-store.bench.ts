/**
 * The postgres:// store beside a sqlite:// file on ml-100k (100,000 ratings): the CLI's import (importDataset, bulk()
 * with COPY on PostgreSQL), the bulk writer alone in batches of 5,000 and a re-import (all duplicates), API-sized
 * addEvents batches of 100 events from 1 and from 8 concurrent writers, and history reads (limit 50) one at a time
 * (latency) and 8 at a time (throughput). PostgreSQL runs on the same machine (loopback), in a schema of its own that
 * is dropped afterwards: `npm run bench -- postgres-store` (KINDRED_TEST_POSTGRES_URL picks the server).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Event } from '../src/core/types.js';
import { importDataset } from '../src/ingest/importer.js';
import { openStore } from '../src/storage/registry.js';
import { datasetPath } from '../src/testkit/datasets.js';
import { dropSchema, postgresAvailable, schemaUrl, testSchemaName } from '../src/testkit/postgres.js';
import { percentile, timeIt, type BenchResult } from './harness.js';
import { bulkImport, historyLatencies, ratingEvents } from './store-workload.js';

const DATASET = 'ml-100k';
const BULK_BATCH = 5000;
const API_BATCH = 100;
const API_BATCHES = 200;
const READS = 1000;
const PARALLEL = 8;

/** Synthetic API events (new ids), `API_BATCHES` batches of `API_BATCH`, for writer `w`. */
function apiBatches(w: number): Event[][] {
  return Array.from({ length: API_BATCHES }, (_, b) => Array.from({ length: API_BATCH }, (_, k) => ({
    id: `api-${w}-${b}-${k}`, userId: String(1 + ((b * API_BATCH + k) % 943)), itemId: String(1 + ((w * 7919 + b * 31 + k) % 1682)), type: 'view',
    timestamp: new Date(Date.UTC(2024, 0, 1) + (w * API_BATCHES + b) * 1000 + k).toISOString(),
  })));
}

async function measure(url: (name: string) => string, label: string, dir: string, events: Event[]): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  const push = (name: string, metric: string, value: number, unit: string, extra?: BenchResult['extra']) =>
    out.push({ name: `store.${label}.${name}`, dataset: DATASET, metric, value, unit, extra });

  const cli = await openStore(url('import'));
  try {
    const imported = await timeIt(() => importDataset(cli, { path: dir, format: 'movielens-100k', onError: 'abort' }));
    push('importDataset', 'events_per_s', events.length / imported.seconds, 'events/s', { seconds: imported.seconds });
  } finally {
    await cli.close();
  }

  const store = await openStore(url('bulk'));
  try {
    const bulk = await timeIt(() => bulkImport(store, events, BULK_BATCH));
    push('bulk-import', 'events_per_s', events.length / bulk.seconds, 'events/s', { seconds: bulk.seconds, accepted: bulk.result, batch: BULK_BATCH });
    const again = await timeIt(() => bulkImport(store, events, BULK_BATCH));
    push('bulk-reimport-duplicates', 'events_per_s', events.length / again.seconds, 'events/s', { seconds: again.seconds, accepted: again.result });

    for (const writers of [1, PARALLEL]) {
      const latencies: number[] = [];
      const wall = await timeIt(() => Promise.all(Array.from({ length: writers }, async (_, w) => {
        for (const batch of apiBatches(writers * 100 + w)) latencies.push((await timeIt(() => store.addEvents(batch))).seconds * 1000);
      })));
      latencies.sort((a, b) => a - b);
      const n = writers * API_BATCHES * API_BATCH;
      push(`addEvents-${API_BATCH}x${writers}`, 'events_per_s', n / wall.seconds, 'events/s', { writers, batch: API_BATCH, p50_ms: percentile(latencies, 50), p99_ms: percentile(latencies, 99) });
    }

    const users = [...new Set(events.map((e) => e.userId))];
    const reads = await historyLatencies(store, users, READS);
    for (const p of [50, 95, 99]) push('history', `p${p}_ms`, percentile(reads, p), 'ms', { limit: 50 });
    const parallel = await timeIt(() => Promise.all(Array.from({ length: PARALLEL }, async (_, w) => {
      for (let i = 0; i < READS / PARALLEL; i++) await store.history(users[(w * 131 + i * 7919) % users.length], { limit: 50 });
    })));
    push(`history-x${PARALLEL}`, 'reads_per_s', READS / parallel.seconds, 'reads/s', { limit: 50, parallel: PARALLEL });
  } finally {
    await store.close();
  }
  return out;
}

export async function run(): Promise<BenchResult[]> {
  const dir = datasetPath(DATASET);
  if (!dir) {
    console.warn(`skipping postgres store bench: ${DATASET} not found (set KINDRED_DATA_DIR)`);
    return [];
  }
  if (!(await postgresAvailable())) return [];
  const events = ratingEvents(join(dir, 'u.data'), '\t', { header: false });
  const tmp = mkdtempSync(join(tmpdir(), 'kindred-pg-bench-'));
  const schemas: string[] = [];
  const pgUrl = (): string => {
    const schema = testSchemaName();
    schemas.push(schema);
    return schemaUrl(schema, { pool: '10' });
  };
  try {
    return [
      ...(await measure((name) => `sqlite://${join(tmp, `${name}.db`)}`, 'sqlite', dir, events)),
      ...(await measure(pgUrl, 'postgres', dir, events)),
    ];
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    for (const s of schemas) await dropSchema(s);
  }
}
