import { EngineError } from '../../core/errors.js';
import type { InteractionMatrix } from '../../core/interactions.js';
import type { CsrMatrix, SparseRow } from '../../core/sparse.js';
import type { Scored } from '../../core/types.js';
import { csrArrays, csrFromArtifact, metaCount } from '../csr-artifact.js';
import type { ModelDefinition } from '../definition.js';
import { fitControl, secondsSince } from '../fit-control.js';
import { cosineNeighbours, rowNorms, topByFactors } from '../linalg/factor-similarity.js';
import { checkIndexSize } from '../model.js';
import type {
  ApproximateServing, BlockScorer, BlockScoring, FitContext, FitReport, FoldIn, ItemFactorTable, ItemTopK, Model, ModelArtifact, RecommendQuery, SimilarItems,
  TrainingRows, UserRowsRemoval,
} from '../model.js';
import { factorBlockScorer } from '../linalg/factor-block.js';
import { parseParamsWith } from '../param-spec.js';
import { historyRow, withoutUserFactors } from '../user-rows.js';
import { threadCount } from '../workers/pool.js';
import { foldInBpr } from './fold-in.js';
import { trainBpr } from './train.js';

export interface BprParams {
  factors: number;
  learningRate: number;
  regularization: number;
  /** Epochs; each takes as many SGD samples as there are interactions. */
  iterations: number;
  /** Seed of initialisation and sampling (the fit context's seed, when given, takes precedence). */
  seed: number;
  /** Resample negatives the user interacted with. */
  verifyNegative: boolean;
  /** Train on all FitContext.threads at once, lock-free (faster on big data, not bit-for-bit reproducible). */
  hogwild: boolean;
}

interface BprState {
  /** Row stride of the factor matrices (factors rounded up to a multiple of 8). */
  stride: number;
  userFactors: Float32Array;
  itemFactors: Float32Array;
  itemBias: Float32Array;
  userItems: CsrMatrix;
  seed: number;
  itemNorms?: Float32Array;
}

/**
 * Bayesian Personalised Ranking matrix factorisation (Rendle et al. 2009): SGD on sampled (user, liked item,
 * other item) triples with uniform negatives, item biases, scores x_u·y_i + b_i. New users fold in by SGD on their
 * vector alone (items fixed), `iterations` passes over their history; similar items are cosine neighbours.
 *
 * @example const m = bprDefinition.create(bprDefinition.parseParams({ iterations: 40 })); await m.fit(data, ctx);
 */
export class BprModel implements ApproximateServing, Model<BprParams>, FoldIn, SimilarItems, TrainingRows, UserRowsRemoval, BlockScoring {
  readonly name = 'bpr';
  private state?: BprState;
  /** Set in serving at large catalogues: recall over all items goes through this index (see ApproximateServing). */
  private servingIndex?: ItemTopK;

  constructor(readonly params: Readonly<BprParams>, state?: BprState) {
    this.state = state;
  }

  async fit(data: InteractionMatrix, ctx: FitContext): Promise<FitReport> {
    const start = ctx.clock.now();
    const control = fitControl(ctx, this.params.iterations);
    const seed = ctx.seed ?? this.params.seed;
    const stride = Math.ceil(this.params.factors / 8) * 8;
    const trained = await trainBpr(data.matrix, {
      ...this.params,
      stride,
      seed,
      threads: this.params.hogwild ? threadCount(ctx.threads) : 1,
      onEpoch: async (done, total, logLikelihood) => {
        ctx.logger.debug('bpr epoch', { epoch: done, logLikelihood });
        await control.report(done, total);
      },
    });
    this.state = { ...trained, stride, userItems: data.matrix, seed };
    this.servingIndex = undefined; // built over the old factors
    control.finish();
    const last = trained.logLikelihoods[trained.logLikelihoods.length - 1];
    return { seconds: secondsSince(ctx, start), logLikelihoods: trained.logLikelihoods, logLikelihood: last };
  }

  recommend(q: RecommendQuery): Scored[] {
    const st = this.trained();
    const x = typeof q.user === 'number' ? this.trainedUser(q.user) : this.foldIn(historyRow(st.userItems, q.user));
    if (this.servingIndex && !q.candidates) return this.servingIndex.topK(x, q.k, q.exclude);
    return topByFactors(x, st.itemFactors, st.stride, st.userItems.cols, q, st.itemBias);
  }

  /** Trained users' scores x_u·y_i + b_i for a block of users at once: U_block · Yᵀ on the SIMD kernel, plus the bias. */
  blockScorer(): BlockScorer {
    const st = this.trained();
    return factorBlockScorer({ userFactors: st.userFactors, itemFactors: st.itemFactors, stride: st.stride, items: st.userItems.cols, bias: st.itemBias });
  }

