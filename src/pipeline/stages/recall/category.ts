import { channelSetting } from '../../../config/recall-channel-settings.js';
import type { Reason } from '../../../core/types.js';
import { decayedItems, latestEventTime } from '../../../interests/decay.js';
import { topK } from '../../../models/topk.js';
import { itemFactsFor, labelsOf, loadedItemFacts, type ItemFacts, type ItemLabel } from '../../item-facts.js';
import type { RecommendContext } from '../../request-context.js';
import type { RecallChannel } from './channel.js';
import { fromScored } from './from-model.js';

/** How many of the user's strongest categories/tags recall draws from. */
export const TOP_LABELS = 3;
/** How far down a label's popularity-ordered item list recall looks (bounds the work on large catalogues). */
export const LABEL_DEPTH = 1000;

/**
 * The user's categories and tags, label id -> share (summing to 1): each history item's time-decayed weight (config
 * pipeline.recall.category.halfLifeDays; events.types weights) spread over its labels.
 *
 * @example userLabelWeights(ctx, facts) // Map { 4 => 0.6, 9 => 0.4 }
 */
export function userLabelWeights(ctx: RecommendContext, facts: ItemFacts): Map<number, number> {
  const history = ctx.history ?? [];
  const reference = latestEventTime(history);
  const out = new Map<number, number>();
  if (reference === undefined) return out;
  const halfLifeDays = channelSetting(ctx.config.pipeline.recall.category, 'halfLifeDays');
  let total = 0;
  for (const [id, w] of decayedItems(history, ctx.config.events.types, reference, { halfLifeDays }).weights) {
    const i = ctx.bundle.items.indexOf(id);
    if (i === undefined || i >= facts.size) continue;
    for (const l of labelsOf(facts, i)) {
      out.set(l, (out.get(l) ?? 0) + w);
      total += w;
    }
  }
  for (const [l, w] of out) out.set(l, w / total);
  return out;
}

const weightsMemo = new WeakMap<RecommendContext, Map<number, number>>();

function weightsFor(ctx: RecommendContext, facts: ItemFacts): Map<number, number> {
  let w = weightsMemo.get(ctx);
  if (!w) weightsMemo.set(ctx, (w = userLabelWeights(ctx, facts)));
  return w;
}

/**
 * The reason a category or tag gives; its evidence is the label, with the user's share of it when known.
 *
 * @example labelReason({ kind: 'category', name: 'Jazz' }, 0.4) // { kind: 'category', text: 'In Jazz, which you often pick', evidence: [{ kind: 'category', id: 'Jazz', value: 0.4 }] }
 */
export function labelReason(label: ItemLabel, share?: number): Reason {
  const what = label.kind === 'category' ? `In ${label.name}` : `Tagged "${label.name}"`;
  const kind = label.kind === 'category' ? 'category' : 'tag';
  return { kind, text: `${what}, which you often pick`, evidence: [{ kind, id: label.name, ...(share !== undefined ? { value: share } : {}) }] };
}

/**
 * Items in the user's strongest categories and tags: the items of the top TOP_LABELS labels (their most popular
 * LABEL_DEPTH each) scored by match × log(2 + popularity), where match is the user's summed shares of the item's
 * labels over √(number of labels), so an item does not match by carrying every label. Item labels come from an index built once per bundle
 * (item-facts.ts), never a per-request catalogue scan. The reason names the user's strongest label the item carries.
 *
 * @example await categoryChannel.run({ k: 30, signal }, ctx)
 */
export const categoryChannel: RecallChannel = {
  kind: 'recall',
  name: 'category',
  applies: (ctx) => !ctx.query && (ctx.history?.length ?? 0) > 0 && ctx.row.indices.length > 0,
  async run({ k }, ctx) {
    // Once loaded, the facts are read without awaiting, so the channel scores in one go (see pipeline.ts startChannels).
    const loaded = loadedItemFacts(ctx.bundle);
    const facts = loaded?.size === ctx.bundle.items.size ? loaded : await itemFactsFor(ctx.bundle, ctx.store);
    const weights = weightsFor(ctx, facts);
    const share = new Float64Array(facts.labels.length);
    for (const [l, w] of weights) share[l] = w;
    const top = [...weights].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, TOP_LABELS).map(([l]) => l);
    // At most TOP_LABELS × LABEL_DEPTH candidates, scored in flat arrays: no per-item objects on the request path.
    const seen = new Uint8Array(facts.size);
    for (const i of ctx.blockedIndexes.all) if (i < facts.size) seen[i] = 1;
    const found = new Int32Array(TOP_LABELS * LABEL_DEPTH);
    const scores = new Float32Array(found.length);
    const { labelStart, labelIds, logPopularity } = facts;
    let n = 0;
    for (const l of top) {
      const items = facts.itemsOf[l];
      for (let p = 0; p < Math.min(items.length, LABEL_DEPTH); p++) {
        const i = items[p];
        if (seen[i]) continue;
        seen[i] = 1;
        let match = 0;
        for (let q = labelStart[i]; q < labelStart[i + 1]; q++) match += share[labelIds[q]];
        found[n] = i;
        scores[n++] = (match / Math.sqrt(labelStart[i + 1] - labelStart[i])) * logPopularity[i];
      }
    }
    const ranked = topK(scores.subarray(0, n), k, { above: 0 }).map((s) => ({ index: found[s.index], score: s.score }));
    return fromScored('category', ranked, ctx.bundle.items);
  },
  evidence: () => undefined,
  reasons(ctx, item) {
    const facts = loadedItemFacts(ctx.bundle);
    // A list served from the cache before this process read the catalogue: the label is not known, the kind is.
    if (!facts || item >= facts.size) return [{ kind: 'category', text: 'In categories you often pick', evidence: [{ kind: 'channel', id: 'category' }] }];
    const weights = weightsFor(ctx, facts);
    let best: number | undefined;
    for (const l of labelsOf(facts, item)) if ((weights.get(l) ?? 0) > (best === undefined ? 0 : weights.get(best) ?? 0)) best = l;
    return best === undefined ? [] : [labelReason(facts.labels[best], weights.get(best))];
  },
};
