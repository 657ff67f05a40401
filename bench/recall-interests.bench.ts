/**
 * What the interests channel adds, measured like the other channels (recall-channels.bench.ts): every user's latest
 * event is held out, the model is trained on the rest, each user's stored interest profile is built from the rest, and
 * interests, item-to-item, category and cf each recall their default budget for a list of 10. Reports hit rates, the
 * hits cf and popular together miss, and mean ms (profile building is not timed: it happens on events, not requests).
 * Two item spaces: text (the default builtin embeddings, default model) and collaborative factors (ALS, no embeddings).
 * `npm run bench -- recall-interests` (ml-100k).
 */
import { resolveConfig, type ConfigInput } from '../src/config/config.js';
import { RECALL_CHANNEL_BUDGETS, type RecallChannelName } from '../src/config/pipeline-section.js';
import { fixedClock } from '../src/core/clock.js';
import { silentLogger } from '../src/core/logger.js';
import { importDataset } from '../src/ingest/importer.js';
import { createProfileBook } from '../src/interests/profile-book.js';
import { trainBundle } from '../src/jobs/trainer.js';
import { buildRecommendContext } from '../src/pipeline/request-context.js';
import { RECALL_CHANNELS } from '../src/pipeline/registry.js';
import { openEmbeddingProvider } from '../src/providers/registry.js';
import { MemoryStore } from '../src/storage/memory/memory-store.js';
import { datasetPath } from '../src/testkit/datasets.js';
import type { BenchResult } from './harness.js';
import { holdOutLatest } from './recall-channels.bench.js';

const COUNT = 10;
const CHANNELS: RecallChannelName[] = ['cf', 'popular', 'interests', 'item-to-item', 'category'];
const SETUPS: Array<{ space: string; config: ConfigInput; model?: string }> = [
  { space: 'text', config: { embeddings: { provider: 'builtin' } } },
  { space: 'factors', config: { embeddings: { provider: 'none' } }, model: 'als' },
];

async function measure(path: string, setup: (typeof SETUPS)[number]): Promise<BenchResult[]> {
  const full = new MemoryStore();
  await importDataset(full, { path, format: 'movielens-100k', onError: 'skip' });
  const { store, heldOut } = await holdOutLatest(full);
  const config = resolveConfig({ ...setup.config, store: { url: 'memory://' }, pipeline: { recall: RECALL_CHANNEL_BUDGETS } });
  const clock = fixedClock(Math.max(...[...heldOut.values()].map((e) => Date.parse(e.timestamp))));
  const embeddings = await openEmbeddingProvider(config.embeddings.provider);
  const model = setup.model ?? config.train.model;
  const { bundle } = await trainBundle(store, config, { model, params: {} }, { logger: silentLogger, clock, embeddings });
  const book = createProfileBook({ store, config, logger: silentLogger });
  const deps = {
    config, store, bundle, clock, logger: silentLogger, embeddings: async () => embeddings, llmProvider: async () => undefined,
    interests: book.forRequest,
  };
  const signal = new AbortController().signal;
  const count = (m: Map<string, number>, n: string, by: number) => m.set(n, (m.get(n) ?? 0) + by);
  const hits = new Map<string, number>();
  const beyond = new Map<string, number>();
  const ms = new Map<string, number>();
  const ran = new Map<string, number>();
  let users = 0;
  let interests = 0;
  for (const [userId, target] of heldOut) {
    await book.profile(userId, bundle);
    const ctx = await buildRecommendContext(userId, { count: COUNT }, deps);
    if (ctx.cfRow.indices.length === 0) continue;
    users++;
    interests += ctx.interests?.length ?? 0;
    const found = new Map<string, Set<string>>();
    for (const n of CHANNELS) {
      const ch = RECALL_CHANNELS[n];
      if (!ch.applies(ctx)) continue;
      const budget = RECALL_CHANNEL_BUDGETS[n];
      const t0 = performance.now();
      const out = await ch.run({ k: Math.ceil(COUNT * budget.quota) + budget.pad, signal }, ctx);
      count(ms, n, performance.now() - t0);
      count(ran, n, 1);
      found.set(n, new Set((Array.isArray(out) ? out : out.out).map((c) => c.itemId)));
    }
    const base = new Set([...(found.get('cf') ?? []), ...(found.get('popular') ?? [])]);
    for (const [n, ids] of found) {
      if (!ids.has(target.itemId)) continue;
      count(hits, n, 1);
      if (!base.has(target.itemId)) count(beyond, n, 1);
    }
  }
  const extra = { users, model, space: setup.space, meanInterests: Math.round((interests / users) * 100) / 100 };
  return CHANNELS.filter((n) => (ran.get(n) ?? 0) > 0).flatMap((n) => [
    { name: `recall-interests.${setup.space}.${n}`, dataset: 'ml-100k', metric: 'hit-rate', value: (hits.get(n) ?? 0) / users, unit: '', extra: { ...extra, ran: ran.get(n) ?? 0 } },
    { name: `recall-interests.${setup.space}.${n}`, dataset: 'ml-100k', metric: 'hits-beyond-cf+popular', value: (beyond.get(n) ?? 0) / users, unit: '' },
    { name: `recall-interests.${setup.space}.${n}`, dataset: 'ml-100k', metric: 'mean-ms', value: (ms.get(n) ?? 0) / (ran.get(n) ?? 1), unit: 'ms' },
  ]);
}

export async function run(): Promise<BenchResult[]> {
  const path = datasetPath('ml-100k');
  if (!path) {
    console.warn('skipping recall-interests: ml-100k not found (KINDRED_DATA_DIR)');
    return [];
  }
  const results: BenchResult[] = [];
  for (const setup of SETUPS) results.push(...(await measure(path, setup)));
  return results;
}
