import { EngineError } from '../core/errors.js';
import type { Clock } from '../core/clock.js';
import type { InteractionMatrix } from '../core/interactions.js';
import type { Logger } from '../core/logger.js';
import type { SparseRow } from '../core/sparse.js';
import type { Scored } from '../core/types.js';

export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array | Uint32Array;

/** Serialisable state of a trained model: JSON-able metadata plus named typed arrays. */
export interface ModelArtifact {
  name: string;
  params: Record<string, unknown>;
  meta: Record<string, unknown>;
  arrays: Record<string, TypedArray>;
}

/** Item side information available to content-aware models at fit time (index-aligned with data.items). */
export interface ItemContent {
  texts?: string[];
  categories?: string[][];
  /** Row-major, one vector per item (dimension = embeddings.length / items). */
  embeddings?: Float32Array;
  dimensions?: number;
}

export interface FitContext {
  logger: Logger;
  clock: Clock;
  signal?: AbortSignal;
  /** Called with work done / total so the CLI can draw a progress bar. */
  onProgress?: (done: number, total: number) => void;
  /** Worker threads the model may use (default: available cores). */
  threads?: number;
  content?: ItemContent;
  /** Random seed for reproducible fits. */
  seed?: number;
  /**
   * Whether the lists this fit feeds leave out the items each user already had (serving: recommend.excludeConsumed
   * with no care.repeatAfterDays; evaluation: its masked training items). Undefined when unknown. A model may train
   * for it (the transformer's maskSeen 'auto').
   */
  excludesConsumed?: boolean;
}

export interface FitReport {
  seconds: number;
  [key: string]: unknown;
}

export interface RecommendQuery {
  /** A trained user index, or a history (new user / fresh events) that models fold in without retraining. */
  user: number | SparseRow;
  k: number;
  /** Rank only these items (re-ranking mode). */
  candidates?: Int32Array;
  /** Never return these items (e.g. already consumed). */
  exclude?: Int32Array;
}

/** One contract for every algorithm: recommend() recalls over all items, or ranks the given candidates. */
export interface Model<P extends object = Record<string, unknown>> {
  readonly name: string;
  readonly params: Readonly<P>;
  fit(data: InteractionMatrix, ctx: FitContext): Promise<FitReport>;
  recommend(q: RecommendQuery): Scored[];
  save(): ModelArtifact;
}

/** Optional capabilities, checked with the type guards below; never stubs that throw. */
export interface SimilarItems { similarItems(item: number, k: number): Scored[] }
export interface FoldIn { userVector(history: SparseRow): Float32Array }
/** How much one history item contributed to a recommended item's score (the engine turns these into reasons). */
export interface Contribution { item: number; weight: number }
/** Which history items made the model recommend `item`, largest contribution first. */
export interface Explainer { explain(user: number | SparseRow, item: number): Contribution[] }

/** The item side of a factor model: score(user, i) = x · factors[i] (+ bias[i]), `stride` floats per row. */
export interface ItemFactorTable {
  factors: Float32Array;
  stride: number;
  items: number;
  bias?: Float32Array;
}
/** Top-k by a factor model's score over every item, never an excluded one (an approximate index, in serving). */
export interface ItemTopK {
  readonly items: number;
  topK(x: ArrayLike<number>, k: number, exclude?: Int32Array): Scored[];
}
/**
 * A factor model whose recall over all items can go through an index built over its item factors (serving at large
 * catalogues, jobs/serving-index.ts). Ranking given candidates stays exact, and so does a model nobody attached an
 * index to (training, evaluation).
 */
export interface ApproximateServing {
  itemFactorTable(): ItemFactorTable;
  /** Answers recommend() without candidates through `index` from now on; undefined goes back to exact scoring. */
  serveThrough(index: ItemTopK | undefined): void;
}

/** One trained user to forget: their index in the model and their training row as the model was fitted on it. */
export interface ForgetRequest {
  user: number;
  /** The user's training row (item indexes and weights), as the bundle's models hold it. */
  row: SparseRow;
  /** Parallel to row: the latest time (ms) of each cell, when known (time-decayed models need it). */
  times?: Float64Array;
}

