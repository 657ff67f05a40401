import { EngineError } from '../../core/errors.js';
import type { InteractionMatrix } from '../../core/interactions.js';
import type { CsrMatrix, SparseRow } from '../../core/sparse.js';
import type { Scored } from '../../core/types.js';
import { csrArrays, csrFromArtifact, metaCount } from '../csr-artifact.js';
import type { ModelDefinition, ParamSpace } from '../definition.js';
import { fitControl, secondsSince } from '../fit-control.js';
import { choleskySolveInPlace } from '../linalg/cholesky.js';
import { cosineNeighbours, rowNorms, topByFactors } from '../linalg/factor-similarity.js';
import { checkIndexSize } from '../model.js';
import type {
  ApproximateServing, BlockScorer, BlockScoring, Contribution, Explainer, FitContext, FitReport, FoldIn, ItemFactorTable, ItemTopK, Model, ModelArtifact, RecommendQuery, SimilarItems,
  TrainingRows, UserRowsRemoval,
} from '../model.js';
import { factorBlockScorer } from '../linalg/factor-block.js';
import { parseParamsWith } from '../param-spec.js';
import { historyRow, withoutUserFactors } from '../user-rows.js';
import { threadCount } from '../workers/pool.js';
import { foldInUser, userSystem, type ItemSide } from './fold-in.js';
import { trainAls } from './train.js';
import { alsDefaultRegularization } from './default-regularization.js';
import { DP_RULES } from '../dp/dp-params.js';
import { checkPrivateAlsParams, PRIVATE_ALS_DEFAULTS, privateAls, type PrivateAlsOptions } from '../dp/private-als.js';

export interface AlsParams extends PrivateAlsOptions {
  factors: number;
  /**
   * L2 regularisation λ, frequency-scaled per row (Rendle et al. 2021, ν = 1): user u gets λ·(items + |u's events|),
   * item i gets λ·(users + |i's events|), so one value suits small and large datasets alike.
   */
  regularization: number;
  /** Confidence scaling: c = 1 + alpha · interaction weight. */
  alpha: number;
  iterations: number;
  /** Conjugate-gradient steps per row and half-iteration (warm-started, so 2-4 suffice). */
  cgSteps: number;
  /** Initialisation seed (the fit context's seed, when given, takes precedence). */
  seed: number;
}

/**
 * How many folded-in rows ALS keeps: about 8 MiB of factors, at most 64 rows (64 factors: 32 KiB each), at least 2;
 * requests in flight at once on one process are far fewer than 64.
 */
function foldedKept(stride: number): number {
  return Math.max(2, Math.min(64, Math.floor((8 * 2 ** 20) / (stride * stride * 8))));
}

/** A folded-in history: its vector, the row as the model reads it, and its system's Cholesky factor. */
interface FoldedRow {
  x: Float32Array;
  history: SparseRow;
  factor: Float64Array;
}

interface AlsState extends ItemSide {
  userFactors: Float32Array;
  userItems: CsrMatrix;
  /** Per item, |y_i| (for cosine similar items). */
  itemNorms?: Float32Array;
}

/**
 * Implicit-feedback matrix factorisation by alternating least squares (Hu, Koren & Volinsky 2008), solved with
 * the conjugate-gradient method of Takács et al. as in the implicit library. Scores are x_u·y_i. New users fold in
 * exactly (a k x k Cholesky solve against the fixed item factors); explanations split a score into the history
 * items' terms of that same weighted-ridge solution; similar items are cosine neighbours in factor space.
 *
 * @example const m = alsDefinition.create(alsDefinition.parseParams({ factors: 64 })); await m.fit(data, ctx);
 */
export class AlsModel implements ApproximateServing, Model<AlsParams>, FoldIn, SimilarItems, Explainer, TrainingRows, UserRowsRemoval, BlockScoring {
  readonly name = 'als';
  private state?: AlsState;
  /** The last trained user explained (by index) and their system. */
  private lastExplained?: { user: number; factor: Float64Array; row: SparseRow };
  /**
   * The latest folded-in history rows (by identity: a request builds its row once and never changes it), their
   * vectors and their systems' factors, oldest first. One request asks up to three times for the same row (recall,
   * fusion scoring the candidates, the reasons' explain), and concurrent requests interleave between those calls, so a
   * single last-row slot was overwritten by other requests under load and the system was built again. Bounded (see
   * foldedKept): a factor is stride² doubles, and offline callers fold in thousands of rows they keep.
   */
  private readonly folded = new Map<SparseRow, FoldedRow>();
  /** The privacy of the released item factors (dpEpsilon set): recorded in the artifact's meta. */
  private privacy?: Record<string, unknown>;
  /** Set in serving at large catalogues: recall over all items goes through this index (see ApproximateServing). */
  private servingIndex?: ItemTopK;

  constructor(readonly params: Readonly<AlsParams>, state?: AlsState, privacy?: Record<string, unknown>) {
    this.state = state;
    this.privacy = privacy;
  }

