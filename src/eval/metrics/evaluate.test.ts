import { describe, expect, it } from 'vitest';
import { CsrMatrix } from '../../core/sparse.js';
import { accuracyMetrics, beyondAccuracyMetrics, longTailCurve } from './evaluate.js';

// 3 users x 4 items. Truth: user 0 -> {1}, user 1 -> {2, 3}, user 2 -> {} (not averaged).
const truth = CsrMatrix.fromTriplets(3, 4, [0, 1, 1], [1, 2, 3], [1, 1, 1]);
const users = Int32Array.of(0, 1, 2);
const lists = [Int32Array.of(1, 0), Int32Array.of(0, 3), Int32Array.of(0, 1)];

describe('accuracyMetrics averages over users with relevant items', () => {
  it('hand-computed @1 and @2', () => {
    const m = accuracyMetrics({ users, lists, truth }, [1, 2]);
    // user 0: hit at rank 1; user 1: hit at rank 2 of 2 relevant
    expect(m['hit@1']).toBe(0.5);
    expect(m['precision@1']).toBe(0.5);
    expect(m['recall@2']).toBeCloseTo((1 + 0.5) / 2, 12);
    expect(m['precision@2']).toBeCloseTo((0.5 + 0.5) / 2, 12);
    expect(m['mrr@2']).toBeCloseTo((1 + 0.5) / 2, 12);
    // user 1 NDCG@2 = (1/log2 3) / (1 + 1/log2 3) = 0.386853
    expect(m['ndcg@2']).toBeCloseTo((1 + 0.386853) / 2, 5);
    // user 1 MAP@2 = (1/2) / 2
    expect(m['map@2']).toBeCloseTo((1 + 0.25) / 2, 12);
    expect(Object.keys(m)).toHaveLength(14);
  });
});

describe('beyondAccuracyMetrics', () => {
  it('hand-computed coverage, gini, novelty, arp and ild', () => {
    const itemUsers = Int32Array.of(2, 1, 1, 0);
    const categories = [['x'], ['x', 'y'], ['y'], []];
    const m = beyondAccuracyMetrics({ users, lists, truth }, { nItems: 4, itemUsers, nTrainUsers: 2, categories }, [1]);
    // top-1 picks: 1, 0, 0 -> items {0,1} of 4; exposure [2,1,0,0] sorted [0,0,1,2]: (1·1 + 3·2) / (4·3) = 7/12
    expect(m['coverage@1']).toBe(0.5);
    expect(m['gini@1']).toBeCloseTo(7 / 12, 12);
    // novelty: item 1 -> −log2(1/2) = 1, item 0 -> −log2(2/2) = 0, 0 -> mean 1/3
    expect(m['novelty@1']).toBeCloseTo(1 / 3, 12);
    expect(m['arp@1']).toBeCloseTo((1 + 2 + 2) / 3, 12);
    // ILD needs two items
    expect(m['ild@1']).toBe(0);
    const m2 = beyondAccuracyMetrics({ users, lists, truth }, { nItems: 4, itemUsers, nTrainUsers: 2, categories }, [2]);
    // pairs: (1,0): 1 − 1/2, (0,3): 1, (0,1): 1 − 1/2 -> 2/3
    expect(m2['ild@2']).toBeCloseTo(2 / 3, 12);
  });
});

describe('longTailCurve', () => {
  it('accumulates weight from the most popular items down', () => {
    const itemUsers = Int32Array.of(1, 9, 5, 0);
    // popularity order: 1, 2, 0, 3; weights by item [2, 0, 1, 1] -> in order [0, 1, 2, 1] of 4
    expect(longTailCurve(itemUsers, Float64Array.of(2, 0, 1, 1), 4)).toEqual([0, 0.25, 0.75, 1]);
    expect(longTailCurve(itemUsers, Float64Array.of(2, 0, 1, 1), 2)).toEqual([0.25, 1]);
    expect(longTailCurve(itemUsers, new Float64Array(4), 2)).toEqual([0, 0]);
  });
});
