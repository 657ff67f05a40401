import { EngineError } from '../../core/errors.js';
import type { InteractionMatrix } from '../../core/interactions.js';
import type { Scored } from '../../core/types.js';
import type { ModelDefinition } from '../definition.js';
import { fitControl, secondsSince } from '../fit-control.js';
import type { BlockScorer, BlockScoring, FitContext, FitReport, ForgetOutcome, ForgetRequest, Model, ModelArtifact, RecommendQuery, Unlearn } from '../model.js';
import { checkDpParams, dpBudget, dpMeta, dpSeed, DP_DEFAULTS, DP_RULES, type DpParams } from '../dp/dp-params.js';
import { noiseScale } from '../dp/mechanisms.js';
import { boundContributions, countSensitivity, privateItemCounts } from '../dp/private-stats.js';
import { parseParamsWith } from '../param-spec.js';
import { topK } from '../topk.js';

export interface PopularParams extends DpParams {
  /** 'users' counts distinct users per item; 'weight' sums interaction weights. */
  measure: 'users' | 'weight';
  /** Half-life of an interaction's contribution in days, measured back from the fit clock's now (0 = no decay). */
  halfLifeDays: number;
}

const DAY_MS = 86_400_000;

/**
 * Non-personalised popularity: every user gets the same list, the most popular items not excluded. The baseline
 * every collaborative model must beat, and the cold-start fallback.
 *
 * @example const m = popularDefinition.create({ measure: 'users', halfLifeDays: 30 }); await m.fit(data, ctx);
 */
export class PopularModel implements Model<PopularParams>, Unlearn, BlockScoring {
  readonly name = 'popular';
  private scores?: Float32Array;
  /** The privacy of the released counts (dpEpsilon set): recorded in the artifact's meta. */
  private privacy?: Record<string, unknown>;
  /** The exact sums behind `scores` and the fit's now (the decay's reference), kept so a user can be taken out. */
  private sums?: PopularSums;
  /** Items with events, most popular first (ties to the lower index); built on the first recall, reset by fit. */
  private order?: Int32Array;

  constructor(readonly params: Readonly<PopularParams>, scores?: Float32Array, privacy?: Record<string, unknown>, sums?: PopularSums) {
    this.scores = scores;
    this.privacy = privacy;
    this.sums = sums;
  }

  async fit(data: InteractionMatrix, ctx: FitContext): Promise<FitReport> {
    const start = ctx.clock.now();
    const { matrix } = data;
    this.order = undefined;
    const control = fitControl(ctx, matrix.rows, 4096);
    if (this.params.dpEpsilon !== undefined) {
      // users per item, each user bounded to k items, plus noise on every item (docs/privacy.md)
      const k = this.params.dpMaxItemsPerUser;
      const seed = dpSeed(ctx.seed);
      const budget = dpBudget(this.params, 1);
      this.scores = Float32Array.from(privateItemCounts(boundContributions(matrix, k, seed), k, budget, seed));
      const sens = countSensitivity(k);
      this.privacy = dpMeta(this.params, { itemCounts: { epsilon: budget.epsilon, delta: budget.delta, ...sens, noiseScale: noiseScale(budget, sens) } });
      control.finish();
      return { seconds: secondsSince(ctx, start), items: matrix.cols };
    }
    this.privacy = undefined;
    this.sums = undefined;
    const decay = this.params.halfLifeDays > 0;
    if (decay && !data.times) throw new EngineError('INVALID_INPUT', 'popular: halfLifeDays needs interaction times (data.times)', { path: 'halfLifeDays' });
    const now = ctx.clock.now();
    const totals = new Float64Array(matrix.cols);
    for (let u = 0; u < matrix.rows; u++) {
      for (let p = matrix.indptr[u]; p < matrix.indptr[u + 1]; p++) {
        totals[matrix.indices[p]] += this.contribution(matrix.data[p], data.times?.[p], now);
      }
      await control.step(u + 1);
    }
    this.scores = Float32Array.from(totals);
    this.sums = { totals, now };
    control.finish();
    return { seconds: secondsSince(ctx, start), items: matrix.cols };
  }

  /** The same list for every user: popularity order, ties to the lower index; in recall mode only items with events. */
  recommend(q: RecommendQuery): Scored[] {
    const scores = this.trained();
    if (q.candidates) return topK(scores, q.k, { candidates: q.candidates, exclude: q.exclude });
    return this.firstInOrder(q.k, q.exclude);
  }

  /**
   * Recall over the precomputed popularity order: the first k items not excluded, O(k + |exclude|) per request instead
   * of a pass over the whole catalogue (the list is the same for every user, so sorting it once pays at once).
   */
  private firstInOrder(k: number, exclude: Int32Array | undefined): Scored[] {
    const scores = this.trained();
    this.order ??= popularityOrder(scores);
    const excluded = exclude && exclude.length > 0 ? new Set(exclude) : undefined;
    const out: Scored[] = [];
    for (let p = 0; p < this.order.length && out.length < k; p++) {
      const i = this.order[p];
      if (!excluded?.has(i)) out.push({ index: i, score: scores[i] });
    }
    return out;
  }

