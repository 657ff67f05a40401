import { EngineError } from '../../core/errors.js';
import type { InteractionMatrix } from '../../core/interactions.js';
import type { CsrMatrix, SparseRow } from '../../core/sparse.js';
import type { Scored } from '../../core/types.js';
import { csrArrays, csrFromArtifact, metaCount } from '../csr-artifact.js';
import type { ModelDefinition } from '../definition.js';
import { fitControl, secondsSince } from '../fit-control.js';
import type {
  BlockScorer, BlockScoring, Contribution, Explainer, FitContext, FitReport, ForgetOutcome, ForgetRequest, Model, ModelArtifact, RecommendQuery, SimilarItems,
  TrainingRows, Unlearn,
} from '../model.js';
import { csrItemItemScorer } from '../csr-block-scorer.js';
import { checkDpParams, DP_DEFAULTS, DP_RULES, type DpParams } from '../dp/dp-params.js';
import { parseParamsWith } from '../param-spec.js';
import { topK } from '../topk.js';
import { historyRow } from '../user-rows.js';
import { ReachedScores } from './score-history.js';
import { privateItemSimilarity } from './private-similarity.js';
import { fillFromCounts } from '../dp/popularity-fill.js';
import type { DpBounding } from '../dp/private-gram.js';
import { entryAt, pairwiseSimilarity } from './similarity.js';
import { forgetItemKnnUser } from './unlearn.js';
import { weightedItemUsers, type ItemWeighting } from './weighting.js';

export interface ItemKnnParams extends DpParams {
  /** Neighbours kept per item. */
  neighbors: number;
  weighting: ItemWeighting;
  /** Shrinks similarities backed by few common users: s * n / (n + shrink). */
  shrink: number;
  /** BM25 saturation (weighting 'bm25' only). */
  K1: number;
  /** BM25 length normalisation (weighting 'bm25' only). */
  B: number;
  /** Divide each item's score by the summed similarity of the history items that reached it. */
  normalize: boolean;
  /**
   * Whose top-`neighbors` list decides which similarities score: 'scored' counts sim(i, j) when history item i is
   * among the scored item j's neighbours (RecBole, classic item-based CF); 'history' when j is among i's (`implicit`).
   */
  prune: ItemKnnPruning;
  /** With dpEpsilon: bound each user's contribution by sampling k items or by scaling heavy users down (docs/privacy.md). */
  dpBounding: DpBounding;
  /** With dpEpsilon: noisy pair counts at or below this many noise scales are dropped (post-processing). */
  dpPairThreshold: number;
}

/** See ItemKnnParams.prune. */
export type ItemKnnPruning = 'history' | 'scored';

interface Trained {
  /** Row i: item i's top-`neighbors` similar items, sorted by column (what similarItems returns). */
  similarity: CsrMatrix;
  /** Row i: the items a history item i adds score to; `similarity` itself or, for prune 'scored', its transpose. */
  scoring: CsrMatrix;
  userItems: CsrMatrix;
  /** With dpEpsilon: the released (noisy) item counts that fill short recall lists. */
  dpCounts?: Float32Array;
  /** Reusable per-request scoring arrays over `scoring` (see ReachedScores). */
  scratch?: ReachedScores;
}

/**
 * Item-based k-nearest neighbours: item-item similarity from co-occurrence in users' histories (cosine, TF-IDF or
 * BM25 weighting, as in `implicit`), and a user's score for item j = Σ over history items i of weight(i) * sim(i, j),
 * over the pairs kept by pruning to `neighbors` (per scored item by default, as RecBole; see ItemKnnParams.prune).
 * New users need no retraining: pass their history as a SparseRow.
 *
 * @example const m = itemKnnDefinition.create(itemKnnDefinition.parseParams({ neighbors: 50 }));
 */
export class ItemKnnModel implements Model<ItemKnnParams>, SimilarItems, Explainer, Unlearn, TrainingRows, BlockScoring {
  readonly name = 'itemknn';
  private state?: Trained;
  /** The privacy of the released similarities (dpEpsilon set): recorded in the artifact's meta. */
  private privacy?: Record<string, unknown>;

  constructor(readonly params: Readonly<ItemKnnParams>, trained?: { similarity: CsrMatrix; userItems: CsrMatrix; privacy?: Record<string, unknown>; dpCounts?: Float32Array }) {
    if (trained) this.state = { ...withScoring(trained.similarity, trained.userItems, params.prune), dpCounts: trained.dpCounts };
    this.privacy = trained?.privacy;
  }

