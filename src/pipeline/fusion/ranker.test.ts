import { describe, expect, it } from 'vitest';
import { fitLogistic, scoreRows } from './ranker.js';

describe('logistic fusion ranker', () => {
  it('learns a positive weight for the feature that predicts the label and a negative one for the feature that contradicts it', () => {
    // Column 0 is 1 for every positive; column 1 is 1 for most negatives; column 2 is noise shared by both classes.
    const rows = [
      [1, 0, 0], [1, 0, 1], [1, 1, 0], [0, 1, 1], [0, 1, 0], [0, 1, 1], [0, 0, 0], [1, 0, 1],
    ];
    const labels = Uint8Array.from([1, 1, 1, 0, 0, 0, 0, 1]);
    const fit = fitLogistic(Float64Array.from(rows.flat()), 3, labels, { l2: 0.01 });
    expect(fit.weights[0]).toBeGreaterThan(0.5);
    expect(fit.weights[1]).toBeLessThan(-0.1);
    const scores = scoreRows(fit, Float64Array.from(rows.flat()));
    const minPositive = Math.min(...rows.flatMap((_, i) => (labels[i] ? [scores[i]] : [])));
    const maxNegative = Math.max(...rows.flatMap((_, i) => (labels[i] ? [] : [scores[i]])));
    expect(minPositive).toBeGreaterThan(maxNegative);
  });

  it('is deterministic and keeps a constant feature at weight 0', () => {
    const x = Float64Array.from([0.1, 5, 0.9, 5, 0.2, 5, 0.8, 5]);
    const labels = Uint8Array.from([0, 1, 0, 1]);
    const a = fitLogistic(x, 2, labels);
    const b = fitLogistic(x, 2, labels);
    expect(a).toEqual(b);
    expect(a.weights[1]).toBe(0);
    expect(a.scale[1]).toBe(1);
  });

  it('shrinks weights as the L2 penalty grows', () => {
    const x = Float64Array.from([0, 1, 0.2, 0.8, 1, 0.1, 0.9, 0.3]);
    const labels = Uint8Array.from([0, 1, 0, 1, 1, 0, 1, 0]);
    const loose = fitLogistic(x, 1, labels, { l2: 1e-4 });
    const tight = fitLogistic(x, 1, labels, { l2: 1 });
    expect(Math.abs(tight.weights[0])).toBeLessThan(Math.abs(loose.weights[0]));
  });
});
