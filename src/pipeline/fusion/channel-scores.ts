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

/** Where each candidate the trained models know sits: item index -> position in the candidate list. */
interface TrainedPositions {
  at: Map<number, number>;
  indexes: Int32Array;
}

function trainedPositions(candidates: readonly Candidate[], ctx: RecommendContext): TrainedPositions {
  const at = new Map<number, number>();
  candidates.forEach((c, i) => {
    const index = ctx.bundle.items.indexOf(c.itemId);
    if (index !== undefined && index < ctx.bundle.trainedItems) at.set(index, i);
  });
  return { at, indexes: Int32Array.from(at.keys()) };
}

/** One model's score of each candidate for a history row, in re-ranking mode (NaN for items it does not know). */
function modelScores(model: Model<object>, row: SparseRow, pos: TrainedPositions, count: number): Float64Array {
  const scores = new Float64Array(count).fill(NaN);
  if (pos.indexes.length === 0) return scores;
  for (const s of model.recommend({ user: row, k: pos.indexes.length, candidates: pos.indexes })) scores[pos.at.get(s.index) ?? 0] = s.score;
  return scores;
}

/**
 * Each model-backed channel's score for every candidate, also those it did not recall (a channel's list is cut at its
 * budget, so "not recalled" hides how close the item came): the model scores the candidates in re-ranking mode, one
 * call per channel. NaN where no model is known or the item is not in the trained models. Channels that are not one
 * model (query, semantic per interest, ...) are left out and keep their recalled scores only.
 *
 * @example const filled = channelScores(merged.candidates, ['cf', 'als'], ctx, trainedPositions(merged.candidates, ctx)); filled.cf[3]
 */
function channelScores(candidates: readonly Candidate[], channels: readonly string[], ctx: RecommendContext, pos: TrainedPositions): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = {};
  for (const channel of channels) {
    const model = modelOf(channel, ctx);
    if (model && pos.indexes.length > 0) out[channel] = modelScores(model, ctx.cfRow, pos, candidates.length);
  }
  return out;
}

/**
 * Everything candidateFeatures needs from the request besides the candidates: history length, popularity, and the
 * channels' model scores of every candidate.
 *
 * @example candidateFeatures(cands, ranker.channels, fusionInputs(cands, ranker.channels, ctx))
 */
export function fusionInputs(candidates: readonly Candidate[], channels: readonly string[], ctx: RecommendContext): FusionInputs {
  const pos = trainedPositions(candidates, ctx);
  const scored = channelScores(candidates, channels, ctx, pos);
  const window = ctx.config.interests.shortWindow;
  const row = ctx.cfRow;
  // History rows are in time order, oldest first (live-profile.ts): the last `window` items are the short-term interest.
  const recentRow = row.indices.length > window ? { indices: row.indices.slice(-window), values: row.values.slice(-window) } : row;
  const main = modelOf('cf', ctx);
  const recent = recentRow === row ? scored.cf : main ? modelScores(main, recentRow, pos, candidates.length) : undefined;
  // The popular channel's scores are the popularity feature: one model call, not two.
  const popularity = scored.popular ? scored.popular.map((s) => (Number.isNaN(s) ? 0 : s)) : popularityOf(candidates, ctx);
  return { historyLength: ctx.cfRow.indices.length, popularity, scored, ...(recent ? { recent } : {}) };
}