  async fit(data: InteractionMatrix, ctx: FitContext): Promise<FitReport> {
    const start = ctx.clock.now();
    const control = fitControl(ctx, data.matrix.cols);
    let similarity: CsrMatrix;
    let dpCounts: Float32Array | undefined;
    if (this.params.dpEpsilon !== undefined) {
      const released = await privateItemSimilarity(data.matrix, this.params, ctx.seed, control);
      similarity = released.similarity;
      dpCounts = Float32Array.from(released.itemCounts);
      this.privacy = released.privacy;
    } else {
      const weighted = weightedItemUsers(data.matrix, this.params);
      similarity = await pairwiseSimilarity(weighted, { neighbors: this.params.neighbors, shrink: this.params.shrink }, control);
      this.privacy = undefined;
    }
    this.state = { ...withScoring(similarity, data.matrix, this.params.prune), dpCounts };
    control.finish();
    return { seconds: secondsSince(ctx, start), items: similarity.rows, similarities: similarity.nnz };
  }

  /** Recall mode returns only items reached from the history; with candidates every candidate is scored. */
  recommend(q: RecommendQuery): Scored[] {
    const { userItems, dpCounts } = this.trained();
    // recall: only reached items can score above 0; re-ranking: an unreached candidate scores 0, as in the dense array
    const list = this.reachedScores().withScores(historyRow(userItems, q.user), (scores, reached) => q.candidates
      ? topK(scores, q.k, { candidates: q.candidates, exclude: q.exclude })
      : topK(scores, q.k, { candidates: reached, distinctCandidates: true, exclude: q.exclude, above: 0 }));
    // private models fill short recall lists from the released item counts
    return dpCounts && !q.candidates ? fillFromCounts(list, dpCounts, q.k, q.exclude) : list;
  }

  /**
   * A block of trained users scored as history · kept pairs (sparse × sparse). Private models fill short recall lists
   * from released counts, which is not a per-item score: they rank per user (undefined).
   */
  blockScorer(): BlockScorer | undefined {
    const { userItems, scoring, dpCounts } = this.trained();
    if (dpCounts) return undefined;
    return csrItemItemScorer({ userItems, weights: scoring, normalize: this.params.normalize });
  }

  /** The `k` items most similar to `item` (never itself), most similar first. */
  similarItems(item: number, k: number): Scored[] {
    const { similarity } = this.trained();
    if (!Number.isInteger(item) || item < 0 || item >= similarity.rows) {
      throw new EngineError('INVALID_INPUT', `item index ${item} is not in the trained model`);
    }
    const cols = similarity.rowIndices(item);
    const sims = similarity.rowData(item);
    const order = Array.from(cols.keys()).sort((a, b) => sims[b] - sims[a] || cols[a] - cols[b]);
    return order.slice(0, Math.max(0, k)).map((p) => ({ index: cols[p], score: sims[p] }));
  }

  /** History items behind `item`'s score, largest first; the contributions add up to the score. */
  explain(user: number | SparseRow, item: number): Contribution[] {
    const { similarity, userItems } = this.trained();
    const row = historyRow(userItems, user);
    const out: Contribution[] = [];
    let simSum = 0;
    for (let p = 0; p < row.indices.length; p++) {
      const i = row.indices[p];
      // rows of `similarity` are sorted by column, so read sim(i, item) from the row that holds the kept pair
      const s = this.params.prune === 'scored' ? entryAt(similarity, item, i) : entryAt(similarity, i, item);
      if (s <= 0) continue;
      simSum += s;
      out.push({ item: i, weight: row.values[p] * s });
    }
    if (this.params.normalize && simSum > 0) for (const c of out) c.weight /= simSum;
    return out.sort((a, b) => b.weight - a.weight || a.item - b.item);
  }

  /** Without one user, as a refit without them would be (unlearn.ts); a DP release is retrained instead. */
  async forgetUser(req: ForgetRequest): Promise<ForgetOutcome> {
    if (this.params.dpEpsilon !== undefined) return { retrain: 'differentially private similarities: an exact update would break the noise accounting' };
    const trained = await forgetItemKnnUser(this.trained(), req.user, this.params);
    return { model: new ItemKnnModel(this.params, trained) };
  }

  trainingRow(user: number): SparseRow {
    return historyRow(this.trained().userItems, user);
  }

  save(): ModelArtifact {
    const { similarity, userItems, dpCounts } = this.trained();
    return {
      name: this.name,
      params: { ...this.params },
      meta: this.privacy ? { items: userItems.cols, privacy: this.privacy } : { items: userItems.cols },
      arrays: { ...csrArrays('sim', similarity), ...csrArrays('user', userItems), ...(dpCounts ? { dpCounts } : {}) },
    };
  }

