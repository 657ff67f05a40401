import { EngineError } from '../core/errors.js';
import type { InteractionMatrix } from '../core/interactions.js';
import type { ItemContent } from '../models/model.js';
import { rowCount, type RatingsTable } from './data/table.js';
import { applyFilters, type FilterOptions } from './filters.js';
import { buildInteractions, mergeSorted } from './matrix.js';
import type { CatalogueInfo } from './metrics/evaluate.js';
import { resolveProtocol, splitTable, type ProtocolName, type SplitParams, type TestHistory } from './protocols.js';
import { sampleCandidates } from './ranking.js';
import { deriveSeed } from './random.js';
import type { RankingMode, SplitSummary } from './result.js';

export interface SetupOptions {
  data: RatingsTable;
  protocol: ProtocolName;
  filters?: FilterOptions;
  split?: SplitParams;
  seed: number;
  /** Negatives per relevant item for sampled ranking; undefined = full ranking. */
  sampled?: number;
  /** Item vectors keyed by raw item id, for embedding diversity and content-aware models. */
  itemEmbeddings?: Map<string, Float32Array>;
  /** Item texts keyed by raw item id, for content-aware models. */
  itemTexts?: Map<string, string>;
  /**
   * Fit the configuration reported on test on train + valid (after validation has chosen it), as a deployed model
   * would be trained on everything known. RecBole does not do this, so the default (false) keeps its protocol.
   */
  refit?: boolean;
  /** Override the protocol's test history (`loo`: train+valid, the others: train); see TestHistory. */
  testHistory?: TestHistory;
}

/** Everything the runner needs, computed once and shared by every model. */
export interface EvalSetup {
  table: RatingsTable;
  train: InteractionMatrix;
  valid: InteractionMatrix;
  test: InteractionMatrix;
  /** What the model scored on test is fitted on: train, or train + valid with `refit`. */
  testTrain: InteractionMatrix;
  /**
   * Set when test users are scored from histories the tested model was not fitted on: train + valid, the valid rows
   * folded in without retraining (TestHistory `train+valid` without refit). Undefined: test reads testTrain's rows.
   */
  testHistory?: InteractionMatrix;
  /** Users with valid rows and training rows. */
  validUsers: Int32Array;
  /** Users with test rows and rows in testTrain. */
  testUsers: Int32Array;
  /** Users with test rows but no rows in testTrain. */
  coldUsers: Int32Array;
  validMask: (user: number) => Int32Array;
  testMask: (user: number) => Int32Array;
  /** Sampled ranking only: candidate sets parallel to validUsers / testUsers / coldUsers. */
  candidates?: { valid: Int32Array[]; test: Int32Array[]; cold: Int32Array[] };
  catalogue: CatalogueInfo;
  content: ItemContent;
  /** Latest training interaction, ms since epoch (the fit clock's "now"). */
  trainEndMs: number;
  /** Latest interaction of testTrain, ms since epoch. */
  testTrainEndMs: number;
  ranking: RankingMode;
  summary: SplitSummary;
}

function usersWhere(nUsers: number, pred: (u: number) => boolean): Int32Array {
  const out: number[] = [];
  for (let u = 0; u < nUsers; u++) if (pred(u)) out.push(u);
  return Int32Array.from(out);
}

function alignContent(table: RatingsTable, opts: SetupOptions): { content: ItemContent; embeddings?: CatalogueInfo['embeddings'] } {
  const ids = table.items.ids();
  const content: ItemContent = {};
  if (table.itemCategories) content.categories = table.itemCategories.map((c) => [...c]);
  if (opts.itemTexts) content.texts = ids.map((id) => opts.itemTexts?.get(id) ?? '');
  let embeddings: CatalogueInfo['embeddings'];
  const first = opts.itemEmbeddings?.values().next().value;
  if (opts.itemEmbeddings && first) {
    const dim = first.length;
    const vectors = new Float32Array(ids.length * dim);
    ids.forEach((id, i) => {
      const v = opts.itemEmbeddings?.get(id);
      if (v) vectors.set(v.subarray(0, dim), i * dim);
    });
    content.embeddings = vectors;
    content.dimensions = dim;
    embeddings = { vectors, dimensions: dim };
  }
  return { content, embeddings };
}

/**
 * Filters, splits and indexes the data for a protocol: train/valid/test matrices over one shared index space,
 * the users to score, their masks, training popularity, and (sampled mode) fixed candidate sets.
 *
 * @example const setup = prepareEvaluation({ data: table, protocol: 'recbole', seed: 42 })
 */
