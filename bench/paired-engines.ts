/**
 * The setup the re-rank cost benches share: an engine trained on ml-latest-small in a temporary SQLite store, a second
 * engine on the same store (usually with some re-rank stages left out), a seeded sample of the store's users, and
 * p50/p99 latency rows. Each bench keeps its own measuring loop; only the setup lives here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig, type ConfigInput } from '../src/config/config.js';
import { silentLogger } from '../src/core/logger.js';
import type { Engine } from '../src/engine-types.js';
import { importDataset } from '../src/ingest/importer.js';
import { mulberry32 } from '../src/models/linalg/random.js';
import type { Store } from '../src/storage/store.js';
import { datasetPath } from '../src/testkit/datasets.js';
import { engineOnStore, type EngineOnStore } from '../src/testkit/engine-on-store.js';
import { percentile, type BenchResult } from './harness.js';

export const PAIRED_DATASET = 'ml-latest-small';
const SEED = 42;

/** The trained engine and its store, and a way to open more engines on that store (the same config plus `input`). */
export interface TrainedEngine {
  engine: Engine;
  store: Store;
  /** Each opened engine comes with its own connection to the store. @example const { engine: off } = await open({ pipeline: { cacheLists: false, rerank } }); */
  open(input?: ConfigInput): Promise<EngineOnStore>;
}

/**
 * Imports ml-latest-small into a temporary SQLite store, trains an engine configured by `input` (no embeddings, silent),
 * runs `body`, then closes every engine it opened and removes the store. Returns [] with a warning when the dataset is
 * missing.
 *
 * @example return withTrainedEngine('fatigue-cost', { pipeline: { cacheLists: false } }, async ({ engine, open }) => [...]);
 */
export async function withTrainedEngine(
  bench: string, input: ConfigInput, body: (trained: TrainedEngine) => Promise<BenchResult[]>,
): Promise<BenchResult[]> {
  const ml = datasetPath(PAIRED_DATASET);
  if (!ml) {
    console.warn(`skipping ${bench} bench: ${PAIRED_DATASET} not found (KINDRED_DATA_DIR)`);
    return [];
  }
  const dir = mkdtempSync(join(tmpdir(), 'kindred-bench-'));
  const base: ConfigInput = { ...input, store: { url: `sqlite://${join(dir, 'b.db')}` }, log: { level: 'silent' }, embeddings: { provider: 'none' } };
  const opened: Engine[] = [];
  const open = async (more: ConfigInput = {}): Promise<EngineOnStore> => {
    const pair = await engineOnStore(resolveConfig({ ...base, ...more }), { logger: silentLogger });
    opened.push(pair.engine);
    return pair;
  };
  try {
    const { engine, store } = await open();
    await importDataset(store, { path: ml, format: 'movielens-latest', onError: 'skip' });
    await engine.train({});
    return await body({ engine, store, open });
  } finally {
    for (const engine of opened) await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The trained engine (`on`, list cache off) and a second one on the same store without the re-rank stages `drop`
 * matches (`off`), with `on`'s store.
 *
 * @example return withEnginePair('fatigue-cost', (s) => s === 'fatigue', async ({ on, off }) => [...]);
 */
export async function withEnginePair(
  bench: string, drop: (stage: string) => boolean, body: (pair: { on: Engine; off: Engine; rerank: string[]; store: Store }) => Promise<BenchResult[]>,
): Promise<BenchResult[]> {
  const pipeline = { cacheLists: false };
  return withTrainedEngine(bench, { pipeline }, async ({ engine: on, store, open }) => {
    const rerank = on.config.pipeline.rerank.filter((s) => !drop(s));
    const { engine: off } = await open({ pipeline: { ...pipeline, rerank } });
    return body({ on, off, rerank, store });
  });
}

/** Every user with an event, sorted. */
async function storedUsers(store: Store): Promise<string[]> {
  const seen = new Set<string>();
  for await (const batch of store.scanEvents({ batchSize: 10_000 })) for (const e of batch) seen.add(e.userId);
  return [...seen].sort();
}

/** `count` users drawn at random (seeded, with repeats) from those with events. */
export async function sampleUsers(store: Store, count: number): Promise<string[]> {
  const all = await storedUsers(store);
  const random = mulberry32(SEED);
  return Array.from({ length: count }, () => all[Math.floor(random() * all.length)]);
}

/** `count` distinct users (a seeded shuffle of those with events), for benches where a second visit would see the first's writes. */
export async function sampleDistinctUsers(store: Store, count: number): Promise<string[]> {
  const all = await storedUsers(store);
  const random = mulberry32(SEED);
  return all.map((u) => ({ u, r: random() })).sort((a, b) => a.r - b.r).slice(0, count).map((x) => x.u);
}

/**
 * Each user's list from `on` and then from `off`, user by user, so both engines meet the same load; the first `warmup`
 * pairs are dropped.
 *
 * @example const pairs = await interleavedPairs(users, 50, on, off, timedList);
 */
export async function interleavedPairs<T>(
  users: string[], warmup: number, on: Engine, off: Engine, list: (engine: Engine, user: string) => Promise<T>,
): Promise<Array<{ user: string; on: T; off: T }>> {
  const pairs: Array<{ user: string; on: T; off: T }> = [];
  for (const [r, user] of users.entries()) {
    const a = await list(on, user);
    const b = await list(off, user);
    if (r >= warmup) pairs.push({ user, on: a, off: b });
  }
  return pairs;
}

/** p50 and p99 rows of `ms` (sorted in place); `extra` goes on the p50 row. */
export function latency(name: string, ms: number[], extra?: BenchResult['extra']): BenchResult[] {
  ms.sort((a, b) => a - b);
  const dataset = PAIRED_DATASET;
  return [
    { name, dataset, metric: 'p50', value: percentile(ms, 50), unit: 'ms', ...(extra ? { extra } : {}) },
    { name, dataset, metric: 'p99', value: percentile(ms, 99), unit: 'ms' },
  ];
}