  /** The scoring scratch of this trained state (made on the first request). */
  private reachedScores(): ReachedScores {
    const state = this.trained();
    state.scratch ??= new ReachedScores(state.scoring, this.params.normalize);
    return state.scratch;
  }

  private trained(): Trained {
    if (!this.state) throw new EngineError('NOT_TRAINED', 'itemknn model is not trained yet');
    return this.state;
  }
}

/** The trained state; scoring walks history item i's row, so for prune 'scored' that row must list the j keeping i. */
function withScoring(similarity: CsrMatrix, userItems: CsrMatrix, prune: ItemKnnPruning): Trained {
  return { similarity, userItems, scoring: prune === 'scored' ? similarity.transpose() : similarity };
}

const DEFAULTS: ItemKnnParams = { neighbors: 100, weighting: 'cosine', shrink: 0, K1: 1.2, B: 0.75, normalize: false, prune: 'scored', ...DP_DEFAULTS, dpBounding: 'scale', dpPairThreshold: 2, dpMaxItemsPerUser: 10 };

function parseItemKnnParams(input: Record<string, unknown>): ItemKnnParams {
  const p = parseParamsWith<ItemKnnParams>('itemknn', input, {
    neighbors: { type: 'int', min: 1, max: 100_000 },
    weighting: { type: 'choice', values: ['cosine', 'tfidf', 'bm25'] },
    shrink: { type: 'float', min: 0, max: 1e6 },
    K1: { type: 'float', min: 0, max: 1e4 },
    B: { type: 'float', min: 0, max: 1 },
    normalize: { type: 'boolean' },
    prune: { type: 'choice', values: ['history', 'scored'] },
    ...DP_RULES,
    dpBounding: { type: 'choice', values: ['sample', 'scale'] },
    dpPairThreshold: { type: 'float', min: 0, max: 100 },
  }, DEFAULTS);
  checkDpParams('itemknn', p, DEFAULTS);
  for (const key of ['dpBounding', 'dpPairThreshold'] as const) {
    if (p.dpEpsilon === undefined && p[key] !== DEFAULTS[key]) throw new EngineError('INVALID_CONFIG', `itemknn: param "${key}" needs dpEpsilon`, { path: key });
  }
  // the private release counts users per item and pair: the TF-IDF/BM25 weights have no bounded sensitivity here
  if (p.dpEpsilon !== undefined && p.weighting !== 'cosine') {
    throw new EngineError('INVALID_CONFIG', 'itemknn: dpEpsilon works with weighting "cosine" only', { path: 'weighting' });
  }
  // an option that the chosen weighting ignores is a mistake worth reporting, not silently dropping
  for (const key of ['K1', 'B'] as const) {
    if (p.weighting !== 'bm25' && p[key] !== DEFAULTS[key]) {
      throw new EngineError('INVALID_CONFIG', `itemknn: param "${key}" only applies to weighting "bm25"`, { path: key });
    }
  }
  return p;
}

export const itemKnnDefinition: ModelDefinition<ItemKnnParams> = {
  name: 'itemknn',
  description: 'Item-based kNN over co-occurrence (cosine, TF-IDF or BM25 weighting); similar items, explanations, fold-in',
  defaults: DEFAULTS,
  searchSpace: {
    neighbors: { type: 'int', min: 10, max: 500, log: true },
    weighting: { type: 'choice', values: ['cosine', 'tfidf', 'bm25'] },
    // log scale: shrinkage mostly helps in small amounts, and large values hurt per-scored-item pruning
    shrink: { type: 'float', min: 0.1, max: 100, log: true },
    prune: { type: 'choice', values: ['history', 'scored'] },
  },
  parseParams: parseItemKnnParams,
  create: (params) => new ItemKnnModel(params),
  restore: (a) => {
    const items = metaCount(a, 'items');
    const privacy = a.meta.privacy as Record<string, unknown> | undefined;
    const dpCounts = a.arrays.dpCounts instanceof Float32Array ? a.arrays.dpCounts : undefined;
    const trained = { similarity: csrFromArtifact(a, 'sim', items), userItems: csrFromArtifact(a, 'user', items), privacy, dpCounts };
    // artifacts saved before `prune` existed were scored per history item: keep them scoring as they did; private
    // ones saved before the single Gram release split ε with dpCountShare over sampled histories
    const { dpCountShare, ...saved } = a.params;
    const params = dpCountShare === undefined ? saved : { ...saved, dpBounding: 'sample' };
    return new ItemKnnModel(parseItemKnnParams({ prune: 'history', ...params }), trained);
  },
};
