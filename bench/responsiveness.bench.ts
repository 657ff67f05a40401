/**
 * Responsiveness of the cf channel (issue 9): for the 60 heaviest users of ml-100k (and ml-latest-small), one liked
 * item is held out of training and of their history; adding it back as one new `like` must bring something close to
 * it into the next top 10. "Close" = among its 20 nearest neighbours by the trained item-kNN, and not in the top 10
 * before the like. Measured for several short-term settings (config interests.shortTermSlot, shortTermEvents,
 * shortTermHalfLife, shortTermShare), next to the accuracy of the same path (NDCG@10 on the RecBole split, 5 seeds,
 * and on leave-last-one-out), so the default can be chosen from both. Model: the engine's default main model
 * (item-kNN, default params); the rows come from buildLiveProfile and the slot from withShortTermSlot, as in the cf
 * channel.
 */
import { DEFAULT_EVENT_TYPES } from '../src/config/schema.js';
import type { StoredEvent } from '../src/core/types.js';
import { loadDataset, type RatingsTable } from '../src/eval/dataset.js';
import { applyFilters } from '../src/eval/filters.js';
import { buildInteractions } from '../src/eval/matrix.js';
import { ndcgAtK, hitFlags } from '../src/eval/metrics/accuracy.js';
import { resolveProtocol, splitTable } from '../src/eval/protocols.js';
import { createRandom } from '../src/eval/random.js';
import { silentLogger } from '../src/core/logger.js';
import { buildLiveProfile } from '../src/interests/live-profile.js';
import { withShortTermSlot } from '../src/pipeline/stages/recall/short-term-slot.js';
import type { RecentEmphasis } from '../src/interests/recent-emphasis.js';
import type { Model } from '../src/models/model.js';
import { modelDefinition } from '../src/models/registry.js';
import { datasetPath } from '../src/testkit/datasets.js';
import type { BenchResult } from './harness.js';

const HEAVY_USERS = 60;
const NEIGHBOURS = 20;
const K = 10;
const SEEDS = [1, 2, 3, 4, 5];
/** One short-term setting: the row's emphasis and whether the last slot goes to the short-term row's best item. */
interface Setting extends RecentEmphasis { slot: boolean }

const setting = (slot: boolean, events: number, share: number): Setting => ({ slot, events, share, halfLife: 1 });
/** Equal weights (before issue 9), the slot over the newest 1, 3, 5 events, shares of the whole row, and both. */
const SETTINGS: Setting[] = [
  setting(false, 0, 0), setting(true, 1, 0), setting(true, 3, 0), setting(true, 5, 0),
  setting(false, 0, 0.1), setting(false, 0, 0.15), setting(false, 0, 0.2), setting(true, 3, 0.05),
];
/** The default and its neighbours, checked on data it was not chosen on. */
const CHECK_SETTINGS: Setting[] = [setting(false, 0, 0), setting(true, 1, 0), setting(true, 3, 0), setting(false, 0, 0.15)];

/** A table row as the stored event the engine would hold (a rating, scaled by its value). */
function eventOf(t: RatingsTable, r: number): StoredEvent {
  return {
    id: `r${r}`, userId: t.users.ids()[t.user[r]], itemId: t.items.ids()[t.item[r]], type: 'rating', value: t.rating[r],
    timestamp: new Date(t.time[r] * 1000).toISOString(),
  };
}

/** Rows of each user, newest first (ties: later row first), as Store.history returns them. */
function newestFirst(t: RatingsTable, rows: Iterable<number>): Map<number, number[]> {
  const by = new Map<number, number[]>();
  for (const r of rows) {
    const own = by.get(t.user[r]) ?? [];
    own.push(r);
    by.set(t.user[r], own);
  }
  for (const own of by.values()) own.sort((a, b) => t.time[b] - t.time[a] || b - a);
  return by;
}

async function fitItemKnn(t: RatingsTable, rows: Int32Array): Promise<Model<object>> {
  const def = modelDefinition('itemknn');
  const model = def.create(def.parseParams({}));
  await model.fit(buildInteractions(t, rows), { logger: silentLogger, clock: { now: () => 0 }, seed: 1 });
  return model;
}

function topItems(model: Model<object>, t: RatingsTable, history: StoredEvent[], s: Setting, exclude: Int32Array): number[] {
  const live = buildLiveProfile(history, t.items, DEFAULT_EVENT_TYPES, s);
  const main = model.recommend({ user: live.row, k: K, exclude });
  const useSlot = s.slot && live.recentRow.indices.length > 0 && live.recentRow.indices.length < live.row.indices.length;
  const recent = useSlot ? model.recommend({ user: live.recentRow, k: K, exclude }) : [];
  return withShortTermSlot(main, recent, s.slot ? K : 0).slice(0, K).map((x) => x.index);
}

function label(s: Setting): string {
  const parts = [...(s.slot ? [`slot${s.events}`] : []), ...(s.share > 0 ? [`share${s.share}`] : [])];
  return parts.length === 0 ? 'equal' : parts.join('-');
}

