import { EngineError } from '../../core/errors.js';
import type { InteractionMatrix } from '../../core/interactions.js';
import type { Scored } from '../../core/types.js';
import type { ModelDefinition } from '../definition.js';
import { fitControl, secondsSince } from '../fit-control.js';
import type { FitContext, FitReport, Model, ModelArtifact, RecommendQuery } from '../model.js';
import { parseParamsWith } from '../param-spec.js';
import { topK } from '../topk.js';

export interface TrendingParams {
  /** The recent window in days, ending at the newest event in the data. */
  windowDays: number;
  /** The baseline window in days just before the recent one: the rate a rise is measured against. */
  baselineDays: number;
  /** Fewest people in the recent window for an item to count as trending at all. */
  minRecent: number;
}

const DAY_MS = 86_400_000;

/** What a trained trending model holds: scores, recent counts, and the end of its windows. */
interface TrendState {
  scores: Float32Array;
  recent: Float32Array;
  /** The newest event time in the training data (ms): windows end here, not at the wall clock. */
  reference: number;
}

/**
 * The rise of item `recent` count over what its baseline rate predicts for a window of the same length, in Poisson
 * standard deviations: (recent − expected) / √(expected + 1). The +1 keeps an item new in the window (no baseline)
 * from scoring without bound, so a rise needs support, not only a ratio.
 *
 * @example trendScore(12, 14, 7, 56) // (12 − 1.75) / √2.75 ≈ 6.18
 */
export function trendScore(recent: number, baseline: number, windowDays: number, baselineDays: number): number {
  const expected = (baseline * windowDays) / baselineDays;
  return (recent - expected) / Math.sqrt(expected + 1);
}

/**
 * Trending: items whose recent rate of people choosing them rises most over their own baseline rate. Both windows end
 * at the newest event of the training data (`reference`), not at the wall clock, so a dataset with old timestamps
 * still has a "last week" of activity; the reasons say which week that was (see the trending channel). Each user-item
 * pair counts once, at its latest event. Only items with at least `minRecent` recent people and a positive rise are
 * recalled.
 *
 * @example const m = trendingDefinition.create({ windowDays: 7, baselineDays: 56, minRecent: 3 }); await m.fit(data, ctx);
 */
export class TrendingModel implements Model<TrendingParams> {
  readonly name = 'trending';
  private state?: TrendState;

  constructor(readonly params: Readonly<TrendingParams>, state?: TrendState) {
    this.state = state;
  }

  async fit(data: InteractionMatrix, ctx: FitContext): Promise<FitReport> {
    const start = ctx.clock.now();
    const { matrix, times } = data;
    if (!times) throw new EngineError('INVALID_INPUT', 'trending needs interaction times (data.times)', { path: 'times' });
    const control = fitControl(ctx, matrix.rows, 4096);
    let reference = -Infinity;
    for (let p = 0; p < times.length; p++) if (times[p] > reference) reference = times[p];
    const recentFrom = reference - this.params.windowDays * DAY_MS;
    const baselineFrom = recentFrom - this.params.baselineDays * DAY_MS;
    const recent = new Float32Array(matrix.cols);
    const baseline = new Float32Array(matrix.cols);
    for (let u = 0; u < matrix.rows; u++) {
      for (let p = matrix.indptr[u]; p < matrix.indptr[u + 1]; p++) {
        const t = times[p];
        if (t > recentFrom) recent[matrix.indices[p]] += 1;
        else if (t > baselineFrom) baseline[matrix.indices[p]] += 1;
      }
      await control.step(u + 1);
    }
    const scores = new Float32Array(matrix.cols);
    for (let i = 0; i < scores.length; i++) {
      scores[i] = recent[i] >= this.params.minRecent ? Math.max(0, trendScore(recent[i], baseline[i], this.params.windowDays, this.params.baselineDays)) : 0;
    }
    this.state = { scores, recent, reference: Number.isFinite(reference) ? reference : 0 };
    control.finish();
    return { seconds: secondsSince(ctx, start), trending: scores.filter((s) => s > 0).length };
  }

  /** The same list for everyone: largest rise first; in recall mode only items that rise. */
  recommend(q: RecommendQuery): Scored[] {
    const { scores } = this.trained();
    return topK(scores, q.k, { candidates: q.candidates, exclude: q.exclude, above: q.candidates ? undefined : 0 });
  }

  /** How many people chose the item in the recent window. */
  recentCount(item: number): number {
    return this.trained().recent[item] ?? 0;
  }

  /** The end of the windows: the newest event time of the training data (ms since epoch). */
  get reference(): number {
    return this.trained().reference;
  }

  save(): ModelArtifact {
    const { scores, recent, reference } = this.trained();
    return { name: this.name, params: { ...this.params }, meta: { reference }, arrays: { scores, recent } };
  }

  private trained(): TrendState {
    if (!this.state) throw new EngineError('NOT_TRAINED', 'trending model is not trained yet');
    return this.state;
  }
}

const DEFAULTS: TrendingParams = { windowDays: 7, baselineDays: 56, minRecent: 3 };

const parseTrendingParams = (input: Record<string, unknown>): TrendingParams =>
  parseParamsWith<TrendingParams>('trending', input, {
    windowDays: { type: 'float', min: 0.01, max: 3650 },
    baselineDays: { type: 'float', min: 0.01, max: 36_500 },
    minRecent: { type: 'int', min: 1, max: 1_000_000 },
  }, DEFAULTS);

export const trendingDefinition: ModelDefinition<TrendingParams> = {
  name: 'trending',
  description: 'Items whose recent rate of people choosing them rises most over their baseline rate (windows end at the newest event)',
  defaults: DEFAULTS,
  searchSpace: {
    windowDays: { type: 'float', min: 1, max: 30, grid: [1, 7, 14] },
    baselineDays: { type: 'float', min: 7, max: 365, grid: [28, 56, 180] },
    minRecent: { type: 'int', min: 1, max: 20, grid: [1, 3, 10] },
  },
  parseParams: parseTrendingParams,
  create: (params) => new TrendingModel(params),
  restore: (a) => {
    const { scores, recent } = a.arrays;
    const reference = a.meta.reference;
    if (!(scores instanceof Float32Array) || !(recent instanceof Float32Array) || typeof reference !== 'number') {
      throw new EngineError('INVALID_INPUT', 'trending artifact lacks its scores, recent counts or reference time');
    }
    return new TrendingModel(parseTrendingParams(a.params), { scores, recent, reference });
  },
};
