import { EngineError } from '../../core/errors.js';
import type { InteractionMatrix } from '../../core/interactions.js';
import type { CsrMatrix, SparseRow } from '../../core/sparse.js';
import type { Scored } from '../../core/types.js';
import { csrArrays, csrFromArtifact, metaCount } from '../csr-artifact.js';
import type { ModelDefinition } from '../definition.js';
import { easeDefaultLambda } from '../ease/default-lambda.js';
import { fitControl, secondsSince } from '../fit-control.js';
import type {
  BlockScorer, BlockScoring, Contribution, Explainer, FitContext, FitReport, ItemCoverage, Model, ModelArtifact, RecommendQuery, SimilarItems, TrainingRows,
} from '../model.js';
import { csrItemItemScorer } from '../csr-block-scorer.js';
import { parseParamsWith } from '../param-spec.js';
import { topK } from '../topk.js';
import { historyRow } from '../user-rows.js';
import { threadCount } from '../workers/pool.js';
import { solveSparseEase, type SparseEaseProblem } from './solve.js';

/** Sparse EASE's params: the problem (solve.ts documents each) and the memory bound on its item-item arrays. */
export interface SparseEaseParams extends SparseEaseProblem {
  /**
   * The most the item-item arrays may take, in MiB: while fitting the pruned Gram rows and the weights,
   * 8·(gramNeighbors + neighbors) bytes per item; the model keeps 8·neighbors bytes per item. On a catalogue where the
   * asked sizes would not fit, both are scaled down together (the fit report gives the sizes used).
   */
  memoryBudgetMb: number;
}

interface SparseEaseState {
  /** items x items: row i = item i's weights on every target item (score_j = Σ_i x_i B_ij), zero diagonal. */
  weights: CsrMatrix;
  /** Training rows, so trained users are served by index. */
  userItems: CsrMatrix;
}

/** Bytes per slot of an item-item array: an Int32 index and a Float32 weight. */
const SLOT_BYTES = 8;

/**
 * The neighbourhood sizes a fit on `items` items uses: the asked ones, or both scaled down together so
 * 8·(gramNeighbors + neighbors)·items bytes fit memoryBudgetMb.
 *
 * @example fittedSizes({ neighbors: 64, gramNeighbors: 256, memoryBudgetMb: 100 }, 1_000_000) // { neighbors: 2, gramNeighbors: 10 }
 */
export function fittedSizes(p: Pick<SparseEaseParams, 'neighbors' | 'gramNeighbors' | 'memoryBudgetMb'>, items: number): { neighbors: number; gramNeighbors: number } {
  const gram = Math.max(p.gramNeighbors, p.neighbors);
  const slots = Math.floor((p.memoryBudgetMb * 2 ** 20) / (SLOT_BYTES * Math.max(1, items)));
  if (slots >= gram + p.neighbors) return { neighbors: p.neighbors, gramNeighbors: gram };
  const scale = slots / (gram + p.neighbors);
  const neighbors = Math.max(1, Math.floor(p.neighbors * scale));
  return { neighbors, gramNeighbors: Math.max(neighbors, Math.floor(gram * scale)) };
}

/**
 * Sparse EASE for catalogues too large for dense EASE's n x n inverse: each item's column of EASE's B solved exactly
 * over its `neighbors` largest co-occurrences, B_Sj = (G_SS + λI)⁻¹ G_Sj (a neighbourhood-restricted EASE, in the
 * spirit of fsSLIM's restricted supports and Steck's sparse approximations; docs/models.md compares it with SANSA).
 * Memory and time grow linearly with the catalogue. The weights are one sparse items x items matrix, so scoring a
 * block of users is X·B. SimilarItems reads rows of B; Explainer splits a score into its history items' weights.
 *
 * @example const m = sparseEaseDefinition.create(sparseEaseDefinition.parseParams({ neighbors: 64 })); await m.fit(data, ctx);
 */
export class SparseEaseModel implements Model<SparseEaseParams>, SimilarItems, Explainer, TrainingRows, ItemCoverage, BlockScoring {
  readonly name = 'sparse-ease';
  private state?: SparseEaseState;

