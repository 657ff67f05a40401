/**
 * What the fatigue stage costs and changes: ml-latest-small, the default model, two engines on one SQLite store (one
 * with pipeline.rerank naming fatigue, one without), list cache off, 1000 random users (seeded) asked for 10 items by
 * both, interleaved. Phase 1, no impressions: how many lists differ (must be 0) and the request p50/p99 of each
 * (the extra store read). Phase 2: every list the fatigue engine showed is recorded as impressions, 3 rounds, then the
 * same users again: how many lists changed, the p50/p99 with impressions, and the fatigue stage's own time (trace). `npm run bench -- fatigue-cost`.
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

const USERS = 1000;
const WARMUP = 50;

async function timedList(engine: Engine, user: string): Promise<{ ms: number; ids: string; stageMs?: number }> {
  const t0 = performance.now();
  const res = await engine.recommend(user, { count: 10 });
  const stageMs = res.trace.find((t) => t.stage === 'fatigue')?.ms;
  return { ms: performance.now() - t0, ids: res.items.map((r) => r.itemId).join(','), stageMs };
}

function latency(name: string, ms: number[], extra: Record<string, number>): BenchResult[] {
  ms.sort((a, b) => a - b);
  const dataset = 'ml-latest-small';
  return [
    { name, dataset, metric: 'p50', value: percentile(ms, 50), unit: 'ms', extra },
    { name, dataset, metric: 'p99', value: percentile(ms, 99), unit: 'ms' },
  ];
}

export async function run(): Promise<BenchResult[]> {
  const ml = datasetPath('ml-latest-small');
  if (!ml) {
    console.warn('skipping fatigue-cost bench: ml-latest-small not found (KINDRED_DATA_DIR)');
    return [];
  }
  const dir = mkdtempSync(join(tmpdir(), 'kindred-bench-'));
  const url = `sqlite://${join(dir, 'b.db')}`;
  try {
    const base = { store: { url }, log: { level: 'silent' as const }, embeddings: { provider: 'none' } };
    const on = await createEngine(resolveConfig({ ...base, pipeline: { cacheLists: false } }), { logger: silentLogger });
    await importDataset(on.store, { path: ml, format: 'movielens-latest', onError: 'skip' });
    await on.train({});
    const rerank = on.config.pipeline.rerank.filter((s) => s !== 'fatigue');
    const off = await createEngine(resolveConfig({ ...base, pipeline: { cacheLists: false, rerank } }), { logger: silentLogger });
    const seen = new Set<string>();
    for await (const batch of on.store.scanEvents({ batchSize: 10_000 })) for (const e of batch) seen.add(e.userId);
    const all = [...seen].sort();
    const random = mulberry32(42);
    const users = Array.from({ length: WARMUP + USERS }, () => all[Math.floor(random() * all.length)]);

    const msOn: number[] = [];
    const msOff: number[] = [];
    let differ = 0;
    for (const [r, user] of users.entries()) {
      const a = await timedList(on, user);
      const b = await timedList(off, user);
      if (r < WARMUP) continue;
      msOn.push(a.ms);
      msOff.push(b.ms);
      if (a.ids !== b.ids) differ++;
    }

    for (let round = 0; round < 3; round++) {
      for (const user of users.slice(WARMUP)) {
        const shown = (await on.recommend(user, { count: 10 })).items.map((r) => r.itemId);
        await on.recordImpressions(user, shown, new Date(Date.now() - (3 - round) * 60_000));
      }
    }
    const msImpressions: number[] = [];
    const msStage: number[] = [];
    let changed = 0;
    for (const user of users.slice(WARMUP)) {
      const a = await timedList(on, user);
      const b = await timedList(off, user);
      msImpressions.push(a.ms);
      if (a.stageMs !== undefined) msStage.push(a.stageMs);
      if (a.ids !== b.ids) changed++;
    }
    await on.close();
    await off.close();
    return [
      ...latency('fatigue.none.on', msOn, { requests: USERS, listsDifferingFromOff: differ }),
      ...latency('fatigue.none.off', msOff, { requests: USERS }),
      ...latency('fatigue.impressions.on', msImpressions, { requests: USERS, listsChanged: changed, impressionRounds: 3 }),
      ...latency('fatigue.impressions.stage', msStage, { runs: msStage.length }),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
