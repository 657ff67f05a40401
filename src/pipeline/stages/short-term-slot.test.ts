import { describe, expect, it } from 'vitest';
import { IdIndex } from '../../core/ids.js';
import type { SparseRow } from '../../core/sparse.js';
import { fromChannel } from '../candidates.js';
import type { RecommendContext } from '../request-context.js';
import { shortTermSlotStage } from './short-term-slot.js';

const items = IdIndex.from(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
const row = (n: number): SparseRow => ({ indices: Int32Array.from({ length: n }, (_, i) => i), values: new Float32Array(n).fill(1) });

/**
 * A request for 4 items whose main model answers the short-term row with `picks` (best first), over a history of
 * `history` items of which the newest `recent` form the short-term row.
 */
function ctx(picks: string[], opts: { history?: number; recent?: number; slot?: boolean } = {}): RecommendContext {
  const main = { name: 'itemknn', recommend: () => picks.map((id, i) => ({ index: items.indexOf(id) ?? -1, score: 10 - i })) };
  return {
    count: 4, query: undefined,
    config: { interests: { shortTermSlot: opts.slot ?? true } },
    bundle: { items, models: { main } },
    cfRow: row(opts.history ?? 6), recentCfRow: row(opts.recent ?? 2),
    blockedIndexes: { all: new Int32Array(), trained: new Int32Array() },
  } as unknown as RecommendContext;
}

const fused = fromChannel('cf', ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((itemId, i) => ({ itemId, score: 8 - i })));
const ids = async (c: RecommendContext) => (await shortTermSlotStage.run(fused, c) as typeof fused).map((x) => x.itemId);

describe('short-term-slot stage', () => {
  it('moves the short-term pick fusion ranks highest into the last shown place', async () => {
    // picks h, f, g: none in the head a b c; f is fused highest of them, so it takes place 4 and d moves down.
    expect(await ids(ctx(['h', 'f', 'g']))).toEqual(['a', 'b', 'c', 'f', 'd', 'e', 'g', 'h']);
  });

  it('skips picks the places above already show, and leaves a pick already in the last place where it is', async () => {
    expect(await ids(ctx(['a', 'd']))).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
    expect(await ids(ctx(['b', 'g']))).toEqual(['a', 'b', 'c', 'g', 'd', 'e', 'f', 'h']);
  });

  it('changes nothing when the picks are not candidates, the history is all recent, or the slot is off', async () => {
    expect(await ids(ctx([]))).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
    expect(await ids(ctx(['h'], { history: 2, recent: 2 }))).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
    expect(shortTermSlotStage.applies?.(ctx(['h'], { slot: false }))).toBe(false);
  });
});
