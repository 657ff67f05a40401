import { EngineError } from '../../core/errors.js';
import type { InteractionMatrix } from '../../core/interactions.js';
import type { CsrMatrix, SparseRow } from '../../core/sparse.js';
import type { Scored } from '../../core/types.js';
import { csrArrays, csrFromArtifact, metaCount } from '../csr-artifact.js';
import type { ModelDefinition } from '../definition.js';
import { fitControl, secondsSince, type FitControl } from '../fit-control.js';
import type {
  BlockScorer, BlockScoring, Contribution, Explainer, FitContext, FitReport, ForgetOutcome, ForgetRequest, ItemCoverage, Model, ModelArtifact, RecommendQuery,
  SimilarItems, TrainingRows, Unlearn,
} from '../model.js';
import { parseParamsWith } from '../param-spec.js';
import { topK } from '../topk.js';
import { historyRow } from '../user-rows.js';
import { threadCount } from '../workers/pool.js';
import { easeDefaultLambda } from './default-lambda.js';
import { solveEase, type EaseProblem } from './solve.js';
import { DP_RULES } from '../dp/dp-params.js';
import { checkPrivateEaseParams, PRIVATE_EASE_DEFAULTS, privateEase, type PrivateEaseOptions } from '../dp/private-ease.js';
import { easeRemovalBlocker, forgetEaseUser } from './unlearn.js';

/** EASE's params: the problem (λ, EDLAE dropout, DAN normalisation, ...; documented on EaseProblem) and its arithmetic. */
export interface EaseParams extends EaseProblem, PrivateEaseOptions {
  /** Arithmetic of the n³ inverse: float32 (about twice as fast, 8·n² bytes in all) or float64 (12·n² bytes). */
  precision: 'float32' | 'float64';
}

interface EaseState {
  /** Item index of each dense row/column of `weights`. */
  items: Int32Array;
  /** Item index -> dense index, or -1 for items outside the model. */
  dense: Int32Array;
  /** n x n row-major item-item weights B (zero diagonal). */
  weights: Float32Array;
  /** Training rows, so trained users can be served by index. */
  userItems: CsrMatrix;
  /** With dpEpsilon: what the private fit promised and the λ it used (artifact meta). */
  privacy?: Record<string, unknown>;
  /** diag P (P = (XᵀX + λI)⁻¹), for exact unlearning; absent in artifacts stored before it was kept. */
  pinvDiagonal?: Float64Array;
}

/**
 * EASE (Steck 2019, "Embarrassingly Shallow Autoencoders"): a dense item-item model with a closed form,
 * B = I - P diag(1/diag P), P = (XᵀX + λI)⁻¹. A user's scores are their history row times B. Strong on
 * catalogues up to about ten thousand items; SimilarItems reads rows of B and Explainer splits a score into the
 * B weights of the history items that produced it. Options from later papers, all off by default: EDLAE dropout
 * (`dropout`) and DAN user / item normalisation (`userNorm`, `itemNorm`).
 *
 * @example const m = easeDefinition.create(easeDefinition.parseParams({ lambda: 300 })); await m.fit(data, ctx);
 */
export class EaseModel implements Model<EaseParams>, SimilarItems, Explainer, Unlearn, TrainingRows, BlockScoring, ItemCoverage {
  readonly name = 'ease';
  private state?: EaseState;

  constructor(readonly params: Readonly<EaseParams>, state?: EaseState) {
    this.state = state;
  }

  async fit(data: InteractionMatrix, ctx: FitContext): Promise<FitReport> {
    const start = ctx.clock.now();
    const control = fitControl(ctx, 1);
    if (this.params.dpEpsilon !== undefined) return this.fitPrivate(data, ctx, start, control);
    const solution = await solveEase(data.matrix, {
      ...this.params,
      precision: this.params.precision === 'float32' ? 'f32' : 'f64',
      threads: threadCount(ctx.threads),
      onStep: (done, total) => control.report(done, total),
    });
    this.state = {
      items: solution.items,
      dense: denseIndex(solution.items, data.matrix.cols),
      weights: solution.weights,
      userItems: data.matrix,
      pinvDiagonal: solution.pinvDiagonal,
    };
    if (solution.droppedItems > 0) {
      ctx.logger.warn('ease: items beyond maxItems left out of the model', { dropped: solution.droppedItems, maxItems: this.params.maxItems });
    }
    return {
      seconds: secondsSince(ctx, start),
      items: solution.items.length,
      droppedItems: solution.droppedItems,
      gramSeconds: solution.gramSeconds,
      inverseSeconds: solution.inverseSeconds,
    };
  }