  constructor(readonly params: Readonly<SparseEaseParams>, state?: SparseEaseState) {
    this.state = state;
  }

  async fit(data: InteractionMatrix, ctx: FitContext): Promise<FitReport> {
    const start = ctx.clock.now();
    const control = fitControl(ctx, 1);
    const sizes = fittedSizes(this.params, data.matrix.cols);
    const solution = await solveSparseEase(data.matrix, {
      ...this.params,
      ...sizes,
      threads: threadCount(ctx.threads),
      onStep: (done, total) => control.report(done, total),
    });
    this.state = { weights: solution.weights, userItems: data.matrix };
    if (solution.regularisedColumns > 0) {
      ctx.logger.info('sparse-ease: columns whose pruned Gram block needed a larger ridge', { columns: solution.regularisedColumns });
    }
    return {
      seconds: secondsSince(ctx, start),
      items: coverageOf(solution.weights).reduce((a, b) => a + b, 0),
      ...sizes,
      weights: solution.weights.nnz,
      weightsMb: (solution.weights.nnz * SLOT_BYTES) / 2 ** 20,
      regularisedColumns: solution.regularisedColumns,
      gramSeconds: solution.gramSeconds,
      solveSeconds: solution.solveSeconds,
    };
  }

  /**
   * Scores history · B. Recall returns items with a positive score (some evidence); with candidates every one is
   * scored, items no history item reaches at 0.
   */
  recommend(q: RecommendQuery): Scored[] {
    const st = this.trained();
    const scores = this.scores(historyRow(st.userItems, q.user));
    return topK(scores, q.k, { candidates: q.candidates, exclude: q.exclude, above: q.candidates ? undefined : 0 });
  }

  /** A block of trained users scored as history · B, sparse × sparse (for full-ranking evaluation). */
  blockScorer(): BlockScorer {
    const { userItems, weights } = this.trained();
    return csrItemItemScorer({ userItems, weights, binary: this.params.binary });
  }

  /** Items that `item` pushes up most (largest positive B[item][j]). */
  similarItems(item: number, k: number): Scored[] {
    const { weights } = this.trained();
    if (!Number.isInteger(item) || item < 0 || item >= weights.rows) return [];
    const targets = weights.rowIndices(item);
    const row = weights.rowData(item);
    return topK(row, k, { above: 0 }).map((s) => ({ index: targets[s.index], score: s.score }));
  }

  /** Each history item's term x_h·B[h][item] of the score, largest first (zero terms left out). */
  explain(user: number | SparseRow, item: number): Contribution[] {
    const st = this.trained();
    const row = historyRow(st.userItems, user);
    const out: Contribution[] = [];
    for (let p = 0; p < row.indices.length; p++) {
      const weight = this.strength(row.values[p]) * weightAt(st.weights, row.indices[p], item);
      if (weight !== 0) out.push({ item: row.indices[p], weight });
    }
    return out.sort((a, b) => b.weight - a.weight || a.item - b.item);
  }

  trainingRow(user: number): SparseRow {
    return historyRow(this.trained().userItems, user);
  }

  /** The items some history item reaches (a column of B with a weight). */
  coveredItems(): Uint8Array {
    return coverageOf(this.trained().weights);
  }

  save(): ModelArtifact {
    const st = this.trained();
    return {
      name: this.name,
      params: { ...this.params },
      meta: { items: st.weights.rows, users: st.userItems.rows },
      arrays: { ...csrArrays('weights', st.weights), ...csrArrays('user', st.userItems) },
    };
  }

  private scores(row: SparseRow): Float32Array {
    const { weights } = this.trained();
    const acc = new Float64Array(weights.cols);
    for (let p = 0; p < row.indices.length; p++) {
      const x = this.strength(row.values[p]);
      const item = row.indices[p];
      for (let q = weights.indptr[item]; q < weights.indptr[item + 1]; q++) acc[weights.indices[q]] += x * weights.data[q];
    }
    return Float32Array.from(acc);
  }

  private strength(value: number): number {
    return this.params.binary ? 1 : value;
  }

  private trained(): SparseEaseState {
    if (!this.state) throw new EngineError('NOT_TRAINED', 'sparse-ease model is not trained yet');
    return this.state;
  }
}

