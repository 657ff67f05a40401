/**
 * What reading a user's stored care preferences costs a request: ml-latest-small, the default model, two engines on
 * one SQLite store, list cache off. `on` is the engine as built (every personal request reads the user's preferences
 * beside their history and profile); `off` has that read replaced by an immediate "none", so it is the engine without
 * it. 1000 random users (seeded, after 50 warm-up) asked for 10 items by both, interleaved. Phase 1, nobody has
 * preferences: the p50/p99 of each, how many lists differ (must be 0), and the read alone (p50/p99). Phase 2, every
 * one of those users stores { diversity: 0.2 }: the p50/p99 of `on`, and how many lists equal the same request's
 * `care: { diversity: 0.2 }` (must be all). `npm run bench -- preferences-cost`.
 */
import type { Engine, RecommendOptions } from '../src/engine-types.js';
import type { Store } from '../src/storage/store.js';
import type { BenchResult } from './harness.js';
import { latency, sampleUsers, withTrainedEngine } from './paired-engines.js';

const USERS = 1000;
const WARMUP = 50;

async function timedList(engine: Engine, user: string, opts: RecommendOptions = {}): Promise<{ ms: number; ids: string }> {
  const t0 = performance.now();
  const res = await engine.recommend(user, { count: 10, ...opts });
  return { ms: performance.now() - t0, ids: res.items.map((r) => r.itemId).join(',') };
}

export async function run(): Promise<BenchResult[]> {
  return withTrainedEngine('preferences-cost', { pipeline: { cacheLists: false } }, async ({ engine: on, store, open }) => {
    const { engine: off, store: offStore } = await open();
    // The engine without the read: its store answers "no preferences" without asking SQLite.
    (offStore as { getCarePreferences: Store['getCarePreferences'] }).getCarePreferences = async () => undefined;
    const users = await sampleUsers(store, WARMUP + USERS);

    const msOn: number[] = [];
    const msOff: number[] = [];
    const msRead: number[] = [];
    let differ = 0;
    for (const [r, user] of users.entries()) {
      const a = await timedList(on, user);
      const b = await timedList(off, user);
      const t0 = performance.now();
      await store.getCarePreferences(user);
      const read = performance.now() - t0;
      if (r < WARMUP) continue;
      msOn.push(a.ms);
      msOff.push(b.ms);
      msRead.push(read);
      if (a.ids !== b.ids) differ++;
    }

    for (const user of new Set(users.slice(WARMUP))) await on.setCarePreferences(user, { diversity: 0.2 });
    const msStored: number[] = [];
    let same = 0;
    for (const user of users.slice(WARMUP)) {
      const a = await timedList(on, user);
      const b = await timedList(off, user, { care: { diversity: 0.2 } });
      msStored.push(a.ms);
      if (a.ids === b.ids) same++;
    }
    return [
      ...latency('preferences.none.read', msOn, { requests: USERS, listsDifferingFromNoRead: differ }),
      ...latency('preferences.none.noRead', msOff, { requests: USERS }),
      ...latency('preferences.readAlone', msRead, { reads: USERS }),
      ...latency('preferences.stored.diversity0.2', msStored, { requests: USERS, listsEqualToRequestOverride: same }),
    ];
  });
}
