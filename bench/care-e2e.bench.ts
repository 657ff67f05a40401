/**
 * What the care stages cost end to end: in-process `engine.recommend` on ml-latest-small, two engines on one SQLite
 * store, one with the default pipeline.rerank and one with every care stage left out (src/care/presets.ts
 * CARE_STAGE_NAMES, so stages other helpers add are picked up when they are listed there), list cache off, 1000
 * seeded random users (after 50 warm-up) asked for 10 items by both, interleaved. Reports p50/p99 of each, the p50
 * and p99 difference, each care stage's own traced time and their sum per request, and how many lists differ. `npm run bench -- care-e2e`.
 * The aim (issue 10): care adds ≤ 2 ms at p99.
 */
import { CARE_STAGE_NAMES } from '../src/care/presets.js';
import type { Engine } from '../src/engine-types.js';
import type { BenchResult } from './harness.js';
import { latency, PAIRED_DATASET, sampleUsers, withEnginePair } from './paired-engines.js';

const USERS = Number(process.env.CARE_E2E_USERS ?? 1000);
const WARMUP = 50;

/** One timed list; `careMs` sums the care stages' own traced times (what care adds inside the request, less the reads). */
async function timedList(engine: Engine, user: string, stageMs: Map<string, number[]>): Promise<{ ms: number; ids: string; careMs: number }> {
  const t0 = performance.now();
  const res = await engine.recommend(user, { count: 10 });
  const ms = performance.now() - t0;
  let careMs = 0;
  for (const t of res.trace) {
    if (!CARE_STAGE_NAMES.includes(t.stage)) continue;
    stageMs.set(t.stage, [...(stageMs.get(t.stage) ?? []), t.ms]);
    careMs += t.ms;
  }
  return { ms, ids: res.items.map((r) => r.itemId).join(','), careMs };
}

export async function run(): Promise<BenchResult[]> {
  return withEnginePair('care-e2e', (s) => CARE_STAGE_NAMES.includes(s), async ({ on, off, rerank, store }) => {
    const careStages = on.config.pipeline.rerank.filter((s) => CARE_STAGE_NAMES.includes(s));
    const users = await sampleUsers(store, WARMUP + USERS);
    const msOn: number[] = [];
    const msOff: number[] = [];
    const careSum: number[] = [];
    const stageMs = new Map<string, number[]>();
    let differ = 0;
    for (const [r, user] of users.entries()) {
      // alternate which engine goes first, so neither always meets a store cache warmed by the other
      const stages = r < WARMUP ? new Map<string, number[]>() : stageMs;
      let a: { ms: number; ids: string; careMs: number };
      let b: { ms: number; ids: string; careMs: number };
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
      careSum.push(a.careMs);
      if (a.ids !== b.ids) differ++;
    }
    const [on50, on99] = latency('care-e2e.care-on', msOn, { requests: USERS, stages: careStages.join(' '), listsDiffering: differ });
    const [off50, off99] = latency('care-e2e.care-off', msOff, { requests: USERS, rerank: rerank.join(' ') });
    const out: BenchResult[] = [
      on50, on99, off50, off99,
      { name: 'care-e2e.added', dataset: PAIRED_DATASET, metric: 'p50', value: on50.value - off50.value, unit: 'ms' },
      { name: 'care-e2e.added', dataset: PAIRED_DATASET, metric: 'p99', value: on99.value - off99.value, unit: 'ms' },
    ];
    out.push(...latency('care-e2e.care-stages-sum', careSum, { requests: USERS }));
    for (const [stage, ms] of stageMs) out.push(...latency(`care-e2e.stage.${stage}`, ms, { runs: ms.length }));
    return out;
  });
}
