/**
 * What the fatigue stage costs and changes: ml-latest-small, the default model, two engines on one SQLite store (one
 * with pipeline.rerank naming fatigue, one without), list cache off, 1000 random users (seeded) asked for 10 items by
 * both, interleaved. Phase 1, no impressions: how many lists differ (must be 0) and the request p50/p99 of each
 * (the extra store read). Phase 2: every list the fatigue engine showed is recorded as impressions, 3 rounds, then the
 * same users again: how many lists changed, the p50/p99 with impressions, and the fatigue stage's own time (trace). `npm run bench -- fatigue-cost`.
 */
import type { Engine } from '../src/engine-types.js';
import type { BenchResult } from './harness.js';
import { interleavedPairs, latency, sampleUsers, withEnginePair } from './paired-engines.js';

const USERS = 1000;
const WARMUP = 50;

async function timedList(engine: Engine, user: string): Promise<{ ms: number; ids: string; stageMs?: number }> {
  const t0 = performance.now();
  const res = await engine.recommend(user, { count: 10 });
  const stageMs = res.trace.find((t) => t.stage === 'fatigue')?.ms;
  return { ms: performance.now() - t0, ids: res.items.map((r) => r.itemId).join(','), stageMs };
}

export async function run(): Promise<BenchResult[]> {
  return withEnginePair('fatigue-cost', (s) => s === 'fatigue', async ({ on, off, store }) => {
    const users = await sampleUsers(store, WARMUP + USERS);

    const first = await interleavedPairs(users, WARMUP, on, off, timedList);
    const msOn = first.map((p) => p.on.ms);
    const msOff = first.map((p) => p.off.ms);
    const differ = first.filter((p) => p.on.ids !== p.off.ids).length;

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
    return [
      ...latency('fatigue.none.on', msOn, { requests: USERS, listsDifferingFromOff: differ }),
      ...latency('fatigue.none.off', msOff, { requests: USERS }),
      ...latency('fatigue.impressions.on', msImpressions, { requests: USERS, listsChanged: changed, impressionRounds: 3 }),
      ...latency('fatigue.impressions.stage', msStage, { runs: msStage.length }),
    ];
  });
}
