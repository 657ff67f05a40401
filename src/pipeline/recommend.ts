import type { IdIndex } from '../core/ids.js';
import type { Item, ItemId, Reason, Recommendation } from '../core/types.js';
import { explainCandidates } from '../care/explain.js';
import type { LiveProfile } from '../interests/live-profile.js';
import type { ModelBundle } from '../jobs/model-bundle.js';
import type { Store } from '../storage/store.js';
import { isAvailable, type Candidate } from './candidates.js';
import type { RequestContext } from './stage.js';
import { recallFromModel } from './stages/recall.js';
import { traced } from './trace.js';

export interface RecommendRequest {
  count: number;
  /** Never returned: explicit excludes, plus consumed items unless the caller allows them. */
  exclude: Set<ItemId>;
  /** Undefined when the user is unknown or has not consented to personalisation. */
  profile?: LiveProfile;
  bundle: ModelBundle;
  store: Store;
}

const COLD_REASON: Reason = { kind: 'cold-start', text: "Popular with everyone: we don't know your tastes yet" };
const FILL_REASON: Reason = { kind: 'popular', text: 'Popular with other users' };
// Recall more than asked so that filtering unavailable items still leaves a full list.
const OVERFETCH = 3;

function toIndexes(ids: Iterable<ItemId>, index: IdIndex): Int32Array {
  const out: number[] = [];
  for (const id of ids) {
    const i = index.indexOf(id);
    if (i !== undefined) out.push(i);
  }
  return Int32Array.from(out);
}

async function loadItems(store: Store, ids: ItemId[]): Promise<Map<ItemId, Item>> {
  const items = await store.getItems([...new Set(ids)]);
  return new Map(items.map((it) => [it.id, it]));
}

/**
 * Recall (personal model over the live history, popularity for the cold or as filler) -> availability filter
 * (hidden, expired, excluded, negative feedback) -> explain. Every step is traced in ctx.trace.
 *
 * @example const { items, personalised } = await recommendForUser({ count: 10, exclude, profile, bundle, store }, ctx)
 */
export async function recommendForUser(req: RecommendRequest, ctx: RequestContext): Promise<{ items: Recommendation[]; personalised: boolean }> {
  const { bundle, profile } = req;
  const blocked = new Set([...req.exclude, ...(profile?.negatives ?? [])]);
  const excludeIdx = toIndexes(blocked, bundle.items);
  const k = req.count * OVERFETCH + 10;
  const personalised = !!profile && profile.row.indices.length > 0;
  const popularRecall = (reasons: Reason[]) => () =>
    recallFromModel({ model: bundle.models.popular, items: bundle.items, user: profile?.row ?? emptyRow(), k, exclude: excludeIdx, channel: 'popular', reasons });

  let candidates: Candidate[] = [];
  if (personalised && profile) {
    candidates = await traced(
      ctx, 'recall', `cf:${bundle.models.main.name}`, 0,
      () => recallFromModel({ model: bundle.models.main, items: bundle.items, user: profile.row, k, exclude: excludeIdx, channel: 'cf' }),
      (c) => c.length,
      popularRecall([FILL_REASON]),
    );
  }
  if (candidates.length < k) {
    const seen = new Set(candidates.map((c) => c.itemId));
    const fill = await traced(ctx, 'recall', 'popular', candidates.length, popularRecall(personalised ? [FILL_REASON] : [COLD_REASON]), (c) => c.length);
    candidates = candidates.concat(fill.filter((c) => !seen.has(c.itemId)));
  }

  const nowMs = ctx.clock.now();
  const kept = await traced(ctx, 'rerank', 'availability', candidates.length, async () => {
    const lookup = await loadItems(req.store, candidates.map((c) => c.itemId));
    return candidates
      .filter((c) => !blocked.has(c.itemId))
      .flatMap((c) => {
        const item = lookup.get(c.itemId);
        return item && isAvailable(item, nowMs) ? [{ ...c, item }] : [];
      })
      .slice(0, req.count);
  }, (c) => c.length);

  const items = await traced(ctx, 'explain', 'reasons', kept.length, async () => {
    const lookup = await loadItems(req.store, kept.flatMap((c) => c.because.map((b) => b.itemId)));
    return explainCandidates(kept, lookup);
  }, (r) => r.length);
  return { items, personalised };
}

function emptyRow() {
  return { indices: new Int32Array(0), values: new Float32Array(0) };
}
