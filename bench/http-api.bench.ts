/**
 * The HTTP API end to end on ml-100k (100,000 ratings), over a real server on a free port and the typed client:
 * bulk ingestion in batches of 10,000 events, rejecting a 10,000-event bulk with one malformed row, POST /v1/train,
 * and recommendation / similar-item latency.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveConfig } from '../src/config/config.js';
import { silentLogger } from '../src/core/logger.js';
import type { Event, Item } from '../src/core/types.js';
import { createEngine } from '../src/engine.js';
import { startServer } from '../src/server/app.js';
import { createClient, type KindredClient } from '../src/server/client.js';
import { datasetPath } from '../src/testkit/datasets.js';
import { percentile, timeIt, type BenchResult } from './harness.js';

const DATASET = 'ml-100k';
const BATCH = 10_000;

function load(dir: string): { items: Item[]; events: Event[] } {
  const items = readFileSync(join(dir, 'u.item'), 'latin1').split('\n').filter(Boolean).map((line) => {
    const [id, title] = line.split('|');
    return { id, title };
  });
  const events = readFileSync(join(dir, 'u.data'), 'utf8').split('\n').filter(Boolean).map((line) => {
    const [userId, itemId, rating, seconds] = line.split('\t');
    return { id: `${userId}-${itemId}`, userId, itemId, type: 'rating', value: Number(rating), timestamp: new Date(Number(seconds) * 1000).toISOString() };
  });
  return { items, events };
}

async function latencies(n: number, call: (i: number) => Promise<unknown>): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) ms.push((await timeIt(() => call(i))).seconds * 1000);
  return ms.sort((a, b) => a - b);
}

async function rejectMs(client: KindredClient, events: Event[]): Promise<number[]> {
  const bad = events.slice(0, BATCH).map((e, i) => (i === 7345 ? { ...e, timestamp: 'yesterday' } : e));
  return latencies(5, () => client.addEvents(bad).then(() => { throw new Error('malformed bulk was accepted'); }, () => undefined));
}

export async function run(): Promise<BenchResult[]> {
  const dir = datasetPath(DATASET);
  if (!dir) {
    console.warn(`skipping http-api bench: ${DATASET} not found`);
    return [];
  }
  const { items, events } = load(dir);
  const engine = await createEngine(resolveConfig({ store: { url: 'sqlite://:memory:' }, log: { level: 'silent' } }), { logger: silentLogger });
  const server = await startServer(engine, { host: '127.0.0.1', port: 0, logger: silentLogger });
  const client = createClient({ baseUrl: server.url });
  const out: BenchResult[] = [];
  const result = (name: string, metric: string, value: number, unit: string, extra?: BenchResult['extra']) =>
    out.push({ name: `http.${name}`, dataset: DATASET, metric, value, unit, extra });
  try {
    await client.upsertItems(items);
    const ingest = await timeIt(async () => {
      for (let i = 0; i < events.length; i += BATCH) await client.addEvents(events.slice(i, i + BATCH));
    });
    result('ingest-events', 'events_per_s', events.length / ingest.seconds, 'events/s', { seconds: ingest.seconds, batch: BATCH });

    const rejected = await rejectMs(client, events);
    result('reject-malformed-bulk', 'p50_ms', percentile(rejected, 50), 'ms', { events: BATCH });

    const trained = await timeIt(() => client.train());
    result('train', 'seconds', trained.seconds, 's', { model: trained.result.model, interactions: trained.result.interactions });

    const users = [...new Set(events.map((e) => e.userId))];
    const rec = await latencies(300, (i) => client.recommend(users[(i * 37) % users.length], { count: 10 }));
    result('recommend', 'p50_ms', percentile(rec, 50), 'ms', { p95_ms: percentile(rec, 95), requests: rec.length });
    const sim = await latencies(300, (i) => client.similar(items[(i * 13) % items.length].id, { count: 10 }));
    result('similar', 'p50_ms', percentile(sim, 50), 'ms', { p95_ms: percentile(sim, 95), requests: sim.length });
  } finally {
    await server.close();
    await engine.close();
  }
  return out;
}
