/**
 * What the negative-feedback stage costs and changes: ml-latest-small, the default model, two engines on one SQLite
 * store (one with the default pipeline.rerank, which names negative-feedback, one without it), list cache off, 500
 * distinct random users (seeded; after 50 warm-up) asked for 10 items by both, interleaved. Phase 1, no feedback: how many lists differ (must be
 * 0) and the request p50/p99 of each. Phase 2: each user says "not interested" in the two highest items of their list
 * that share a genre and "show less like this" on the next item, then the same users again: how many lists changed
 * by the stage (against the engine without it, which blocks the same items), the request p50/p99 of both engines, and the stage's own time (trace) p50/p99.
 * `npm run bench -- negative-feedback-cost`.
 */
import type { Engine } from '../src/engine-types.js';
import type { Store } from '../src/storage/store.js';
import type { BenchResult } from './harness.js';
import { interleavedPairs, latency, sampleDistinctUsers, withEnginePair } from './paired-engines.js';

const USERS = 500;
const WARMUP = 50;
const STAGE = 'negative-feedback';

async function timedList(engine: Engine, store: Store, user: string): Promise<{ ms: number; ids: string[]; stageMs?: number; genres: string[][] }> {
  const t0 = performance.now();
  const res = await engine.recommend(user, { count: 10 });
  const ms = performance.now() - t0;
  const items = await store.getItems(res.items.map((r) => r.itemId));
  return { ms, ids: res.items.map((r) => r.itemId), stageMs: res.trace.find((t) => t.stage === STAGE)?.ms, genres: items.map((it) => it.categories ?? []) };
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
  return withEnginePair('negative-feedback-cost', (s) => s === STAGE, async ({ on, off, store }) => {
    // Distinct users: feedback from one user must not meet a second visit of the same user.
    const users = await sampleDistinctUsers(store, WARMUP + USERS);

    const first = await interleavedPairs(users, WARMUP, on, off, (engine, user) => timedList(engine, store, user));
    const msOn = first.map((p) => p.on.ms);
    const msOff = first.map((p) => p.off.ms);
    const differ = first.filter((p) => p.on.ids.join() !== p.off.ids.join()).length;
    const firstLists = new Map(first.map((p) => [p.user, p.on]));

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
      const a = await timedList(on, store, user);
      const b = await timedList(off, store, user);
      msFeedback.push(a.ms);
      msFeedbackOff.push(b.ms);
      if (a.stageMs !== undefined) msStage.push(a.stageMs);
      // The engine without the stage blocks the turned-down items too: a difference is the stage's demotion.
      if (a.ids.join() !== b.ids.join()) changed++;
    }
    return [
      ...latency('negative-feedback.none.on', msOn, { requests: msOn.length, listsDifferingFromOff: differ }),
      ...latency('negative-feedback.none.off', msOff, { requests: msOff.length }),
      ...latency('negative-feedback.feedback.on', msFeedback, { users: said.size, listsChangedByStage: changed }),
      ...latency('negative-feedback.feedback.off', msFeedbackOff, { users: said.size }),
      ...latency('negative-feedback.feedback.stage', msStage, { runs: msStage.length }),
    ];
  });
}
