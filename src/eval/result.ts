import type { ProtocolName, SplitMethod, TestHistory } from './protocols.js';
import type { SearchMethod } from './search.js';

/** What was split and how; enough to reproduce the run. */
export interface SplitSummary {
  method: SplitMethod;
  seed: number;
  ratios?: [number, number, number];
  testFrom?: number;
  validFrom?: number;
  filters: { dedup: boolean; minRating: number | null; kcore: { user: number; item: number } | null; kcoreRounds: number };
  /** Rows read, rows kept after filters. */
  rowsIn: number;
  rows: number;
  users: number;
  items: number;
  train: number;
  valid: number;
  test: number;
  /** Users scored on test (they have test and train rows). */
  testUsers: number;
  /** Users with test rows but no training rows (temporal cut); scored separately in `coldMetrics`. */
  coldTestUsers: number;
  /** The model scored on test was refitted on train + valid after validation chose its params (not RecBole's protocol). */
  refit: boolean;
  /** What test users' histories held when test was scored (with refit: train + valid, which the model was fitted on). */
  testHistory: TestHistory;
}

export type RankingMode = { mode: 'full' } | { mode: 'sampled'; negatives: number };

export interface SearchTrial {
  params: Record<string, unknown>;
  /** The selection metric on validation. */
  value: number;
  fitSeconds: number;
}

export interface SearchSummary {
  method: SearchMethod;
  metric: string;
  trials: SearchTrial[];
  /** Index of the chosen trial. */
  best: number;
}

export interface ModelResult {
  model: string;
  /** Effective params (defaults filled in by the model's parser). */
  params: Record<string, unknown>;
  /** Fit of the reported model on train only. */
  fitSeconds: number;
  /** Ranking the test users (all K at once). */
  scoreSeconds: number;
  /** Test metrics (train + valid masked): accuracy and beyond-accuracy, keyed like "ndcg@10". */
  metrics: Record<string, number>;
  /** Validation accuracy (train masked); lower than test by construction, compare test with test. */
  validMetrics: Record<string, number>;
  /** Test accuracy of cold users (temporal split only). */
  coldMetrics?: Record<string, number>;
  search?: SearchSummary;
  /**
   * The `pipeline` rows only: per recall channel (score key: cf, popular, als, ...; 'any' = the union), the share of
   * the test items that channel recalled for its user.
   */
  channelRecall?: Record<string, number>;
  /** Cumulative share of this model's top-K picks by item popularity bins (see EvalResult.longTail). */
  longTail: number[];
}

/** One point of a care trade-off curve: the pipeline's test metrics with one care stage at this strength. */
export interface CareCurvePoint {
  strength: number;
  metrics: Record<string, number>;
}

/** A care stage's strength swept alone over the pipeline (the other care stages off); strength 0 is care off. */
export interface CareCurve {
  /** The re-rank stage: diversity, long-tail, calibration. */
  stage: string;
  /** The config key its strength is (care.diversity, ...). */
  key: string;
  points: CareCurvePoint[];
}

export interface EvalResult {
  dataset: string;
  protocol: ProtocolName;
  split: SplitSummary;
  ranking: RankingMode;
  ks: number[];
  /** The K used for the long-tail curves and the report's charts. */
  mainK: number;
  results: ModelResult[];
  /** Training data's own long-tail curve (items by popularity, most popular first, `bins` groups). */
  longTail: { bins: number; train: number[] };
  /** With --care-curves: NDCG against diversity, coverage, novelty, calibration and long-tail share per care stage. */
  careCurves?: CareCurve[];
}
