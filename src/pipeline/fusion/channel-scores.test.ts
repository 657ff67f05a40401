import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../config/config.js';
import { fixedClock } from '../../core/clock.js';
import { IdIndex } from '../../core/ids.js';
import { silentLogger } from '../../core/logger.js';
import type { SparseRow } from '../../core/sparse.js';
import type { Scored } from '../../core/types.js';
import type { ModelBundle } from '../../models/model-bundle.js';
import type { FitReport, Model, ModelArtifact, RecommendQuery } from '../../models/model.js';
import { MemoryStore } from '../../storage/memory/memory-store.js';
import { fromChannel } from '../candidates.js';
import type { RecommendContext } from '../request-context.js';
import { fusionInputs } from './channel-scores.js';

/** Scores item j by how many history items are j - 1 (a "what comes next" model with a known answer). */
class NextItem implements Model<object> {
  readonly params = {};
  constructor(readonly name: string) {}
  async fit(): Promise<FitReport> {
    return { seconds: 0 };
  }
  recommend(q: RecommendQuery): Scored[] {
    const row = q.user as SparseRow;
    const history = new Set(row.indices);
    return Array.from(q.candidates ?? [], (index) => ({ index, score: history.has(index - 1) ? 1 : 0 })).sort((a, b) => b.score - a.score).slice(0, q.k);
  }
  save(): ModelArtifact {
    return { name: this.name, params: {}, meta: {}, arrays: {} };
  }
}

function context(row: SparseRow, shortWindow: number): RecommendContext {
  const items = IdIndex.from(['i0', 'i1', 'i2', 'i3', 'i4']);
  const bundle: ModelBundle = {
    version: 1, trainedAt: '2026-01-01T00:00:00Z', users: IdIndex.from(['u']), items, trainedItems: 5,
    models: { main: new NextItem('ease'), popular: new NextItem('popular') }, channels: { als: new NextItem('als') },
  };
  return {
    clock: fixedClock(0), logger: silentLogger, trace: [], count: 3, bundle, store: new MemoryStore(),
    config: resolveConfig({ interests: { shortWindow } }), row, cfRow: row, blocked: new Set(), blockedIndexes: { all: new Int32Array(), trained: new Int32Array() }, textMayLeave: false,
  };
}

describe('fusion inputs', () => {
  // History in time order: i0, then i2. Candidates i1 (follows i0) and i3 (follows i2).
  const row = { indices: Int32Array.of(0, 2), values: Float32Array.of(1, 1) };
  const candidates = fromChannel('cf', [{ itemId: 'i1', score: 1 }, { itemId: 'i3', score: 1 }]);

  it('scores every candidate with each model-backed channel, recalled or not', () => {
    const inputs = fusionInputs(candidates, ['cf', 'als', 'item-to-item'], context(row, 20));
    expect(Array.from(inputs.scored?.als ?? [])).toEqual([1, 1]);
    expect(inputs.scored?.['item-to-item']).toBeUndefined();
    expect(inputs.historyLength).toBe(2);
  });

  it('reads the short-term interest from the most recent items of the history row only', () => {
    // Window 1: only i2, the latest item, so only i3 scores.
    expect(Array.from(fusionInputs(candidates, ['cf'], context(row, 1)).recent ?? [])).toEqual([0, 1]);
    // A window covering the whole history: the short-term score is the whole-history score.
    expect(Array.from(fusionInputs(candidates, ['cf'], context(row, 20)).recent ?? [])).toEqual([1, 1]);
  });
});
