/**
 * What the care stages cost end to end: in-process `engine.recommend` on ml-latest-small, two engines on one SQLite
 * store, one with the default pipeline.rerank and one with every care stage left out (src/care/presets.ts
 * CARE_STAGE_NAMES, so stages other helpers add are picked up when they are listed there), list cache off, 1000
 * seeded random users (after 50 warm-up) asked for 10 items by both, interleaved. Reports p50/p99 of each, the p50
 * and p99 difference, each care stage's own traced time, and how many lists differ. `npm run bench -- care-e2e`.
 * The aim (issue 10): care adds ≤ 2 ms at p99.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CARE_STAGE_NAMES } from '../src/care/presets.js';
import { resolveConfig } from '../src/config/config.js';
import { silentLogger } from '../src/core/logger.js';
import { createEngine } from '../src/engine.js';
import type { Engine } from '../src/engine-types.js';
import { importDataset } from '../src/ingest/importer.js';
import { mulberry32 } from '../src/models/linalg/random.js';
import { datasetPath } from '../src/testkit/datasets.js';
import { percentile, type BenchResult } from './harness.js';

const USERS = Number(process.env.CARE_E2E_USERS ?? 1000);
const WARMUP = 50;
const DATASET = 'ml-latest-small';

async function timedList(engine: Engine, user: string, stageMs: Map<string, number[]>): Promise<{ ms: number; ids: string }> {
  const t0 = performance.now();
  const res = await engine.recommend(user, { count: 10 });
  const ms = performance.now() - t0;
  for (const t of res.trace) if (CARE_STAGE_NAMES.includes(t.stage)) stageMs.set(t.stage, [...(stageMs.get(t.stage) ?? []), t.ms]);
  return { ms, ids: res.items.map((r) => r.itemId).join(',') };
}

function sorted(xs: number[]): number[] {
  return [...xs].sort((a, b) => a - b);
}

export async function run(): Promise<BenchResult[]> {
  const ml = datasetPath(DATASET);
  if (!ml) {
    console.warn(`skipping care-e2e bench: ${DATASET} not found (KINDRED_DATA_DIR)`);
    return [];
  }
  const dir = mkdtempSync(join(tmpdir(), 'kindred-bench-'));
  const url = `sqlite://${join(dir, 'b.db')}`;
  try {
    const base = { store: { url }, log: { level: 'silent' as const }, embeddings: { provider: 'none' } };
    const on = await createEngine(resolveConfig({ ...base, pipeline: { cacheLists: false } }), { logger: silentLogger });
    await importDataset(on.store, { path: ml, format: 'movielens-latest', onError: 'skip' });
    await on.train({});
    const careStages = on.config.pipeline.rerank.filter((s) => CARE_STAGE_NAMES.includes(s));
    const rerank = on.config.pipeline.rerank.filter((s) => !CARE_STAGE_NAMES.includes(s));
    const off = await createEngine(resolveConfig({ ...base, pipeline: { cacheLists: false, rerank } }), { logger: silentLogger });
    const seen = new Set<string>();
    for await (const batch of on.store.scanEvents({ batchSize: 10_000 })) for (const e of batch) seen.add(e.userId);
    const all = [...seen].sort();
    const random = mulberry32(42);
    const users = Array.from({ length: WARMUP + USERS }, () => all[Math.floor(random() * all.length)]);
    const msOn: number[] = [];
    const msOff: number[] = [];
    const stageMs = new Map<string, number[]>();
    let differ = 0;
    for (const [r, user] of users.entries()) {
      // alternate which engine goes first, so neither always meets a store cache warmed by the other
      const stages = r < WARMUP ? new Map<string, number[]>() : stageMs;
      let a: { ms: number; ids: string };
      let b: { ms: number; ids: string };
      if (r % 2 === 0) {
        a = await timedList(on, user, stages);
        b = await timedList(off, user, new Map());
      } else {
        b = await timedList(off, user, new Map());
        a = await timedList(on, user, stages);
      }
      if (r < WARMUP) continue;
      msOn.push(a.ms);
      msOff.push(b.ms);
      if (a.ids !== b.ids) differ++;
    }
    await on.close();
    await off.close();
    const on50 = percentile(sorted(msOn), 50);
    const on99 = percentile(sorted(msOn), 99);
    const off50 = percentile(sorted(msOff), 50);
    const off99 = percentile(sorted(msOff), 99);
    const out: BenchResult[] = [
      { name: 'care-e2e.care-on', dataset: DATASET, metric: 'p50', value: on50, unit: 'ms', extra: { requests: USERS, stages: careStages.join(' '), listsDiffering: differ } },
      { name: 'care-e2e.care-on', dataset: DATASET, metric: 'p99', value: on99, unit: 'ms' },
      { name: 'care-e2e.care-off', dataset: DATASET, metric: 'p50', value: off50, unit: 'ms', extra: { requests: USERS, rerank: rerank.join(' ') } },
      { name: 'care-e2e.care-off', dataset: DATASET, metric: 'p99', value: off99, unit: 'ms' },
      { name: 'care-e2e.added', dataset: DATASET, metric: 'p50', value: on50 - off50, unit: 'ms' },
      { name: 'care-e2e.added', dataset: DATASET, metric: 'p99', value: on99 - off99, unit: 'ms' },
    ];
    for (const [stage, ms] of stageMs) {
      const s = sorted(ms);
      out.push({ name: `care-e2e.stage.${stage}`, dataset: DATASET, metric: 'p50', value: percentile(s, 50), unit: 'ms', extra: { runs: ms.length } });
      out.push({ name: `care-e2e.stage.${stage}`, dataset: DATASET, metric: 'p99', value: percentile(s, 99), unit: 'ms' });
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
