import type { Merged } from '../stages/merge.js';
import { recallMerged } from '../pipeline.js';
import type { PipelineStages } from '../registry.js';
import type { RecommendContext } from '../request-context.js';
import { candidateFeatures, featureNames } from './features.js';
import { fusionInputs } from './channel-scores.js';
import { rankedChannels } from './fused-order.js';
import { offlineContext, type OfflineDeps, type OfflineUser } from './offline-context.js';
import { fitLogistic, type FusionRanker } from './ranker.js';

/** A user fusion learns from: their history (what the channels saw) and the held-out items they chose next. */
export interface LearningUser extends OfflineUser {
  /** Item indexes held out of the channels' training: the positives. */
  heldOut: Int32Array;
}

export interface LearnOptions {
  /** List length the channels' budgets are computed for (config pipeline.recall quota × count + pad). Default 10. */
  count?: number;
  /**
   * Fewer held-out positives than this many per feature and no ranker is learned (default 5, the low end of the usual
   * events-per-variable rules for logistic regression): on a tiny store the ranker would fit noise, and main-first is
   * safer. 10 also stopped the ranker of ml-latest-small's leave-last-one-out split, which helps there.
   */
  minPositivesPerFeature?: number;
  /** L2 penalty of the logistic ranker; default 1e-3 (measured: 1e-2 and 1e-1 cost 0.0014 and 0.005 NDCG@10 on ml-100k). */
  l2?: number;
}

/**
 * Learns the fusion ranker: for each user, the pipeline's recall channels (fitted without the held-out events) recall
 * and merge candidates; each candidate's features (features.ts) are labelled 1 when it is one of the user's
 * held-out items, else 0; a logistic ranker is fitted on all rows. Undefined when there is too little to learn from
 * (no relevant candidate, or fewer positives than `minPositivesPerFeature` per feature). The channels are the score keys the candidates carried, sorted, so any channel in the pipeline
 * joins without code changes.
 *
 * @example const ranker = await learnFusionRanker(stages, users, { bundle, config, store, clock })
 */
export async function learnFusionRanker(stages: PipelineStages, users: readonly LearningUser[], deps: OfflineDeps, opts: LearnOptions = {}): Promise<FusionRanker | undefined> {
  const count = opts.count ?? 10;
  const recalled: Array<{ merged: Merged; user: LearningUser; ctx: RecommendContext }> = [];
  const channels = new Set<string>();
  for (const user of users) {
    if (user.row.indices.length === 0 || user.heldOut.length === 0) continue;
    const ctx = offlineContext(user, count, deps);
    const merged = await recallMerged(stages, ctx);
    for (const c of merged.candidates) for (const ch of rankedChannels(c)) channels.add(ch);
    recalled.push({ merged, user, ctx });
  }
  const names = [...channels].sort();
  const width = featureNames(names).length;
  const rows = recalled.reduce((s, r) => s + r.merged.candidates.length, 0);
  const x = new Float64Array(rows * width);
  const labels = new Uint8Array(rows);
  let at = 0;
  for (const { merged, user, ctx } of recalled) {
    const relevant = new Set(Array.from(user.heldOut, (i) => deps.bundle.items.idAt(i)));
    x.set(candidateFeatures(merged.candidates, names, fusionInputs(merged.candidates, names, ctx)), at * width);
    merged.candidates.forEach((c, i) => { labels[at + i] = relevant.has(c.itemId) ? 1 : 0; });
    at += merged.candidates.length;
  }
  const positives = labels.reduce((s, v) => s + v, 0);
  if (positives === 0 || positives === rows || positives < width * (opts.minPositivesPerFeature ?? 5)) return undefined;
  const l2 = opts.l2 ?? 1e-3;
  const fit = fitLogistic(x, width, labels, { l2 });
  return {
    channels: names,
    features: featureNames(names),
    mean: fit.mean,
    scale: fit.scale,
    weights: fit.weights,
    bias: fit.bias,
    learned: { users: recalled.length, rows, positives, l2, iterations: fit.iterations },
  };
}