  /** EASE on a differentially private Gram matrix (docs/privacy.md); the artifact records ε, δ and the noise. */
  private async fitPrivate(data: InteractionMatrix, ctx: FitContext, start: number, control: FitControl): Promise<FitReport> {
    const precision = this.params.precision === 'float32' ? 'f32' : 'f64';
    const onStep = (done: number, total: number): Promise<void> => control.report(done, total);
    const solution = await privateEase(data.matrix, this.params, ctx.seed, { threads: threadCount(ctx.threads), precision, onStep });
    const { items, weights, lambda, privacy } = solution;
    this.state = { items, dense: denseIndex(items, data.matrix.cols), weights, userItems: data.matrix, privacy: { ...privacy, lambda } };
    return { seconds: secondsSince(ctx, start), items: items.length, lambda };
  }

  /**
   * Scores history · B. Recall returns modelled items with a positive score (some evidence); with candidates every
   * one is scored, items outside the model at 0.
   */
  recommend(q: RecommendQuery): Scored[] {
    const st = this.trained();
    const dense = this.denseScores(historyRow(st.userItems, q.user));
    const scores = new Float32Array(st.dense.length);
    st.items.forEach((item, d) => (scores[item] = dense[d]));
    return topK(scores, q.k, { candidates: q.candidates, exclude: q.exclude, above: q.candidates ? undefined : 0 });
  }

  /**
   * A block of trained users scored as X_block · B (sparse history rows × dense B), each row accumulated in float64
   * in the order recommend() uses, so rows equal its scores bit for bit; items outside the model score 0.
   */
  blockScorer(): BlockScorer {
    const st = this.trained();
    const items = st.dense.length;
    const acc = new Float64Array(st.items.length);
    return {
      items,
      above: 0,
      scoreBlock: (users, out) => {
        for (let r = 0; r < users.length; r++) {
          this.accumulateScores(historyRow(st.userItems, users[r]), acc);
          const row = out.subarray(r * items, (r + 1) * items);
          row.fill(0);
          for (let d = 0; d < acc.length; d++) row[st.items[d]] = acc[d];
        }
      },
    };
  }

  /** Items that `item` pushes up most (largest positive B[item][j]). */
  similarItems(item: number, k: number): Scored[] {
    const st = this.trained();
    const d = st.dense[item] ?? -1;
    if (d < 0) return [];
    const n = st.items.length;
    const row = st.weights.subarray(d * n, (d + 1) * n);
    return topK(row, k, { above: 0, exclude: [d] }).map((s) => ({ index: st.items[s.index], score: s.score }));
  }

  /** Each history item's term x_h·B[h][item] of the score, largest first (zero terms left out). */
  explain(user: number | SparseRow, item: number): Contribution[] {
    const st = this.trained();
    const j = st.dense[item] ?? -1;
    if (j < 0) return [];
    const n = st.items.length;
    const row = historyRow(st.userItems, user);
    const out: Contribution[] = [];
    for (let p = 0; p < row.indices.length; p++) {
      const h = st.dense[row.indices[p]];
      if (h === undefined || h < 0) continue;
      const weight = this.strength(row.values[p]) * st.weights[h * n + j];
      if (weight !== 0) out.push({ item: row.indices[p], weight });
    }
    return out.sort((a, b) => b.weight - a.weight || a.item - b.item);
  }

  /** Without one user by a rank-one downdate of P (unlearn.ts); settings without one are retrained instead. */
  async forgetUser(req: ForgetRequest): Promise<ForgetOutcome> {
    const st = this.trained();
    if (this.params.dpEpsilon !== undefined) return { retrain: 'differentially private Gram matrix: an exact update would break the noise accounting' };
    const blocker = easeRemovalBlocker(this.params);
    if (blocker) return { retrain: blocker };
    if (!st.pinvDiagonal) return { retrain: 'stored before EASE kept diag P: no exact downdate' };
    const next = forgetEaseUser({ ...st, pinvDiagonal: st.pinvDiagonal }, req.user, this.params);
    if (!next) return { retrain: 'the maxItems cap would keep another item set without the user' };
    return { model: new EaseModel(this.params, { ...next, dense: denseIndex(next.items, next.userItems.cols) }) };
  }

  trainingRow(user: number): SparseRow {
    return historyRow(this.trained().userItems, user);
  }

  /** The items of the dense problem: those with events, at most maxItems of them. */
  coveredItems(): Uint8Array {
    return Uint8Array.from(this.trained().dense, (d) => (d >= 0 ? 1 : 0));
  }

