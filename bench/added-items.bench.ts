/**
 * What an item stored after training costs the served state (src/jobs/served-models.ts): adding it (one vector append
 * and a new immutable state), against copying the trained vectors once (what a copy-per-change state would pay per
 * item), and what the added items cost a content query and an "items like this" list until the next training.
 * Synthetic catalogue: 100,000 items x 64 dimensions (seeded random unit vectors, exact index), 2,000 users. And
 * what a poll adds on a store without notices while a semantic model is served: one item count (ml-100k in SQLite).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixedClock } from '../src/core/clock.js';
import { IdIndex } from '../src/core/ids.js';
import type { InteractionMatrix } from '../src/core/interactions.js';
import { silentLogger } from '../src/core/logger.js';
import { CsrMatrix } from '../src/core/sparse.js';
import { AddedItems } from '../src/jobs/served-models.js';
import { mulberry32 } from '../src/models/linalg/random.js';
import type { ModelBundle } from '../src/models/model-bundle.js';
import { hasSimilarItems, type Model, type SimilarItems } from '../src/models/model.js';
import { createModel } from '../src/models/registry.js';
import { hasTextVectors, type TextVectors } from '../src/models/semantic/text-query.js';
import type { EmbeddingRecord } from '../src/storage/store.js';
import { importDataset } from '../src/ingest/importer.js';
import { openStore } from '../src/storage/registry.js';
import { datasetPath } from '../src/testkit/datasets.js';
import { percentile, type BenchResult } from './harness.js';

const ITEMS = 100_000;
const DIMS = 64;
const USERS = 2_000;
const ADDED = 1_000;
const DATASET = `synthetic-${ITEMS / 1000}k-items-${DIMS}d`;

function randomVector(next: () => number): Float32Array {
  return Float32Array.from({ length: DIMS }, () => next() * 2 - 1);
}

async function trainedBundle(next: () => number): Promise<ModelBundle> {
  const rows: number[] = [];
  const cols: number[] = [];
  for (let u = 0; u < USERS; u++) {
    for (let j = 0; j < 20; j++) {
      rows.push(u);
      cols.push(Math.floor(next() * ITEMS));
    }
  }
  const data: InteractionMatrix = {
    users: IdIndex.from(Array.from({ length: USERS }, (_, u) => `u${u}`)),
    items: IdIndex.from(Array.from({ length: ITEMS }, (_, i) => `i${i}`)),
    matrix: CsrMatrix.fromTriplets(USERS, ITEMS, rows, cols, rows.map(() => 1)),
  };
  const embeddings = new Float32Array(ITEMS * DIMS);
  for (let i = 0; i < ITEMS; i++) embeddings.set(randomVector(next), i * DIMS);
  const ctx = { logger: silentLogger, clock: fixedClock(0) };
  const semantic = createModel('semantic', { exactBelow: 1_000_000 });
  await semantic.fit(data, { ...ctx, content: { embeddings, dimensions: DIMS } });
  const popular = createModel('popular', {});
  await popular.fit(data, ctx);
  return { version: 1, trainedAt: new Date(0).toISOString(), users: data.users, items: data.items, trainedItems: ITEMS, models: { main: popular, popular, semantic } };
}

const micros = (ms: number[]) => [...ms].sort((a, b) => a - b).map((m) => m * 1000);

/** Times of `store.counts()` on ml-100k in a temporary SQLite file (undefined without the dataset). */
async function countMs(): Promise<number[] | undefined> {
  const ml = datasetPath('ml-100k');
  if (!ml) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'kindred-bench-'));
  const store = await openStore(`sqlite://${join(dir, 'b.db')}`);
  try {
    await importDataset(store, { path: ml, format: 'movielens-100k', onError: 'abort' });
    const out: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t0 = performance.now();
      await store.counts();
      out.push(performance.now() - t0);
    }
    return micros(out);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

type Semantic = Model<object> & TextVectors & SimilarItems;

function semanticOf(state: ModelBundle): Semantic {
  const m = state.models.semantic;
  if (!m || !hasTextVectors(m) || !hasSimilarItems(m)) throw new Error('no semantic model');
  return m;
}

function timed(fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

export async function run(): Promise<BenchResult[]> {
  const next = mulberry32(42);
  const bundle = await trainedBundle(next);
  const added = new AddedItems(bundle);
  const states = new Map<number, ModelBundle>([[0, added.current]]);
  const addMs: number[] = [];
  for (let n = 0; n < ADDED; n++) {
    const record: EmbeddingRecord = { itemId: `new${n}`, provider: 'bench', textHash: '', vector: randomVector(next) };
    addMs.push(timed(() => added.add([record])));
    if (n + 1 === 100 || n + 1 === ADDED) states.set(n + 1, added.current);
  }
  // The states stay valid side by side (each request keeps its own), so they are measured interleaved.
  const queries = Array.from({ length: 100 }, () => randomVector(next));
  const seeds = Array.from({ length: 100 }, (_, j) => j * 997);
  for (const item of seeds) semanticOf(bundle).similarItems(item, 10); // the trained lists, kept and shared by every state
  const queryMs = new Map<number, number[]>([...states.keys()].map((k) => [k, []]));
  const similarMs = new Map<number, number[]>([...states.keys()].map((k) => [k, []]));
  for (let j = 0; j < queries.length; j++) {
    for (const [count, state] of states) {
      const model = semanticOf(state);
      queryMs.get(count)?.push(timed(() => model.recommendByVector(model.encodeText(queries[j]), 10)));
      similarMs.get(count)?.push(timed(() => model.similarItems(seeds[j], 10))); // first read in this state: merged here
    }
  }
  const copyMs: number[] = [];
  const trained = new Float32Array(ITEMS * DIMS);
  for (let r = 0; r < 20; r++) copyMs.push(timed(() => trained.slice()));
  const add = micros(addMs);
  const copy = micros(copyMs);
  const row = (name: string, metric: string, value: number, extra: Record<string, number> = {}): BenchResult => ({ name, dataset: DATASET, metric, value, unit: 'µs', extra });
  const results = [
    row('added-items.add-one', 'p50', percentile(add, 50), { items: ADDED }),
    row('added-items.add-one', 'p99', percentile(add, 99), { items: ADDED }),
    row('added-items.copy-trained-vectors', 'p50', percentile(copy, 50), { bytes: ITEMS * DIMS * 4 }),
  ];
  for (const [count, q] of queryMs) results.push(row('added-items.text-query-top10', 'p50', percentile(micros(q), 50), { added: count }));
  for (const [count, q] of similarMs) results.push(row('added-items.similar-items-top10', 'p50', percentile(micros(q), 50), { added: count }));
  const poll = await countMs();
  if (poll) results.push(row('added-items.poll-item-count', 'p50', percentile(poll, 50), { calls: poll.length }));
  for (const r of results) console.log(`${r.name} ${r.metric} ${r.value.toFixed(1)} µs ${JSON.stringify(r.extra)}`);
  return results;
}
