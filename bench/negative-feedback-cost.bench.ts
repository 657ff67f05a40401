/**
 * What the negative-feedback stage costs and changes: ml-latest-small, the default model, two engines on one SQLite
 * store (one with the default pipeline.rerank, which names negative-feedback, one without it), list cache off, 500
 * distinct random users (seeded; after 50 warm-up) asked for 10 items by both, interleaved. Phase 1, no feedback: how many lists differ (must be
 * 0) and the request p50/p99 of each. Phase 2: each user says "not interested" in the two highest items of their list
 * that share a genre and "show less like this" on the next item, then the same users again: how many lists changed
 * by the stage (against the engine without it, which blocks the same items), the request p50/p99 of both engines, and the stage's own time (trace) p50/p99.
 * `npm run bench -- negative-feedback-cost`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../src/config/config.js';
import { silentLogger } from '../src/core/logger.js';
import { createEngine } from '../src/engine.js';
import type { Engine } from '../src/engine-types.js';
import { importDataset } from '../src/ingest/importer.js';
import { mulberry32 } from '../src/models/linalg/random.js';
import { datasetPath } from '../src/testkit/datasets.js';
import { percentile, type BenchResult } from './harness.js';

const USERS = 500;
const WARMUP = 50;
const STAGE = 'negative-feedback';

async function timedList(engine: Engine, user: string): Promise<{ ms: number; ids: string[]; stageMs?: number; genres: string[][] }> {
  const t0 = performance.now();
  const res = await engine.recommend(user, { count: 10 });
  const ms = performance.now() - t0;
  const items = await engine.store.getItems(res.items.map((r) => r.itemId));
  return { ms, ids: res.items.map((r) => r.itemId), stageMs: res.trace.find((t) => t.stage === STAGE)?.ms, genres: items.map((it) => it.categories ?? []) };
}

function latency(name: string, ms: number[], extra?: Record<string, number>): BenchResult[] {
  ms.sort((a, b) => a - b);
  const dataset = 'ml-latest-small';
  return [
    { name, dataset, metric: 'p50', value: percentile(ms, 50), unit: 'ms', ...(extra ? { extra } : {}) },
    { name, dataset, metric: 'p99', value: percentile(ms, 99), unit: 'ms' },
  ];
}

/** The first two items of the list that share a genre, and the next item after them for show-less. */
function feedbackFor(list: { ids: string[]; genres: string[][] }): { notInterested: string[]; showLess?: string } | undefined {
  for (let a = 0; a < list.ids.length; a++) {
    for (let b = a + 1; b < list.ids.length; b++) {
      if (!list.genres[a].some((g) => list.genres[b].includes(g))) continue;
      const showLess = list.ids.find((id, i) => i > b && id !== list.ids[a]);
      return { notInterested: [list.ids[a], list.ids[b]], showLess };
    }
  }
  return undefined;
}

export async function run(): Promise<BenchResult[]> {
  const ml = datasetPath('ml-latest-small');
  if (!ml) {
    console.warn('skipping negative-feedback-cost bench: ml-latest-small not found (KINDRED_DATA_DIR)');
    return [];
  }
  const dir = mkdtempSync(join(tmpdir(), 'kindred-bench-'));
  const url = `sqlite://${join(dir, 'b.db')}`;
  try {
    const base = { store: { url }, log: { level: 'silent' as const }, embeddings: { provider: 'none' } };
    const on = await createEngine(resolveConfig({ ...base, pipeline: { cacheLists: false } }), { logger: silentLogger });
    await importDataset(on.store, { path: ml, format: 'movielens-latest', onError: 'skip' });
    await on.train({});
    const rerank = on.config.pipeline.rerank.filter((s) => s !== STAGE);
    const off = await createEngine(resolveConfig({ ...base, pipeline: { cacheLists: false, rerank } }), { logger: silentLogger });
    const seen = new Set<string>();
    for await (const batch of on.store.scanEvents({ batchSize: 10_000 })) for (const e of batch) seen.add(e.userId);
    const all = [...seen].sort();
    const random = mulberry32(42);
    // Distinct users (a seeded shuffle): feedback from one user must not meet a second visit of the same user.
    const users = all.map((u) => ({ u, r: random() })).sort((a, b) => a.r - b.r).slice(0, WARMUP + USERS).map((x) => x.u);

    const msOn: number[] = [];
    const msOff: number[] = [];
    let differ = 0;
    const firstLists = new Map<string, Awaited<ReturnType<typeof timedList>>>();
    for (const [r, user] of users.entries()) {
      const a = await timedList(on, user);
      const b = await timedList(off, user);
      if (r < WARMUP) continue;
      msOn.push(a.ms);
      msOff.push(b.ms);
      firstLists.set(user, a);
      if (a.ids.join() !== b.ids.join()) differ++;
    }

    const said = new Map<string, Set<string>>();
    for (const [user, list] of firstLists) {
      const fb = feedbackFor(list);
      if (!fb) continue;
      for (const itemId of fb.notInterested) await on.feedback(user, { kind: 'not-interested', itemId });
      if (fb.showLess) await on.feedback(user, { kind: 'show-less', itemId: fb.showLess });
      said.set(user, new Set([...fb.notInterested, ...(fb.showLess ? [fb.showLess] : [])]));
    }
    const msFeedback: number[] = [];
    const msFeedbackOff: number[] = [];
    const msStage: number[] = [];
    let changed = 0;
    for (const user of said.keys()) {
      const a = await timedList(on, user);
      const b = await timedList(off, user);
      msFeedback.push(a.ms);
      msFeedbackOff.push(b.ms);
      if (a.stageMs !== undefined) msStage.push(a.stageMs);
      // The engine without the stage blocks the turned-down items too: a difference is the stage's demotion.
      if (a.ids.join() !== b.ids.join()) changed++;
    }
    await on.close();
    await off.close();
    return [
      ...latency('negative-feedback.none.on', msOn, { requests: msOn.length, listsDifferingFromOff: differ }),
      ...latency('negative-feedback.none.off', msOff, { requests: msOff.length }),
      ...latency('negative-feedback.feedback.on', msFeedback, { users: said.size, listsChangedByStage: changed }),
      ...latency('negative-feedback.feedback.off', msFeedbackOff, { users: said.size }),
      ...latency('negative-feedback.feedback.stage', msStage, { runs: msStage.length }),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
