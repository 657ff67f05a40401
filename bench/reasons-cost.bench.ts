/**
 * What reasons, moves and "why" cost: ml-latest-small, the default model and channels, care.diversity 0.2 (so a
 * re-rank stage moves items), list cache off, 500 seeded random users (after 50 warm-up), each asked three ways,
 * interleaved: the plain list of 10, the same list with `moves: true` (movementsOf over the shown and removed items),
 * and `why` for the item at place 5. Also the explain stage's own time (trace 'reasons': evidence included), and
 * movementsOf alone on logs of the same size as each request's (fused list length from the trace, 6 re-rank stages
 * each moving its head), timed in a loop: what `moves` costs without the noise of a whole request.
 * `npm run bench -- reasons-cost`.
 */
import type { Candidate } from '../src/pipeline/candidates.js';
import { movementsOf, type MovementLog } from '../src/pipeline/movement.js';
import type { BenchResult } from './harness.js';
import { latency, sampleUsers, withTrainedEngine } from './paired-engines.js';

const USERS = 500;
const WARMUP = 50;

/** A log like a request's: `size` fused candidates, then `stages` re-rank outputs, each swapping pairs in the head (new arrays). */
function syntheticLog(size: number, stages: number): MovementLog {
  const fused: Candidate[] = Array.from({ length: size }, (_, i) => ({ itemId: `m${i}`, via: 'cf', score: size - i, scores: {} }));
  const reranks = [];
  let list = fused;
  for (let s = 0; s < stages; s++) {
    const next = [...list];
    for (let i = s % 2; i + 1 < Math.min(30, next.length); i += 3) [next[i], next[i + 1]] = [next[i + 1], next[i]];
    reranks.push({ stage: `s${s}`, out: next });
    list = next;
  }
  return { fused, reranks };
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

export async function run(): Promise<BenchResult[]> {
  return withTrainedEngine('reasons-cost', { pipeline: { cacheLists: false }, care: { diversity: 0.2 } }, async ({ engine, store }) => {
    const users = await sampleUsers(store, WARMUP + USERS);
    const plain: number[] = [];
    const withMoves: number[] = [];
    const why: number[] = [];
    const reasonsStage: number[] = [];
    const movesAlone: number[] = [];
    let moved = 0;
    let entries = 0;
    let differ = 0;
    for (const [n, user] of users.entries()) {
      const a = await timed(() => engine.recommend(user, { count: 10 }));
      const b = await timed(() => engine.recommend(user, { count: 10, moves: true }));
      const item = a.value.items[4]?.itemId;
      const c = item ? await timed(() => engine.why(user, item, { count: 10 })) : undefined;
      if (n < WARMUP) continue;
      plain.push(a.ms);
      withMoves.push(b.ms);
      if (c) why.push(c.ms);
      reasonsStage.push(a.value.trace.find((t) => t.stage === 'reasons')?.ms ?? 0);
      const log = syntheticLog(a.value.trace.find((t) => t.kind === 'fuse')?.candidatesOut ?? 100, 6);
      const shownIds = log.reranks[5].out.slice(0, 10).map((c) => c.itemId);
      const t0 = performance.now();
      for (let r = 0; r < 100; r++) movementsOf(log, shownIds);
      movesAlone.push((performance.now() - t0) / 100);
      entries += b.value.moves?.length ?? 0;
      moved += (b.value.moves ?? []).filter((m) => m.moves.length > 0).length;
      if (a.value.items.map((r) => r.itemId).join() !== b.value.items.map((r) => r.itemId).join()) differ++;
    }
    return [
      ...latency('reasons-cost.recommend', plain, { users: USERS }),
      ...latency('reasons-cost.recommend-moves', withMoves, { movesPerList: entries / USERS, movedPerList: moved / USERS, listsThatDiffer: differ }),
      ...latency('reasons-cost.why', why),
      ...latency('reasons-cost.reasons-stage', reasonsStage),
      ...latency('reasons-cost.movements-alone', movesAlone),
    ];
  });
}
