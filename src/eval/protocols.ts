import { EngineError } from '../core/errors.js';
import type { RatingsTable } from './data/table.js';
import type { FilterOptions } from './filters.js';
import { leaveLastOutSplit, ratioSplit, temporalSplit, type Split } from './splits.js';

export const PROTOCOLS = ['recbole', 'recbole-quickstart', 'ratio', 'loo', 'temporal'] as const;
export type ProtocolName = (typeof PROTOCOLS)[number];
export type SplitMethod = 'ratio' | 'loo' | 'temporal';

/** Split parameters; each protocol reads the ones that apply to its method. */
export interface SplitParams {
  /** Ratio split: train / valid / test shares (default 0.8 / 0.1 / 0.1). */
  ratios?: [number, number, number];
  /** Temporal split: unix seconds where test (and valid) start, or the shares of rows they take. */
  testFrom?: number;
  validFrom?: number;
  testFraction?: number;
  validFraction?: number;
}

/**
 * What a test user's history is when test is scored without `refit`: `train`, the rows the model was fitted on
 * (RecBole's general protocol), or `train+valid`, those rows with the valid rows folded in without retraining, as a
 * deployed model reads events that arrived after its training (SASRec's leave-one-out protocol, which HSTU and the
 * sequential-recommendation literature follow: the valid item is the last input when the test item is predicted).
 */
export const TEST_HISTORIES = ['train', 'train+valid'] as const;
export type TestHistory = (typeof TEST_HISTORIES)[number];

export interface ProtocolSpec {
  method: SplitMethod;
  filters: FilterOptions;
  split: SplitParams;
  testHistory: TestHistory;
}

/**
 * The presets. `recbole` is RecBole's general-recommendation leaderboard protocol (docs/evaluation.md): ratings >= 3
 * as positives, iterative 10-core, per-user random 80/10/10. `recbole-quickstart` is its ml-100k quick start: every
 * rating a positive, no k-core. RecBole keeps duplicate rows, so its presets do too. `loo` is SASRec's leave-one-out:
 * the test item is predicted from the history with the valid item in it.
 */
const PRESETS: Record<ProtocolName, ProtocolSpec> = {
  recbole: { method: 'ratio', filters: { dedup: false, minRating: 3, kcore: 10 }, split: { ratios: [0.8, 0.1, 0.1] }, testHistory: 'train' },
  'recbole-quickstart': { method: 'ratio', filters: { dedup: false }, split: { ratios: [0.8, 0.1, 0.1] }, testHistory: 'train' },
  ratio: { method: 'ratio', filters: { dedup: true }, split: { ratios: [0.8, 0.1, 0.1] }, testHistory: 'train' },
  loo: { method: 'loo', filters: { dedup: true }, split: {}, testHistory: 'train+valid' },
  temporal: { method: 'temporal', filters: { dedup: true }, split: { testFraction: 0.1, validFraction: 0.1 }, testHistory: 'train' },
};

/**
 * A preset with explicit overrides laid over it (an override key set to undefined keeps the preset's value).
 *
 * @example resolveProtocol('ratio', { minRating: 4 }, { ratios: [0.7, 0.1, 0.2] })
 */
export function resolveProtocol(name: ProtocolName, filters: FilterOptions = {}, split: SplitParams = {}, testHistory?: TestHistory): ProtocolSpec {
  const preset = PRESETS[name];
  if (!preset) throw new EngineError('INVALID_INPUT', `unknown protocol "${name}"; known: ${PROTOCOLS.join(', ')}`, { path: 'protocol' });
  if (testHistory !== undefined && !TEST_HISTORIES.includes(testHistory)) {
    throw new EngineError('INVALID_INPUT', `test history must be one of ${TEST_HISTORIES.join(', ')}; got "${String(testHistory)}"`, { path: 'testHistory' });
  }
  const defined = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
  return {
    method: preset.method, filters: { ...preset.filters, ...defined(filters) }, split: { ...preset.split, ...defined(split) }, testHistory: testHistory ?? preset.testHistory,
  };
}

/**
 * Splits a (filtered) table the way a protocol says.
 *
 * @example splitTable(table, resolveProtocol('recbole'), 42)
 */
export function splitTable(t: RatingsTable, spec: ProtocolSpec, seed: number): Split {
  switch (spec.method) {
    case 'ratio':
      return ratioSplit(t, spec.split.ratios ?? [0.8, 0.1, 0.1], seed);
    case 'loo':
      return leaveLastOutSplit(t);
    case 'temporal':
      return temporalSplit(t, spec.split);
  }
}
