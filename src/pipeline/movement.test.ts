import { describe, expect, it } from 'vitest';
import type { Candidate } from './candidates.js';
import { movementOf, movementsOf, type MovementLog } from './movement.js';

const list = (ids: string): Candidate[] => [...ids].map((id, i) => ({ itemId: id, via: 'cf', score: 10 - i, scores: {} }));

// fused a b c d e; stage one swaps c above a; stage two removes b; stage three keeps the order (same array back)
const fused = list('abcde');
const one = [fused[2], fused[0], fused[1], fused[3], fused[4]];
const two = [one[0], one[1], one[3], one[4]];
const log: MovementLog = { fused, reranks: [{ stage: 'one', out: one }, { stage: 'two', out: two }, { stage: 'three', out: two }] };

describe('movement log', () => {
  it('gives an item its fused place and score and each stage that moved it (1-based)', () => {
    expect(movementOf(log, 'c')).toEqual({ itemId: 'c', fused: { position: 3, score: 8 }, moves: [{ stage: 'one', from: 3, to: 1 }], final: 1 });
    // d was pushed by nobody's intent but its place changed when b left: stage two moved it from 4 to 3
    expect(movementOf(log, 'd')).toEqual({ itemId: 'd', fused: { position: 4, score: 7 }, moves: [{ stage: 'two', from: 4, to: 3 }], final: 3 });
  });

  it('says which stage removed an item, and knows nothing of an item never fused', () => {
    expect(movementOf(log, 'b')).toEqual({ itemId: 'b', fused: { position: 2, score: 9 }, moves: [{ stage: 'one', from: 2, to: 3 }, { stage: 'two', from: 3, removed: true }] });
    expect(movementOf(log, 'z')).toEqual({ itemId: 'z', moves: [] });
  });

  it('lists the shown items and then those a stage removed', () => {
    expect(movementsOf(log, ['c', 'a']).map((m) => m.itemId)).toEqual(['c', 'a', 'b']);
  });
});
