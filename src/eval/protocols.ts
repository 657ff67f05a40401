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

export interface ProtocolSpec {
  method: SplitMethod;
  filters: FilterOptions;
  split: SplitParams;
}

/**
 * The presets. `recbole` is RecBole's general-recommendation leaderboard protocol (docs/evaluation.md): ratings >= 3
 * as positives, iterative 10-core, per-user random 80/10/10. `recbole-quickstart` is its ml-100k quick start: every
 * rating a positive, no k-core. RecBole keeps duplicate rows, so its presets do too.
 */
const PRESETS: Record<ProtocolName, ProtocolSpec> = {
  recbole: { method: 'ratio', filters: { dedup: false, minRating: 3, kcore: 10 }, split: { ratios: [0.8, 0.1, 0.1] } },
  'recbole-quickstart': { method: 'ratio', filters: { dedup: false }, split: { ratios: [0.8, 0.1, 0.1] } },
  ratio: { method: 'ratio', filters: { dedup: true }, split: { ratios: [0.8, 0.1, 0.1] } },
  loo: { method: 'loo', filters: { dedup: true }, split: {} },
  temporal: { method: 'temporal', filters: { dedup: true }, split: { testFraction: 0.1, validFraction: 0.1 } },
};

/**
 * A preset with explicit overrides laid over it (an override key set to undefined keeps the preset's value).
 *
 * @example resolveProtocol('ratio', { minRating: 4 }, { ratios: [0.7, 0.1, 0.2] })
 */
export function resolveProtocol(name: ProtocolName, filters: FilterOptions = {}, split: SplitParams = {}): ProtocolSpec {
  const preset = PRESETS[name];
  if (!preset) throw new EngineError('INVALID_INPUT', `unknown protocol "${name}"; known: ${PROTOCOLS.join(', ')}`, { path: 'protocol' });
  const defined = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
  return { method: preset.method, filters: { ...preset.filters, ...defined(filters) }, split: { ...preset.split, ...defined(split) } };
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