  /** Without the user's factor vector (zeros) and training row; the item factors still carry them until a retraining. */
  withoutUserRows(user: number): BprModel {
    const st = this.trained();
    const copy = new BprModel(this.params, { ...st, ...withoutUserFactors(st, user) });
    copy.serveThrough(this.servingIndex); // the item side is unchanged, so is its index
    return copy;
  }

  itemFactorTable(): ItemFactorTable {
    const st = this.trained();
    return { factors: st.itemFactors, stride: st.stride, items: st.userItems.cols, bias: st.itemBias };
  }

  serveThrough(index: ItemTopK | undefined): void {
    checkIndexSize(index, this.itemFactorTable().items);
    this.servingIndex = index;
  }

  /** The user's training row (the erase takes it out of the models that can forget it). */
  trainingRow(user: number): SparseRow {
    return historyRow(this.trained().userItems, user);
  }

  userVector(history: SparseRow): Float32Array {
    return this.foldIn(historyRow(this.trained().userItems, history)).slice(0, this.params.factors);
  }

  similarItems(item: number, k: number): Scored[] {
    const st = this.trained();
    st.itemNorms ??= rowNorms(st.itemFactors, st.userItems.cols, st.stride);
    return cosineNeighbours(st.itemFactors, st.itemNorms, st.stride, item, k);
  }

  save(): ModelArtifact {
    const st = this.trained();
    return {
      name: this.name,
      params: { ...this.params },
      meta: { users: st.userItems.rows, items: st.userItems.cols, stride: st.stride, seed: st.seed },
      arrays: { userFactors: st.userFactors, itemFactors: st.itemFactors, itemBias: st.itemBias, ...csrArrays('user', st.userItems) },
    };
  }

  /** SGD fold-in of a history against the fixed item factors (deterministic for the model's seed). */
  private foldIn(row: SparseRow): Float32Array {
    const st = this.trained();
    return foldInBpr(row, st.itemFactors, {
      stride: st.stride,
      learningRate: this.params.learningRate,
      regularization: this.params.regularization,
      epochs: this.params.iterations,
      seed: st.seed,
    });
  }

  private trainedUser(user: number): Float32Array {
    const st = this.trained();
    if (!Number.isInteger(user) || user < 0 || user >= st.userItems.rows) {
      throw new EngineError('INVALID_INPUT', `user index ${user} is not in the trained model (0..${st.userItems.rows - 1})`);
    }
    return st.userFactors.subarray(user * st.stride, (user + 1) * st.stride);
  }

  private trained(): BprState {
    if (!this.state) throw new EngineError('NOT_TRAINED', 'bpr model is not trained yet');
    return this.state;
  }
}

const DEFAULTS: BprParams = {
  factors: 64, learningRate: 0.05, regularization: 0.01, iterations: 30, seed: 42, verifyNegative: true, hogwild: false,
};

export const bprDefinition: ModelDefinition<BprParams> = {
  name: 'bpr',
  description: 'BPR-MF: pairwise-ranking matrix factorisation by SGD with uniform negatives; fold-in by SGD',
  defaults: DEFAULTS,
  searchSpace: {
    factors: { type: 'int', min: 16, max: 256, log: true, grid: [32, 64, 128] },
    learningRate: { type: 'float', min: 0.005, max: 0.2, log: true },
    regularization: { type: 'float', min: 0.0001, max: 0.1, log: true },
    iterations: { type: 'int', min: 10, max: 200, log: true },
  },
  parseParams: (input) =>
    parseParamsWith<BprParams>('bpr', input, {
      factors: { type: 'int', min: 1, max: 1024 },
      learningRate: { type: 'float', min: 1e-6, max: 10 },
      regularization: { type: 'float', min: 0, max: 100 },
      iterations: { type: 'int', min: 1, max: 10_000 },
      seed: { type: 'int', min: 0, max: 2 ** 32 - 1 },
      verifyNegative: { type: 'boolean' },
      hogwild: { type: 'boolean' },
    }, DEFAULTS),
  create: (params) => new BprModel(params),
  restore: (artifact) => {
    const params = bprDefinition.parseParams(artifact.params);
    const users = metaCount(artifact, 'users');
    const items = metaCount(artifact, 'items');
    const seed = metaCount(artifact, 'seed');
    const k = metaCount(artifact, 'stride');
    const { userFactors, itemFactors, itemBias } = artifact.arrays;
    if (
      !(userFactors instanceof Float32Array) || userFactors.length !== users * k ||
      !(itemFactors instanceof Float32Array) || itemFactors.length !== items * k ||
      !(itemBias instanceof Float32Array) || itemBias.length !== items
    ) {
      throw new EngineError('INVALID_INPUT', 'bpr artifact lacks consistent factor arrays');
    }
    return new BprModel(params, { stride: k, userFactors, itemFactors, itemBias, userItems: csrFromArtifact(artifact, 'user', items), seed });
  },
};