  /** Every user's row is the popularity vector (recall keeps items with events, as recommend() does). */
  blockScorer(): BlockScorer {
    const scores = this.trained();
    const items = scores.length;
    return {
      items,
      above: 0,
      scoreBlock: (users, out) => {
        for (let r = 0; r < users.length; r++) out.set(scores, r * items);
      },
    };
  }

  /**
   * Without one user: their row's contributions taken out of the exact (float64) sums, the same terms the fit added;
   * with a half-life the row's times are needed. DP counts, artifacts stored without the sums, and decayed counts
   * without the user's times are retrained instead.
   */
  async forgetUser(req: ForgetRequest): Promise<ForgetOutcome> {
    if (this.privacy) return { retrain: 'differentially private counts: an exact update would break the noise accounting' };
    if (!this.sums) return { retrain: 'stored before popularity kept its exact sums' };
    const decay = this.params.halfLifeDays > 0;
    if (decay && req.times?.length !== req.row.indices.length) return { retrain: 'decayed popularity needs the times of the user\'s trained events' };
    const totals = Float64Array.from(this.sums.totals);
    const { indices, values } = req.row;
    for (let p = 0; p < indices.length; p++) {
      if (indices[p] < totals.length) totals[indices[p]] -= this.contribution(values[p], req.times?.[p], this.sums.now);
    }
    // what is left of a sum at rounding level is the sum of nothing: exactly zero, as in a refit that never added it
    for (const i of indices) if (i < totals.length && Math.abs(totals[i]) <= 1e-12 * this.sums.totals[i]) totals[i] = 0;
    return { model: new PopularModel(this.params, Float32Array.from(totals), undefined, { totals, now: this.sums.now }) };
  }

  /** What one trained cell adds to its item's popularity. */
  private contribution(value: number, time: number | undefined, now: number): number {
    const c = this.params.measure === 'users' ? 1 : value;
    // events newer than `now` (clock skew) count fully rather than more than fully
    if (this.params.halfLifeDays > 0 && time !== undefined) return c * Math.pow(0.5, Math.max(0, now - time) / (this.params.halfLifeDays * DAY_MS));
    return c;
  }

  /** Popularity of one item (0 for items without events). */
  popularity(item: number): number {
    return this.trained()[item] ?? 0;
  }

  save(): ModelArtifact {
    const scores = this.trained();
    if (this.privacy) return { name: this.name, params: { ...this.params }, meta: { privacy: this.privacy }, arrays: { scores } };
    return { name: this.name, params: { ...this.params }, meta: this.sums ? { now: this.sums.now } : {}, arrays: { scores, ...(this.sums ? { totals: this.sums.totals } : {}) } };
  }

  private trained(): Float32Array {
    if (!this.scores) throw new EngineError('NOT_TRAINED', 'popular model is not trained yet');
    return this.scores;
  }
}

/** The indexes of the items with a score above 0, by score descending, ties to the lower index (NaN left out). */
function popularityOrder(scores: Float32Array): Int32Array {
  const kept: number[] = [];
  for (let i = 0; i < scores.length; i++) if (scores[i] > 0) kept.push(i);
  return Int32Array.from(kept.sort((a, b) => scores[b] - scores[a] || a - b));
}

/** A non-private fit's exact sums and the time its decay was measured back from. */
interface PopularSums {
  totals: Float64Array;
  now: number;
}

const DEFAULTS: PopularParams = { measure: 'users', halfLifeDays: 0, ...DP_DEFAULTS };

function parsePopularParams(input: Record<string, unknown>): PopularParams {
  const p = parseParamsWith<PopularParams>('popular', input, {
    measure: { type: 'choice', values: ['users', 'weight'] },
    halfLifeDays: { type: 'float', min: 0, max: 36_500 },
    ...DP_RULES,
  }, DEFAULTS);
  checkDpParams('popular', p);
  // the private counts are users per item: summed weights and decay have no bounded sensitivity here
  if (p.dpEpsilon !== undefined && (p.measure !== 'users' || p.halfLifeDays !== 0)) {
    throw new EngineError('INVALID_CONFIG', 'popular: dpEpsilon needs measure "users" and halfLifeDays 0', { path: 'dpEpsilon' });
  }
  return p;
}

export const popularDefinition: ModelDefinition<PopularParams> = {
  name: 'popular',
  description: 'Most popular items (distinct users or summed weights), optionally decayed with a half-life',
  defaults: DEFAULTS,
  searchSpace: {
    measure: { type: 'choice', values: ['users', 'weight'] },
    halfLifeDays: { type: 'float', min: 0, max: 365, grid: [0, 7, 30, 90, 365] },
  },
  parseParams: parsePopularParams,
  create: (params) => new PopularModel(params),
  restore: (artifact) => {
    const scores = artifact.arrays.scores;
    if (!(scores instanceof Float32Array)) throw new EngineError('INVALID_INPUT', 'popular artifact lacks its scores array');
    const { totals } = artifact.arrays;
    const now = artifact.meta.now;
    const sums = totals instanceof Float64Array && totals.length === scores.length && typeof now === 'number' ? { totals, now } : undefined;
    return new PopularModel(parsePopularParams(artifact.params), scores, artifact.meta.privacy as Record<string, unknown> | undefined, sums);
  },
};
