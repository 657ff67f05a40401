import type { SparseRow } from '../../core/sparse.js';
import type { Model } from '../../models/model.js';
import type { Candidate } from '../candidates.js';
import type { RecommendContext } from '../request-context.js';
import type { FusionInputs } from './features.js';
import { popularityOf } from './fused-order.js';

/** The bundle model behind a channel's scores, when the channel is one model: cf, popular, or an ensemble model. */
function modelOf(channel: string, ctx: RecommendContext): Model<object> | undefined {
  const { models, channels } = ctx.bundle;
  if (channel === 'cf') return models.main.name === 'popular' ? models.popular : models.main;
  if (channel === 'popular') return models.popular;
  return channels?.[channel];
}

/**
 * Each model-backed channel's score for every candidate, also those it did not recall (a channel's list is cut at its
 * budget, so "not recalled" hides how close the item came): the model scores the candidates in re-ranking mode, one
 * call per channel. NaN where no model is known or the item is not in the trained models. Channels that are not one
 * model (query, semantic per interest, ...) are left out and keep their recalled scores only.
 *
 * @example const filled = channelScores(merged.candidates, ['cf', 'als'], ctx); filled.cf[3]
 */
export function channelScores(candidates: readonly Candidate[], channels: readonly string[], ctx: RecommendContext): Record<string, Float64Array> {
  const { bundle } = ctx;
  const at = new Map<number, number>();
  candidates.forEach((c, i) => {
    const index = bundle.items.indexOf(c.itemId);
    if (index !== undefined && index < bundle.trainedItems) at.set(index, i);
  });
  const indexes = Int32Array.from(at.keys());
  const out: Record<string, Float64Array> = {};
  for (const channel of channels) {
    const model = modelOf(channel, ctx);
    if (!model || indexes.length === 0) continue;
    const scores = new Float64Array(candidates.length).fill(NaN);
    for (const s of model.recommend({ user: ctx.cfRow, k: indexes.length, candidates: indexes })) scores[at.get(s.index) ?? 0] = s.score;
    out[channel] = scores;
  }
  return out;
}

/** The main model's score of each candidate for a given history row (NaN for items it does not know). */
function rowScores(candidates: readonly Candidate[], row: SparseRow, ctx: RecommendContext): Float64Array {
  const model = modelOf('cf', ctx);
  const out = new Float64Array(candidates.length).fill(NaN);
  if (!model) return out;
  const at = new Map<number, number>();
  candidates.forEach((c, i) => {
    const index = ctx.bundle.items.indexOf(c.itemId);
    if (index !== undefined && index < ctx.bundle.trainedItems) at.set(index, i);
  });
  if (at.size === 0) return out;
  for (const s of model.recommend({ user: row, k: at.size, candidates: Int32Array.from(at.keys()) })) out[at.get(s.index) ?? 0] = s.score;
  return out;
}

/**
 * Everything candidateFeatures needs from the request besides the candidates: history length, popularity, and the
 * channels' model scores of every candidate.
 *
 * @example candidateFeatures(cands, ranker.channels, fusionInputs(cands, ranker.channels, ctx))
 */
export function fusionInputs(candidates: readonly Candidate[], channels: readonly string[], ctx: RecommendContext): FusionInputs {
  const scored = channelScores(candidates, channels, ctx);
  const window = ctx.config.interests.shortWindow;
  const row = ctx.cfRow;
  // History rows are in time order, oldest first (live-profile.ts): the last `window` items are the short-term interest.
  const recentRow = row.indices.length > window ? { indices: row.indices.slice(-window), values: row.values.slice(-window) } : row;
  const recent = recentRow === row ? scored.cf : rowScores(candidates, recentRow, ctx);
  // The popular channel's scores are the popularity feature: one model call, not two.
  const popularity = scored.popular ? scored.popular.map((s) => (Number.isNaN(s) ? 0 : s)) : popularityOf(candidates, ctx);
  return { historyLength: ctx.cfRow.indices.length, popularity, scored, ...(recent ? { recent } : {}) };
}