async function responsiveness(t: RatingsTable, settings: readonly Setting[]): Promise<Map<string, number>> {
  const all = Int32Array.from({ length: t.user.length }, (_, r) => r);
  const byUser = newestFirst(t, all);
  const heavy = [...byUser.entries()].sort((a, b) => b[1].length - a[1].length || a[0] - b[0]).slice(0, HEAVY_USERS);
  const rand = createRandom(7);
  // One liked item (rating >= 4) per heavy user, held out of training and of that user's history.
  const heldOut = new Map<number, number>();
  for (const [u, rows] of heavy) {
    const liked = rows.filter((r) => t.rating[r] >= 4);
    heldOut.set(u, liked[rand.int(liked.length)]);
  }
  const held = new Set(heldOut.values());
  const model = await fitItemKnn(t, all.filter((r) => !held.has(r)));
  const knn = model as unknown as { similarItems(item: number, k: number): Array<{ index: number }> };
  const share = new Map<string, number>();
  for (const emphasis of settings) {
    let responsive = 0;
    for (const [u, rows] of heavy) {
      const h = heldOut.get(u) as number;
      const history = rows.filter((r) => r !== h).map((r) => eventOf(t, r));
      const consumed = Int32Array.from(history.map((e) => t.items.indexOf(e.itemId) as number));
      const before = topItems(model, t, history, emphasis, consumed);
      const like: StoredEvent = { ...eventOf(t, h), id: 'new-like', type: 'like', value: undefined, timestamp: new Date(t.time[rows[0]] * 1000 + 1000).toISOString() };
      const after = topItems(model, t, [like, ...history], emphasis, Int32Array.from([...consumed, t.item[h]]));
      const close = new Set(knn.similarItems(t.item[h], NEIGHBOURS).map((s) => s.index));
      const old = new Set(before);
      if (after.some((i) => close.has(i) && !old.has(i))) responsive++;
    }
    share.set(label(emphasis), responsive / heavy.length);
  }
  return share;
}

/**
 * NDCG@10 of the live-row path (train events as the history, train + valid masked) on a protocol's split: RecBole's
 * random 80/10/10 (per seed), where which train events are newest says nothing about the test items, and
 * leave-last-one-out, where it does.
 */
async function accuracy(
  data: RatingsTable, protocol: 'recbole' | 'loo', seeds: readonly number[], settings: readonly Setting[],
): Promise<Map<string, number[]>> {
  const spec = resolveProtocol(protocol);
  const { table } = applyFilters(data, spec.filters);
  const out = new Map<string, number[]>();
  for (const seed of seeds) {
    const split = splitTable(table, spec, seed);
    const model = await fitItemKnn(table, split.train);
    const train = newestFirst(table, split.train);
    const valid = newestFirst(table, split.valid);
    const test = newestFirst(table, split.test);
    for (const emphasis of settings) {
      let sum = 0;
      let users = 0;
      for (const [u, rows] of test) {
        const history = (train.get(u) ?? []).map((r) => eventOf(table, r));
        if (history.length === 0) continue;
        const mask = Int32Array.from([...(train.get(u) ?? []), ...(valid.get(u) ?? [])].map((r) => table.item[r]));
        const relevant = Int32Array.from(new Set(rows.map((r) => table.item[r]))).sort();
        const ranked = topItems(model, table, history, emphasis, mask);
        sum += ndcgAtK(hitFlags(ranked, relevant), relevant.length, K);
        users++;
      }
      const list = out.get(label(emphasis)) ?? [];
      list.push(sum / users);
      out.set(label(emphasis), list);
    }
  }
  return out;
}


export async function run(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const [dataset, settings] of [['ml-100k', SETTINGS], ['ml-latest-small', CHECK_SETTINGS]] as const) {
    const dir = datasetPath(dataset);
    if (!dir) {
      console.warn(`skipping responsiveness on ${dataset}: not found (KINDRED_DATA_DIR)`);
      continue;
    }
    const data = await loadDataset(dir);
    const share = await responsiveness(data, settings);
    const ndcg = await accuracy(data, 'recbole', SEEDS, settings);
    const loo = await accuracy(data, 'loo', [1], settings);
    for (const [name, value] of share) {
      const seeds = ndcg.get(name) ?? [];
      const mean = seeds.reduce((s, x) => s + x, 0) / seeds.length;
      const extra = { users: HEAVY_USERS, neighbours: NEIGHBOURS, seeds: seeds.map((x) => x.toFixed(4)).join(' ') };
      results.push(
        { name: `responsiveness.${name}`, dataset, metric: 'responsive-share', value, unit: 'ratio', extra },
        { name: `responsiveness.${name}`, dataset, metric: 'ndcg@10', value: mean, unit: 'ratio', extra },
        { name: `responsiveness.${name}`, dataset, metric: 'loo-ndcg@10', value: loo.get(name)?.[0] ?? NaN, unit: 'ratio', extra },
      );
    }
  }
  return results;
}