/**
 * What forgetting a user gave: a new model equal to fitting on the data without that user (the same params; float
 * rounding aside), or why this trained instance cannot do it exactly (DP noise, an artifact stored without the
 * statistics, a data-dependent setting), in which case the caller retrains.
 */
export type ForgetOutcome = { model: Model<object> } | { retrain: string };

/**
 * Exact removal of one user's contribution (machine unlearning without retraining). The user keeps their index, with
 * an empty row, so every other user's index stays valid. Never mutates this model.
 */
export interface Unlearn { forgetUser(req: ForgetRequest): Promise<ForgetOutcome> }
/**
 * A copy without one trained user's own stored rows (their training row, their factor vector), item-side state
 * unchanged: for models without exact removal, so the version kept until a retraining holds no per-user record of an
 * erased user, though its item side still carries their influence. The user keeps their index, with empty rows.
 */
export interface UserRowsRemoval { withoutUserRows(user: number): Model<object> }
/**
 * Which trained items the model can score at all: 1 for an item it can recommend, 0 for one it always scores 0
 * (dense EASE keeps at most maxItems items; items without events, or without co-occurrences, have no weights). The
 * pipeline recalls the others through another channel (recall/cold-items.ts), so no item is silently left out.
 */
export interface ItemCoverage { coveredItems(): Uint8Array }
/** The training rows a model keeps (trained users are served by index from them). */
export interface TrainingRows { trainingRow(user: number): SparseRow }

/**
 * Scores many trained users against every item at once (full-ranking evaluation by blocked matrix products). Row r
 * of a block holds the scores recommend({ user: users[r] }) ranks, so a row's top-k above `above`, without the user's
 * excluded items, is recommend()'s list (for factor models up to float rounding: near-ties may swap).
 * One scorer per thread: it may keep scratch memory.
 */
export interface BlockScorer {
  /** Columns of a block: the model's item count. */
  readonly items: number;
  /** Recall mode keeps only scores strictly above this (recommend()'s evidence floor); -Infinity keeps all finite. */
  readonly above: number;
  /** out[r · items + j] := the score of trained user users[r] for item j (out holds at least users.length · items). */
  scoreBlock(users: Int32Array, out: Float32Array): void;
}
/**
 * A model that can score user blocks. `blockScorer()` is undefined when this trained instance's recall lists are not
 * the top-k of one score per item (e.g. private item-kNN fills short lists from released counts): rank per user.
 */
export interface BlockScoring { blockScorer(): BlockScorer | undefined }

export function hasUnlearn(m: Model<object>): m is Model<object> & Unlearn {
  return typeof (m as Partial<Unlearn>).forgetUser === 'function';
}
export function hasUserRowsRemoval(m: Model<object>): m is Model<object> & UserRowsRemoval {
  return typeof (m as Partial<UserRowsRemoval>).withoutUserRows === 'function';
}
export function hasItemCoverage(m: Model<object>): m is Model<object> & ItemCoverage {
  return typeof (m as Partial<ItemCoverage>).coveredItems === 'function';
}
export function hasTrainingRows(m: Model<object>): m is Model<object> & TrainingRows {
  return typeof (m as Partial<TrainingRows>).trainingRow === 'function';
}
export function hasBlockScoring(m: Model<object>): m is Model<object> & BlockScoring {
  return typeof (m as Partial<BlockScoring>).blockScorer === 'function';
}
export function hasSimilarItems(m: Model<object>): m is Model<object> & SimilarItems {
  return typeof (m as Partial<SimilarItems>).similarItems === 'function';
}
export function hasFoldIn(m: Model<object>): m is Model<object> & FoldIn {
  return typeof (m as Partial<FoldIn>).userVector === 'function';
}
/**
 * Rejects an index built over another item count (a different training's factors).
 *
 * @example checkIndexSize(index, table.items)
 */
export function checkIndexSize(index: ItemTopK | undefined, items: number): void {
  if (index && index.items !== items) {
    throw new EngineError('INVALID_INPUT', `serving index covers ${index.items} items, the model ${items}`);
  }
}

export function hasApproximateServing(m: Model<object>): m is Model<object> & ApproximateServing {
  return typeof (m as Partial<ApproximateServing>).serveThrough === 'function';
}
export function hasExplainer(m: Model<object>): m is Model<object> & Explainer {
  return typeof (m as Partial<Explainer>).explain === 'function';
}
