import { EngineError } from '../../core/errors.js';
import type { InteractionMatrix } from '../../core/interactions.js';
import type { Scored } from '../../core/types.js';
import type { ModelDefinition } from '../definition.js';
import { fitControl, secondsSince } from '../fit-control.js';
import type { FitContext, FitReport, Model, ModelArtifact, RecommendQuery } from '../model.js';
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
export class PopularModel implements Model<PopularParams> {
  readonly name = 'popular';
  private scores?: Float32Array;
  /** The privacy of the released counts (dpEpsilon set): recorded in the artifact's meta. */
  private privacy?: Record<string, unknown>;

  constructor(readonly params: Readonly<PopularParams>, scores?: Float32Array, privacy?: Record<string, unknown>) {
    this.scores = scores;
    this.privacy = privacy;
  }

  async fit(data: InteractionMatrix, ctx: FitContext): Promise<FitReport> {
    const start = ctx.clock.now();
    const { matrix } = data;
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
    const decay = this.params.halfLifeDays > 0;
    if (decay && !data.times) throw new EngineError('INVALID_INPUT', 'popular: halfLifeDays needs interaction times (data.times)', { path: 'halfLifeDays' });
    const now = ctx.clock.now();
    const halfLifeMs = this.params.halfLifeDays * DAY_MS;
    const totals = new Float64Array(matrix.cols);
    for (let u = 0; u < matrix.rows; u++) {
      for (let p = matrix.indptr[u]; p < matrix.indptr[u + 1]; p++) {
        let c = this.params.measure === 'users' ? 1 : matrix.data[p];
        // events newer than `now` (clock skew) count fully rather than more than fully
        if (decay && data.times) c *= Math.pow(0.5, Math.max(0, now - data.times[p]) / halfLifeMs);
        totals[matrix.indices[p]] += c;
      }
      await control.step(u + 1);
    }
    this.scores = Float32Array.from(totals);
    control.finish();
    return { seconds: secondsSince(ctx, start), items: matrix.cols };
  }

  /** The same list for every user: popularity order, ties to the lower index; in recall mode only items with events. */
  recommend(q: RecommendQuery): Scored[] {
    const scores = this.trained();
    return topK(scores, q.k, { candidates: q.candidates, exclude: q.exclude, above: q.candidates ? undefined : 0 });
  }

  /** Popularity of one item (0 for items without events). */
  popularity(item: number): number {
    return this.trained()[item] ?? 0;
  }

  save(): ModelArtifact {
    return { name: this.name, params: { ...this.params }, meta: this.privacy ? { privacy: this.privacy } : {}, arrays: { scores: this.trained() } };
  }

  private trained(): Float32Array {
    if (!this.scores) throw new EngineError('NOT_TRAINED', 'popular model is not trained yet');
    return this.scores;
  }
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
    return new PopularModel(parsePopularParams(artifact.params), scores, artifact.meta.privacy as Record<string, unknown> | undefined);
  },
};