  save(): ModelArtifact {
    const st = this.trained();
    return {
      name: this.name,
      params: { ...this.params },
      meta: { items: st.dense.length, users: st.userItems.rows, ...(st.privacy ? { privacy: st.privacy } : {}) },
      arrays: { items: st.items, weights: st.weights, ...csrArrays('user', st.userItems), ...(st.pinvDiagonal ? { pinvDiagonal: st.pinvDiagonal } : {}) },
    };
  }

  private denseScores(row: SparseRow): Float32Array {
    return Float32Array.from(this.accumulateScores(row, new Float64Array(this.trained().items.length)));
  }

  /** acc := history · B over the modelled items (float64). */
  private accumulateScores(row: SparseRow, acc: Float64Array): Float64Array {
    const st = this.trained();
    const n = st.items.length;
    acc.fill(0);
    for (let p = 0; p < row.indices.length; p++) {
      const h = st.dense[row.indices[p]];
      if (h === undefined || h < 0) continue;
      const x = this.strength(row.values[p]);
      const base = h * n;
      for (let j = 0; j < n; j++) acc[j] += x * st.weights[base + j];
    }
    return acc;
  }

  private strength(value: number): number {
    return this.params.binary ? 1 : value;
  }

  private trained(): EaseState {
    if (!this.state) throw new EngineError('NOT_TRAINED', 'ease model is not trained yet');
    return this.state;
  }
}

function denseIndex(items: Int32Array, nItems: number): Int32Array {
  const dense = new Int32Array(nItems).fill(-1);
  items.forEach((item, d) => (dense[item] = d));
  return dense;
}

const DEFAULTS: EaseParams = {
  lambda: 500, dropout: 0, userNorm: 0, itemNorm: 0, binary: true, maxItems: 10_000, precision: 'float32', ...PRIVATE_EASE_DEFAULTS,
};

export const easeDefinition: ModelDefinition<EaseParams> = {
  name: 'ease',
  description: 'EASE: closed-form item-item autoencoder (Steck 2019); dense, best up to ~10k items',
  defaults: DEFAULTS,
  searchSpace: {
    lambda: { type: 'float', min: 10, max: 10_000, log: true },
    dropout: { type: 'float', min: 0, max: 0.8 },
    userNorm: { type: 'float', min: 0, max: 1 },
    itemNorm: { type: 'float', min: 0, max: 0.5 },
    binary: { type: 'choice', values: [true, false] },
  },
  parseParams: (input) => {
    const p = parseParamsWith<EaseParams>('ease', input, {
      lambda: { type: 'float', min: 1e-3, max: 1e7 },
      dropout: { type: 'float', min: 0, max: 0.9 },
      userNorm: { type: 'float', min: 0, max: 1 },
      itemNorm: { type: 'float', min: 0, max: 1 },
      binary: { type: 'boolean' },
      maxItems: { type: 'int', min: 1, max: 20_000 },
      precision: { type: 'choice', values: ['float32', 'float64'] },
      ...DP_RULES,
      dpBounding: { type: 'choice', values: ['sample', 'scale'] },
      dpRidge: { type: 'float', min: 2, max: 1000 },
      dpPairThreshold: { type: 'float', min: 0, max: 100 },
      dpItemThreshold: { type: 'float', min: 0, max: 100 },
    }, DEFAULTS);
    checkPrivateEaseParams(p);
    return p;
  },
  // λ scales with the Gram diagonal (default-lambda.ts); explicit params win. Not for a private fit: the shape is
  // computed from the private data, so its λ stays the fixed default unless set
  scaleDefaults: (shape, explicit) => (explicit.dpEpsilon === undefined ? { lambda: easeDefaultLambda(shape, explicit.binary ?? DEFAULTS.binary) } : {}),
  create: (params) => new EaseModel(params),
  restore: (artifact) => {
    const params = easeDefinition.parseParams(artifact.params);
    const nItems = metaCount(artifact, 'items');
    const { items, weights } = artifact.arrays;
    if (!(items instanceof Int32Array) || !(weights instanceof Float32Array) || weights.length !== items.length * items.length) {
      throw new EngineError('INVALID_INPUT', 'ease artifact lacks a consistent items/weights pair');
    }
    if (items.some((i) => i < 0 || i >= nItems)) throw new EngineError('INVALID_INPUT', 'ease artifact has item indexes out of range');
    const userItems = csrFromArtifact(artifact, 'user', nItems);
    const privacy = artifact.meta.privacy as Record<string, unknown> | undefined;
    const { pinvDiagonal } = artifact.arrays;
    const diagonal = pinvDiagonal instanceof Float64Array && pinvDiagonal.length === items.length ? pinvDiagonal : undefined;
    return new EaseModel(params, { items, dense: denseIndex(items, nItems), weights, userItems, privacy, ...(diagonal ? { pinvDiagonal: diagonal } : {}) });
  },
};