export function prepareEvaluation(opts: SetupOptions): EvalSetup {
  const spec = resolveProtocol(opts.protocol, opts.filters, opts.split, opts.testHistory);
  const { table, report } = applyFilters(opts.data, spec.filters);
  if (rowCount(table) === 0) throw new EngineError('INVALID_INPUT', 'no interactions left after filtering', { path: 'filters' });
  const split = splitTable(table, spec, opts.seed);
  const train = buildInteractions(table, split.train);
  const valid = buildInteractions(table, split.valid);
  const test = buildInteractions(table, split.test);
  const withValid = opts.refit || spec.testHistory === 'train+valid' ? buildInteractions(table, mergeSorted(split.train, split.valid)) : undefined;
  const testTrain = opts.refit && withValid ? withValid : train;
  const testHistory = opts.refit ? undefined : withValid;
  const nUsers = table.users.size;
  const nItems = table.items.size;
  const hasTrain = (u: number): boolean => train.matrix.rowLength(u) > 0;
  // a user known only by their valid rows has no training history: cold, whether or not test reads those rows
  const hasTestHistory = (u: number): boolean => testTrain.matrix.rowLength(u) > 0;
  const validUsers = usersWhere(nUsers, (u) => valid.matrix.rowLength(u) > 0 && hasTrain(u));
  const testUsers = usersWhere(nUsers, (u) => test.matrix.rowLength(u) > 0 && hasTestHistory(u));
  const coldUsers = usersWhere(nUsers, (u) => test.matrix.rowLength(u) > 0 && !hasTestHistory(u));
  const validMask = (u: number): Int32Array => train.matrix.rowIndices(u);
  const testMask = (u: number): Int32Array => mergeSorted(train.matrix.rowIndices(u), valid.matrix.rowIndices(u));

  const itemUsers = new Int32Array(nItems);
  for (const i of train.matrix.indices) itemUsers[i]++;
  const { content, embeddings } = alignContent(table, opts);
  const catalogue: CatalogueInfo = {
    nItems,
    itemUsers,
    nTrainUsers: usersWhere(nUsers, hasTrain).length,
    history: train.matrix,
    categories: table.itemCategories,
    embeddings,
  };

  let candidates: EvalSetup['candidates'];
  if (opts.sampled !== undefined) {
    const seen = (u: number): Int32Array => mergeSorted(testMask(u), test.matrix.rowIndices(u));
    const draw = (users: Int32Array, truth: InteractionMatrix, label: string): Int32Array[] =>
      sampleCandidates(users, truth.matrix, seen, nItems, opts.sampled ?? 0, deriveSeed(opts.seed, label));
    candidates = { valid: draw(validUsers, valid, 'valid'), test: draw(testUsers, test, 'test'), cold: draw(coldUsers, test, 'cold') };
  }

  const k = spec.filters.kcore;
  const summary: SplitSummary = {
    method: spec.method,
    seed: opts.seed,
    ...(spec.method === 'ratio' ? { ratios: spec.split.ratios ?? [0.8, 0.1, 0.1] } : {}),
    ...(split.testFrom !== undefined ? { testFrom: split.testFrom, validFrom: split.validFrom } : {}),
    filters: {
      dedup: spec.filters.dedup !== false,
      minRating: spec.filters.minRating ?? null,
      kcore: k === undefined || k === 0 ? null : typeof k === 'number' ? { user: k, item: k } : k,
      kcoreRounds: report.kcoreRounds,
    },
    rowsIn: report.rowsIn,
    rows: report.rowsOut,
    users: nUsers,
    items: nItems,
    train: split.train.length,
    valid: split.valid.length,
    test: split.test.length,
    testUsers: testUsers.length,
    coldTestUsers: coldUsers.length,
    refit: opts.refit === true,
    testHistory: opts.refit ? 'train+valid' : spec.testHistory,
  };
  const ranking: RankingMode = opts.sampled === undefined ? { mode: 'full' } : { mode: 'sampled', negatives: opts.sampled };
  const trainEndMs = latestTime(train);
  const testTrainEndMs = latestTime(testTrain);
  return { table, train, valid, test, testTrain, ...(testHistory ? { testHistory } : {}), validUsers, testUsers, coldUsers, validMask, testMask, candidates, catalogue, content, trainEndMs, testTrainEndMs, ranking, summary };
}

function latestTime(data: InteractionMatrix): number {
  let latest = 0;
  for (const t of data.times ?? []) if (t > latest) latest = t;
  return latest;
}