  async fit(data: InteractionMatrix, ctx: FitContext): Promise<FitReport> {
    const start = ctx.clock.now();
    const control = fitControl(ctx, this.params.iterations);
    if (this.params.dpEpsilon !== undefined) {
      const stride = Math.ceil(this.params.dpFactors / 8) * 8;
      const released = await privateAls(data.matrix, this.params, stride, ctx.seed, (done) => control.report(done, this.params.dpIterations));
      const { itemFactors, itemGram, userFactors, privacy } = released;
      this.state = { userFactors, itemFactors, itemGram, stride, alpha: this.params.alpha, regularization: this.params.regularization, userItems: data.matrix };
      this.privacy = privacy;
      this.servingIndex = undefined;
      this.lastExplained = undefined;
      this.folded.clear();
      control.finish();
      return { seconds: secondsSince(ctx, start) };
    }
    const stride = Math.ceil(this.params.factors / 8) * 8;
    this.privacy = undefined;
    const trained = await trainAls(data.matrix, {
      ...this.params,
      stride,
      seed: ctx.seed ?? this.params.seed,
      threads: threadCount(ctx.threads),
      onIteration: async (done, total, loss) => {
        ctx.logger.debug('als iteration', { iteration: done, loss });
        await control.report(done, total);
      },
    });
    this.state = { ...trained, stride, alpha: this.params.alpha, regularization: this.params.regularization, userItems: data.matrix };
    this.servingIndex = undefined; // built over the old factors
    this.lastExplained = undefined;
    this.folded.clear();
    control.finish();
    return { seconds: secondsSince(ctx, start), losses: trained.losses, loss: trained.losses[trained.losses.length - 1] };
  }

  recommend(q: RecommendQuery): Scored[] {
    const st = this.trained();
    const x = typeof q.user === 'number' ? this.trainedUser(q.user) : this.foldIn(q.user).x;
    if (this.servingIndex && !q.candidates) return this.servingIndex.topK(x, q.k, q.exclude);
    return topByFactors(x, st.itemFactors, st.stride, st.userItems.cols, q);
  }

  /** Trained users' scores x_u·y_i for a block of users at once: U_block · Yᵀ on the SIMD kernel. */
  blockScorer(): BlockScorer {
    const st = this.trained();
    return factorBlockScorer({ userFactors: st.userFactors, itemFactors: st.itemFactors, stride: st.stride, items: st.userItems.cols });
  }

  /** Without the user's factor vector (zeros) and training row; the item factors still carry them until a retraining. */
  withoutUserRows(user: number): AlsModel {
    const st = this.trained();
    const copy = new AlsModel(this.params, { ...st, ...withoutUserFactors(st, user) });
    copy.serveThrough(this.servingIndex); // the item side is unchanged, so is its index
    return copy;
  }

  itemFactorTable(): ItemFactorTable {
    const st = this.trained();
    return { factors: st.itemFactors, stride: st.stride, items: st.userItems.cols };
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
    const st = this.trained();
    const factors = this.params.dpEpsilon === undefined ? this.params.factors : this.params.dpFactors;
    return foldInUser(historyRow(st.userItems, history), st).slice(0, factors);
  }

  /** Cosine neighbours in item-factor space. */
  similarItems(item: number, k: number): Scored[] {
    const st = this.trained();
    st.itemNorms ??= rowNorms(st.itemFactors, st.userItems.cols, st.stride);
    return cosineNeighbours(st.itemFactors, st.itemNorms, st.stride, item, k);
  }

  /**
   * Implicit-style explanation: with A_u the user's weighted-ridge matrix, the score of `item` splits exactly
   * into Σ_h (1 + α r_uh) · y_hᵀ A_u⁻¹ y_item over history items h; returns those terms, largest first.
   */
  explain(user: number | SparseRow, item: number): Contribution[] {
    const st = this.trained();
    if (!(item >= 0 && item < st.userItems.cols)) return [];
    let system: { row: SparseRow; factor: Float64Array };
    if (typeof user !== 'number') {
      const { history, factor } = this.foldIn(user);
      system = { row: history, factor };
    } else {
      if (this.lastExplained?.user !== user) {
        const row = historyRow(st.userItems, user);
        this.lastExplained = { user, row, factor: userSystem(row, st).factor };
      }
      system = this.lastExplained;
    }
    const { row, factor } = system;
    const k = st.stride;
    const w = Float64Array.from(st.itemFactors.subarray(item * k, (item + 1) * k));
    choleskySolveInPlace(factor, k, w);
    const out: Contribution[] = [];
    for (let p = 0; p < row.indices.length; p++) {
      const h = row.indices[p];
      let s = 0;
      for (let a = 0; a < k; a++) s += st.itemFactors[h * k + a] * w[a];
      out.push({ item: h, weight: (1 + st.alpha * row.values[p]) * s });
    }
    return out.sort((a, b) => b.weight - a.weight || a.item - b.item);
  }

  save(): ModelArtifact {
    const st = this.trained();
    return {
      name: this.name,
      params: { ...this.params },
      meta: { users: st.userItems.rows, items: st.userItems.cols, stride: st.stride, ...(this.privacy ? { privacy: this.privacy } : {}) },
      arrays: { userFactors: st.userFactors, itemFactors: st.itemFactors, itemGram: st.itemGram, ...csrArrays('user', st.userItems) },
    };
  }

