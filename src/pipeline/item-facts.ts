import type { Item } from '../core/types.js';
import { trainedBundleOf, type ModelBundle } from '../models/model-bundle.js';
import type { Store } from '../storage/store.js';

/** A category or tag, as the reasons name it. */
export interface ItemLabel {
  kind: 'category' | 'tag';
  name: string;
}

/**
 * What the category and fresh channels read about items, by bundle item index, built once per bundle from one catalogue
 * scan and extended (by id lookup, not a scan) when the served state carries items added after training. Changes to an
 * item's categories, tags or createdAt reach it with the next bundle (training), not before.
 */
export interface ItemFacts {
  /** How many bundle item indexes it covers. */
  size: number;
  labels: ItemLabel[];
  /** Item i's label ids are labelIds[labelStart[i] .. labelStart[i + 1]) (one flat array: cache-friendly scans). */
  labelStart: Int32Array;
  labelIds: Int32Array;
  /** Per label id, its items, most popular first. */
  itemsOf: Int32Array[];
  /** Per item index, log(2 + the bundle's popularity) (popularity 0 for items without events). */
  logPopularity: Float32Array;
  /** Item indexes with a createdAt, newest first, and their times (ms), parallel. */
  newest: { items: Int32Array; times: Float64Array };
}

/**
 * Item i's label ids.
 *
 * @example labelsOf(facts, 12) // Int32Array [0, 4]
 */
export function labelsOf(facts: ItemFacts, item: number): Int32Array {
  return facts.labelIds.subarray(facts.labelStart[item], facts.labelStart[item + 1]);
}

const labelKey = (l: ItemLabel): string => `${l.kind}\u0000${l.name}`;

function labelsOfItem(item: Item | undefined): ItemLabel[] {
  if (!item) return [];
  const out = new Map<string, ItemLabel>();
  for (const name of item.categories ?? []) out.set(labelKey({ kind: 'category', name }), { kind: 'category', name });
  for (const name of item.tags ?? []) out.set(labelKey({ kind: 'tag', name }), { kind: 'tag', name });
  return [...out.values()];
}

/**
 * The facts of the bundle's items from their records (`byIndex[i]` is item i's record, undefined when not stored).
 *
 * @example itemFactsOf(bundle, records)
 */
export function itemFactsOf(bundle: ModelBundle, byIndex: ReadonlyArray<Item | undefined>): ItemFacts {
  const size = byIndex.length;
  const all = Int32Array.from({ length: Math.min(size, bundle.trainedItems) }, (_, i) => i);
  const popularity = new Float32Array(size);
  for (const s of bundle.models.popular.recommend({ user: 0, k: all.length, candidates: all })) popularity[s.index] = s.score;
  const labels: ItemLabel[] = [];
  const ids = new Map<string, number>();
  const members: number[][] = [];
  const perItem = byIndex.map((item, i) => labelsOfItem(item).map((l) => {
    let id = ids.get(labelKey(l));
    if (id === undefined) {
      id = labels.push(l) - 1;
      ids.set(labelKey(l), id);
      members.push([]);
    }
    members[id].push(i);
    return id;
  }));
  const itemsOf = members.map((m) => Int32Array.from(m.sort((a, b) => popularity[b] - popularity[a] || a - b)));
  const logPopularity = popularity.map((p) => Math.log(2 + p));
  const labelStart = new Int32Array(size + 1);
  perItem.forEach((ls, i) => (labelStart[i + 1] = labelStart[i] + ls.length));
  const dated = byIndex.flatMap((item, i) => {
    const t = item?.createdAt ? Date.parse(item.createdAt) : NaN;
    return Number.isFinite(t) ? [{ i, t }] : [];
  }).sort((a, b) => b.t - a.t || a.i - b.i);
  return {
    size, labels, labelStart, labelIds: Int32Array.from(perItem.flat()), itemsOf, logPopularity,
    newest: { items: Int32Array.from(dated, (d) => d.i), times: Float64Array.from(dated, (d) => d.t) },
  };
}

async function loadFacts(bundle: ModelBundle, store: Store, previous?: { facts: ItemFacts; records: Array<Item | undefined> }) {
  const records: Array<Item | undefined> = previous ? [...previous.records] : new Array<Item | undefined>(bundle.items.size);
  if (!previous) {
    for await (const batch of store.scanItems()) {
      for (const item of batch) {
        const i = bundle.items.indexOf(item.id);
        if (i !== undefined) records[i] = item;
      }
    }
  } else {
    const added = Array.from({ length: bundle.items.size - records.length }, (_, j) => bundle.items.idAt(records.length + j));
    const found = new Map((await store.getItems(added)).map((it) => [it.id, it]));
    for (const id of added) records.push(found.get(id));
  }
  records.length = bundle.items.size;
  return { facts: itemFactsOf(bundle, records), records };
}

type Loaded = Awaited<ReturnType<typeof loadFacts>>;
const loaded = new WeakMap<ModelBundle, Promise<Loaded>>();
const ready = new WeakMap<ModelBundle, ItemFacts>();

/**
 * The item facts of this bundle: the first call scans the catalogue once; later calls reuse it, reading only items
 * appended to the bundle since. Concurrent callers share one load.
 *
 * @example const facts = await itemFactsFor(ctx.bundle, ctx.store)
 */
export async function itemFactsFor(bundle: ModelBundle, store: Store): Promise<ItemFacts> {
  const key = trainedBundleOf(bundle); // served states of one bundle share its facts: a new item extends them
  let pending = loaded.get(key);
  if (!pending) {
    pending = loadFacts(bundle, store);
    loaded.set(key, pending);
    // A failed scan is not kept: the next request tries again.
    pending.catch(() => loaded.delete(key));
  }
  let current = await pending;
  if (current.facts.size < bundle.items.size) {
    const base = current;
    // Another caller may already be extending: only one extension per size.
    if (loaded.get(key) === pending) loaded.set(key, (pending = loadFacts(bundle, store, base)));
    current = await (loaded.get(key) ?? pending);
  }
  ready.set(key, current.facts);
  return current.facts;
}

/**
 * The facts already loaded for this bundle (for synchronous readers such as reasons), if any.
 *
 * @example loadedItemFacts(ctx.bundle)?.labels[0] // { kind: 'category', name: 'Drama' }
 */
export function loadedItemFacts(bundle: ModelBundle): ItemFacts | undefined {
  return ready.get(trainedBundleOf(bundle));
}