/** B[source][target] from a matrix whose rows are sorted by column, or 0. */
function weightAt(weights: CsrMatrix, source: number, target: number): number {
  if (source < 0 || source >= weights.rows) return 0;
  let lo = weights.indptr[source];
  let hi = weights.indptr[source + 1] - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = weights.indices[mid];
    if (c === target) return weights.data[mid];
    if (c < target) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0;
}

/** 1 for each item some history item can reach (a column of B with a weight): what the model can recommend. */
function coverageOf(weights: CsrMatrix): Uint8Array {
  const seen = new Uint8Array(weights.cols);
  for (let p = 0; p < weights.nnz; p++) seen[weights.indices[p]] = 1;
  return seen;
}

const DEFAULTS: SparseEaseParams = { lambda: 500, neighbors: 64, gramNeighbors: 256, binary: true, memoryBudgetMb: 1024 };

/** The catalogue at which the default support is DEFAULTS.neighbors; the solve's work items·neighbors³ is held there. */
const REFERENCE_ITEMS = 100_000;
const MIN_NEIGHBORS = 16;
const MAX_NEIGHBORS = 256;
/** Gram entries kept per row for each support item: 4 left accuracy where 30 did on ml-latest-small (docs/models.md). */
const GRAM_PER_NEIGHBOR = 4;

/**
 * The default support for a catalogue of `items` items with events: 64 at 100,000 items, and in proportion to
 * ∛(100,000 / items) elsewhere, so the columns' Cholesky work (items · neighbors³ / 6) stays that of the 100k case —
 * smaller catalogues get larger, more exact supports (a support of every other item is dense EASE) — within 16..256.
 *
 * @example sparseEaseDefaultNeighbors(9_000) // 143
 */
export function sparseEaseDefaultNeighbors(items: number): number {
  const scaled = Math.round(DEFAULTS.neighbors * Math.cbrt(REFERENCE_ITEMS / Math.max(1, items)));
  return Math.min(MAX_NEIGHBORS, Math.max(MIN_NEIGHBORS, scaled));
}

export const sparseEaseDefinition: ModelDefinition<SparseEaseParams> = {
  name: 'sparse-ease',
  description: 'Sparse EASE: each item\'s EASE column solved over its largest co-occurrences; linear memory, for 10k+ items',
  defaults: DEFAULTS,
  searchSpace: {
    lambda: { type: 'float', min: 10, max: 10_000, log: true },
    neighbors: { type: 'int', min: 16, max: 256, log: true },
  },
  parseParams: (input) => parseParamsWith<SparseEaseParams>('sparse-ease', input, {
    lambda: { type: 'float', min: 1e-3, max: 1e7 },
    neighbors: { type: 'int', min: 1, max: 2_000 },
    gramNeighbors: { type: 'int', min: 1, max: 10_000 },
    binary: { type: 'boolean' },
    memoryBudgetMb: { type: 'float', min: 1, max: 1_048_576 },
  }, DEFAULTS),
  // the same data-scaled λ as dense EASE (the ridge competes with the same Gram diagonal); the support by catalogue size
  scaleDefaults: (shape, explicit) => {
    const neighbors = explicit.neighbors ?? sparseEaseDefaultNeighbors(shape.items);
    return { lambda: easeDefaultLambda(shape, explicit.binary ?? DEFAULTS.binary), neighbors, gramNeighbors: GRAM_PER_NEIGHBOR * neighbors };
  },
  create: (params) => new SparseEaseModel(params),
  restore: (artifact) => {
    const params = sparseEaseDefinition.parseParams(artifact.params);
    const nItems = metaCount(artifact, 'items');
    const weights = csrFromArtifact(artifact, 'weights', nItems);
    if (weights.rows !== nItems) throw new EngineError('INVALID_INPUT', 'sparse-ease artifact has a weights matrix of the wrong size');
    if (weights.indices.some((j) => j < 0 || j >= nItems)) throw new EngineError('INVALID_INPUT', 'sparse-ease artifact has item indexes out of range');
    return new SparseEaseModel(params, { weights, userItems: csrFromArtifact(artifact, 'user', nItems) });
  },
};
