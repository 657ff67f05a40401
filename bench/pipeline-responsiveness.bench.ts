/**
 * Responsiveness of the whole recommend path (issue 9): the engine with its defaults (item-kNN main, the ALS channel,
 * learned fusion, the short-term slot) and variants (no slot; item-to-item and next-item on; main-first fusion). For the 60
 * heaviest users of a dataset, one liked item (rating >= 4) is held out of the store before training; after training,
 * adding it back as one new `like`, made now, must bring something close to it into the next top 10: among its 20 nearest items
 * by `engine.similar` (the item-kNN main model) and not in the top 10 before. Each variant trains its own version
 * (the fusion ranker depends on the channels). Accuracy of the same variants: `npm run bench -- fusion`.
 */
import type { ConfigInput } from '../src/config/config.js';
import { resolveConfig } from '../src/config/config.js';
import { DEFAULT_RECALL_CHANNELS, RECALL_CHANNEL_BUDGETS } from '../src/config/pipeline-section.js';
import { silentLogger } from '../src/core/logger.js';
import type { Event } from '../src/core/types.js';
import { loadDataset, type RatingsTable } from '../src/eval/dataset.js';
import { createRandom } from '../src/eval/random.js';
import { createEngine } from '../src/engine.js';
import { datasetPath } from '../src/testkit/datasets.js';
import type { BenchResult } from './harness.js';

const HEAVY_USERS = 60;
const NEIGHBOURS = 20;
const K = 10;

/** The default recall channels plus item-to-item and next-item (off by default). */
const WITH_SEQUENCE_CHANNELS = { recall: { ...DEFAULT_RECALL_CHANNELS, 'item-to-item': RECALL_CHANNEL_BUDGETS['item-to-item'], 'next-item': RECALL_CHANNEL_BUDGETS['next-item'] } };
const VARIANTS: Array<[string, ConfigInput]> = [
  ['defaults', {}],
  ['no-slot', { interests: { shortTermSlot: false } }],
  ['with item-to-item, next-item', { pipeline: WITH_SEQUENCE_CHANNELS }],
  ['with item-to-item, next-item, no-slot', { pipeline: WITH_SEQUENCE_CHANNELS, interests: { shortTermSlot: false } }],
  ['main-first', { pipeline: { fuse: 'main-first' } }],
];

function eventOf(t: RatingsTable, r: number): Event {
  return { userId: t.users.idAt(t.user[r]), itemId: t.items.idAt(t.item[r]), type: 'rating', value: t.rating[r], timestamp: new Date(t.time[r] * 1000).toISOString() };
}

/** The 60 heaviest users and, for each, one liked row held out (seeded). */
function heldOutLikes(t: RatingsTable): Map<number, number> {
  const rowsOf = new Map<number, number[]>();
  for (let r = 0; r < t.user.length; r++) rowsOf.set(t.user[r], [...(rowsOf.get(t.user[r]) ?? []), r]);
  const heavy = [...rowsOf.entries()].sort((a, b) => b[1].length - a[1].length || a[0] - b[0]).slice(0, HEAVY_USERS);
  const rand = createRandom(7);
  return new Map(heavy.map(([u, rows]) => {
    const liked = rows.filter((r) => t.rating[r] >= 4);
    return [u, liked[rand.int(liked.length)]];
  }));
}

async function responsiveShare(t: RatingsTable, held: Map<number, number>, input: ConfigInput): Promise<number> {
  const engine = await createEngine(resolveConfig({ ...input, store: { url: 'memory://' }, embeddings: { provider: 'none' } }), { logger: silentLogger });
  try {
    await engine.upsertItems(t.items.ids().map((id) => ({ id })));
    const heldRows = new Set(held.values());
    const events: Event[] = [];
    for (let r = 0; r < t.user.length; r++) if (!heldRows.has(r)) events.push(eventOf(t, r));
    for (let i = 0; i < events.length; i += 5000) await engine.addEvents(events.slice(i, i + 5000));
    await engine.train();
    let responsive = 0;
    for (const [u, r] of held) {
      const userId = t.users.idAt(u);
      const itemId = t.items.idAt(t.item[r]);
      const before = new Set((await engine.recommend(userId, { count: K })).items.map((x) => x.itemId));
      // A like made now: the short-term slot acts on events from the last interests.shortTermSlotHours.
      await engine.addEvents([{ userId, itemId, type: 'like', timestamp: new Date().toISOString() }]);
      const after = (await engine.recommend(userId, { count: K })).items.map((x) => x.itemId);
      const close = new Set((await engine.similar(itemId, { count: NEIGHBOURS })).items.map((x) => x.itemId));
      if (after.some((id) => close.has(id) && !before.has(id))) responsive++;
    }
    return responsive / held.size;
  } finally {
    await engine.close();
  }
}

export async function run(): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  for (const dataset of ['ml-100k', 'ml-latest-small']) {
    const dir = datasetPath(dataset);
    if (!dir) {
      console.warn(`skipping pipeline responsiveness on ${dataset}: not found (KINDRED_DATA_DIR)`);
      continue;
    }
    const t = await loadDataset(dir);
    const held = heldOutLikes(t);
    for (const [name, input] of VARIANTS) {
      const value = await responsiveShare(t, held, input);
      out.push({ name: `pipeline-responsiveness.${name}`, dataset, metric: 'responsive-share', value, unit: 'ratio', extra: { users: held.size, neighbours: NEIGHBOURS } });
    }
  }
  return out;
}
