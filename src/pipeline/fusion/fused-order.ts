import { interleave } from '../blend.js';
import type { Candidate } from '../candidates.js';
import type { RecommendContext } from '../request-context.js';

/**
 * The channels of items the main model cannot score (new items; trained items outside its coverage, recall/uncovered.ts):
 * fusion gives what they find a share of the list instead of a score. New items first.
 */
export const SHARE_CHANNELS: readonly string[] = ['cold-items', 'uncovered'];

/**
 * The candidates the share channels recalled and no ranked channel did, each placed by its share channel, new items
 * first, each channel's in its own order.
 *
 * @example sharedOnly(merged.candidates).map((c) => c.via) // ['cold-items', 'uncovered']
 */
export function sharedOnly(candidates: readonly Candidate[]): Candidate[] {
  const out: Candidate[] = [];
  for (const channel of SHARE_CHANNELS) {
    const placed = candidates.filter((c) => c.scores[channel] && rankedChannels(c).length === 0 && !SHARE_CHANNELS.slice(0, SHARE_CHANNELS.indexOf(channel)).some((ch) => c.scores[ch]));
    placed.sort((a, b) => a.scores[channel].rank - b.scores[channel].rank);
    out.push(...placed.map((c) => ({ ...c, via: channel, score: c.scores[channel].score })));
  }
  return out;
}

/**
 * The channels (score keys) a fusion stage ranks by: every channel but the share ones (SHARE_CHANNELS).
 *
 * @example rankedChannels(candidate) // ['cf', 'als', 'popular']
 */
export function rankedChannels(c: Candidate): string[] {
  return Object.keys(c.scores).filter((ch) => !SHARE_CHANNELS.includes(ch));
}

/** The main channel: its model explains its own scores best, so its reasons come first. */
const MAIN_CHANNEL = 'cf';
/** The channel of last resort for the reasons: popularity says nothing about the person. */
const IMPERSONAL_CHANNEL = 'popular';

/**
 * The channel the explain stage speaks for: the main channel when it recalled the item, else the personal channel
 * that ranked it highest (ties go to the first), popular only when nothing else recalled it.
 */
function bestChannel(c: Candidate): string {
  const channels = rankedChannels(c);
  if (channels.includes(MAIN_CHANNEL)) return MAIN_CHANNEL;
  const personal = channels.filter((ch) => ch !== IMPERSONAL_CHANNEL);
  let best = c.via;
  let rank = Infinity;
  for (const ch of personal.length > 0 ? personal : channels) {
    if (c.scores[ch].rank < rank) {
      rank = c.scores[ch].rank;
      best = ch;
    }
  }
  return best;
}

/**
 * The candidates in descending fused score (ties keep the merge order), each placed by its best channel (bestChannel)
 * and carrying its fused score; items only the share channels (cold-items, uncovered) recalled are interleaved at config
 * pipeline.coldItemShare of the head, as main-first does. The head of `count` items is fused; the rest follows.
 *
 * @example orderByFusedScore(merged.candidates, Float64Array.from([0.2, 0.9]), ctx)
 */
export function orderByFusedScore(candidates: readonly Candidate[], fused: ArrayLike<number>, ctx: RecommendContext): Candidate[] {
  const warm: number[] = [];
  candidates.forEach((c, i) => {
    if (rankedChannels(c).length > 0) warm.push(i);
  });
  const cold = sharedOnly(candidates);
  warm.sort((a, b) => fused[b] - fused[a] || a - b);
  const ranked = warm.map((i) => ({ ...candidates[i], via: bestChannel(candidates[i]), score: fused[i] }));
  const share = ctx.config.pipeline.coldItemShare;
  const quota = share > 0 && cold.length > 0 ? Math.max(1, Math.round(ctx.count * share)) : 0;
  const head = interleave(ranked, cold, quota, ctx.count);
  const inHead = new Set(head.map((c) => c.itemId));
  return [...head, ...ranked.filter((c) => !inHead.has(c.itemId))];
}

/**
 * Popularity of each candidate by the bundle's popular model (0 for items it does not know), for the features.
 *
 * @example popularityOf(merged.candidates, ctx) // Float64Array [583, 12, ...]
 */
export function popularityOf(candidates: readonly Candidate[], ctx: RecommendContext): Float64Array {
  const { bundle } = ctx;
  const out = new Float64Array(candidates.length);
  const at = new Map<number, number>();
  candidates.forEach((c, i) => {
    const index = bundle.items.indexOf(c.itemId);
    if (index !== undefined && index < bundle.trainedItems) at.set(index, i);
  });
  if (at.size === 0) return out;
  const scored = bundle.models.popular.recommend({ user: ctx.cfRow, k: at.size, candidates: Int32Array.from(at.keys()) });
  for (const s of scored) out[at.get(s.index) ?? 0] = s.score;
  return out;
}