  /** The row's folded-in vector and its system (built and factored once per row: see `folded`). */
  private foldIn(row: SparseRow): FoldedRow {
    const known = this.folded.get(row);
    if (known) return known;
    const st = this.trained();
    const history = historyRow(st.userItems, row);
    const { factor, rhs } = userSystem(history, st);
    choleskySolveInPlace(factor, st.stride, rhs);
    const folded = { x: Float32Array.from(rhs), history, factor };
    this.folded.set(row, folded);
    const kept = foldedKept(st.stride);
    for (const oldest of this.folded.keys()) {
      if (this.folded.size <= kept) break;
      this.folded.delete(oldest);
    }
    return folded;
  }

  private trainedUser(user: number): Float32Array {
    const st = this.trained();
    if (!Number.isInteger(user) || user < 0 || user >= st.userItems.rows) {
      throw new EngineError('INVALID_INPUT', `user index ${user} is not in the trained model (0..${st.userItems.rows - 1})`);
    }
    return st.userFactors.subarray(user * st.stride, (user + 1) * st.stride);
  }

  private trained(): AlsState {
    if (!this.state) throw new EngineError('NOT_TRAINED', 'als model is not trained yet');
    return this.state;
  }
}

const DEFAULTS: AlsParams = { factors: 64, regularization: 0.02, alpha: 1, iterations: 15, cgSteps: 3, seed: 42, ...PRIVATE_ALS_DEFAULTS };

export const alsDefinition: ModelDefinition<AlsParams> = {
  name: 'als',
  description: 'Implicit ALS matrix factorisation (Hu-Koren-Volinsky, conjugate gradient) with exact fold-in of new users',
  defaults: DEFAULTS,
  searchSpace: {
    factors: { type: 'int', min: 16, max: 256, log: true, grid: [32, 64, 128] },
    regularization: { type: 'float', min: 0.001, max: 0.3, log: true },
    alpha: { type: 'float', min: 0.5, max: 100, log: true },
    iterations: { type: 'int', min: 5, max: 30, grid: [10, 15, 20] },
  },
  parseParams: (input) => {
    const p = parseParamsWith<AlsParams>('als', input, {
      factors: { type: 'int', min: 1, max: 1024 },
      regularization: { type: 'float', min: 1e-6, max: 1e6 },
      alpha: { type: 'float', min: 0, max: 1e6 },
      iterations: { type: 'int', min: 1, max: 1000 },
      cgSteps: { type: 'int', min: 1, max: 100 },
      seed: { type: 'int', min: 0, max: 2 ** 32 - 1 },
      ...DP_RULES,
      dpFactors: { type: 'int', min: 1, max: 1024 },
      dpIterations: { type: 'int', min: 1, max: 100 },
      dpRidge: { type: 'float', min: 0, max: 1000 },
    }, DEFAULTS);
    checkPrivateAlsParams(p);
    return p;
  },
  // λ at a fixed multiple of the data's noise edge (default-regularization.ts); a private fit keeps the fixed
  // default, since a λ read off the data would leak it outside the privacy budget
  scaleDefaults: (shape, explicit) =>
    explicit.dpEpsilon === undefined && shape.interactions > 0 ? { regularization: alsDefaultRegularization(shape, explicit.alpha ?? DEFAULTS.alpha) } : {},
  // λ searched from 1/20 to 15 times the scaled default (at the default α): 0.001–0.3 on ml-100k, where the range was
  // fixed before, and 0.0000075–0.0022 on the 100k-item log, which the fixed range missed entirely
  scaleSearchSpace: (shape): Record<string, ParamSpace> => {
    if (shape.interactions === 0) return {};
    const base = alsDefaultRegularization(shape, DEFAULTS.alpha);
    return { regularization: { type: 'float', min: Number((base / 20).toPrecision(2)), max: Number((base * 15).toPrecision(2)), log: true } };
  },
  create: (params) => new AlsModel(params),
  restore: (artifact) => {
    const params = alsDefinition.parseParams(artifact.params);
    const users = metaCount(artifact, 'users');
    const items = metaCount(artifact, 'items');
    const stride = metaCount(artifact, 'stride');
    const { userFactors, itemFactors, itemGram } = artifact.arrays;
    if (
      !(userFactors instanceof Float32Array) || userFactors.length !== users * stride ||
      !(itemFactors instanceof Float32Array) || itemFactors.length !== items * stride ||
      !(itemGram instanceof Float32Array) || itemGram.length !== stride * stride
    ) {
      throw new EngineError('INVALID_INPUT', 'als artifact lacks consistent factor arrays');
    }
    const userItems = csrFromArtifact(artifact, 'user', items);
    const privacy = artifact.meta.privacy as Record<string, unknown> | undefined;
    return new AlsModel(params, { userFactors, itemFactors, itemGram, stride, alpha: params.alpha, regularization: params.regularization, userItems }, privacy);
  },
};
