/**
 * What each recall channel adds, on held-out data: every user's latest event is held out (leave-last-one-out), the
 * default model is trained on the rest with every channel on, and each channel recalls its default budget for a list of
 * 10. Reports each channel's hit rate (the held-out item is in its list), the hits cf and popular together miss, and
 * the channel's mean time. `npm run bench -- recall-channels` (ml-100k, then ml-latest-small when present).
 */
import { resolveConfig } from '../src/config/config.js';
import { RECALL_CHANNEL_BUDGETS, type RecallChannelName } from '../src/config/pipeline-section.js';
import { fixedClock } from '../src/core/clock.js';
import { silentLogger } from '../src/core/logger.js';
import type { StoredEvent } from '../src/core/types.js';
import { importDataset } from '../src/ingest/importer.js';
import { trainBundle } from '../src/jobs/trainer.js';
import { buildRecommendContext } from '../src/pipeline/request-context.js';
import { RECALL_CHANNELS } from '../src/pipeline/registry.js';
import { MemoryStore } from '../src/storage/memory/memory-store.js';
import { datasetPath } from '../src/testkit/datasets.js';
import type { BenchResult } from './harness.js';

const COUNT = 10;
const DATASETS = [['ml-100k', 'movielens-100k'], ['ml-latest-small', 'movielens-latest']] as const;

/** The store without each user's latest event, and those events by user. */
export async function holdOutLatest(full: MemoryStore): Promise<{ store: MemoryStore; heldOut: Map<string, StoredEvent> }> {
  const events: StoredEvent[] = [];
  for await (const batch of full.scanEvents({ batchSize: 10_000 })) events.push(...batch);
  const heldOut = new Map<string, StoredEvent>();
  for (const e of events) {
    const seen = heldOut.get(e.userId);
    if (!seen || e.timestamp > seen.timestamp || (e.timestamp === seen.timestamp && e.id > seen.id)) heldOut.set(e.userId, e);
  }
  const store = new MemoryStore();
  for await (const batch of full.scanItems()) await store.upsertItems(batch);
  const held = new Set([...heldOut.values()].map((e) => e.id));
  await store.addEvents(events.filter((e) => !held.has(e.id)));
  return { store, heldOut };
}

async function measure(name: string, format: string, path: string): Promise<BenchResult[]> {
  const full = new MemoryStore();
  await importDataset(full, { path, format, onError: 'skip' });
  const { store, heldOut } = await holdOutLatest(full);
  const config = resolveConfig({ store: { url: 'memory://' }, embeddings: { provider: 'none' }, pipeline: { recall: RECALL_CHANNEL_BUDGETS } });
  const clock = fixedClock(Math.max(...[...heldOut.values()].map((e) => Date.parse(e.timestamp))));
  const { bundle } = await trainBundle(store, config, { model: config.train.model, params: {} }, { logger: silentLogger, clock });
  const deps = { config, store, bundle, clock, logger: silentLogger, embeddings: async () => undefined, llmProvider: async () => undefined };
  const signal = new AbortController().signal;
  const names = Object.keys(RECALL_CHANNELS) as RecallChannelName[];
  const hits = new Map<string, number>(names.map((n) => [n, 0]));
  const fresh = new Map<string, number>(names.map((n) => [n, 0]));
  const ms = new Map<string, number>(names.map((n) => [n, 0]));
  const ran = new Map<string, number>(names.map((n) => [n, 0]));
  let users = 0;
  for (const [userId, target] of heldOut) {
    const ctx = await buildRecommendContext(userId, { count: COUNT }, deps);
    if (ctx.cfRow.indices.length === 0) continue;
    users++;
    const found = new Map<string, Set<string>>();
    for (const n of names) {
      const ch = RECALL_CHANNELS[n];
      if (!ch.applies(ctx)) continue;
      const budget = RECALL_CHANNEL_BUDGETS[n];
      const t0 = performance.now();
      const out = await ch.run({ k: Math.ceil(COUNT * budget.quota) + budget.pad, signal }, ctx);
      ms.set(n, (ms.get(n) ?? 0) + performance.now() - t0);
      ran.set(n, (ran.get(n) ?? 0) + 1);
      found.set(n, new Set((Array.isArray(out) ? out : out.out).map((c) => c.itemId)));
    }
    const base = new Set([...(found.get('cf') ?? []), ...(found.get('popular') ?? [])]);
    for (const [n, ids] of found) {
      if (!ids.has(target.itemId)) continue;
      hits.set(n, (hits.get(n) ?? 0) + 1);
      if (!base.has(target.itemId)) fresh.set(n, (fresh.get(n) ?? 0) + 1);
    }
  }
  return names.filter((n) => (ran.get(n) ?? 0) > 0).flatMap((n) => {
    const budget = Math.ceil(COUNT * RECALL_CHANNEL_BUDGETS[n].quota) + RECALL_CHANNEL_BUDGETS[n].pad;
    const extra = { budget, users, model: config.train.model };
    return [
      { name: `recall.${n}`, dataset: name, metric: 'hit-rate', value: (hits.get(n) ?? 0) / users, unit: '', extra },
      { name: `recall.${n}`, dataset: name, metric: 'hits-beyond-cf+popular', value: (fresh.get(n) ?? 0) / users, unit: '' },
      { name: `recall.${n}`, dataset: name, metric: 'mean-ms', value: (ms.get(n) ?? 0) / (ran.get(n) ?? 1), unit: 'ms' },
    ];
  });
}

export async function run(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const [name, format] of DATASETS) {
    const path = datasetPath(name);
    if (!path) {
      console.warn(`skipping recall-channels on ${name}: not found (KINDRED_DATA_DIR)`);
      continue;
    }
    results.push(...(await measure(name, format, path)));
  }
  return results;
}
