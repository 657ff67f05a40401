import { describe, expect, it } from 'vitest';
import type { FitControl } from '../fit-control.js';
import { mulberry32 } from '../linalg/random.js';
import { heldOutLoss, splitHoldout } from './holdout.js';
import { networkForward } from './network.js';
import { initialParameters, type NetworkShape } from './parameters.js';
import { trainNetwork } from './train.js';

const shape: NetworkShape = { items: 30, width: 16, heads: 2, blocks: 1, maxLength: 6, hidden: 16 };
const control: FitControl = { check: () => undefined, step: () => Promise.resolve(), report: () => Promise.resolve(), finish: () => undefined };

describe('transformer: held-out latest items', () => {
  it('holds out the latest item of sampled users with at least three items, and nothing of the others', () => {
    const seqs = [Int32Array.of(1, 2), Int32Array.of(3, 4, 5), Int32Array.of(6, 7, 8, 9, 10, 11, 12, 13), Int32Array.of(14, 15, 16, 17)];
    const all = splitHoldout(seqs, 6, 10, mulberry32(1));
    expect(Array.from(all.training, (s) => Array.from(s))).toEqual([[1, 2], [3, 4], [6, 7, 8, 9, 10, 11, 12], [14, 15, 16]]);
    expect(Array.from(all.holdout?.targets ?? [])).toEqual([5, 13, 17]);
    // the inputs are each user's latest maxLength training items, positioned as inference positions them
    expect(Array.from(all.holdout?.batch.items ?? [])).toEqual([3, 4, 7, 8, 9, 10, 11, 12, 14, 15, 16]);
    expect(Array.from(all.holdout?.batch.positions ?? [])).toEqual([4, 5, 0, 1, 2, 3, 4, 5, 3, 4, 5]);
    expect(Array.from(all.holdout?.batch.seg.length ?? [])).toEqual([2, 6, 3]);

    const two = splitHoldout(seqs, 6, 2, mulberry32(1));
    expect(two.holdout?.targets.length).toBe(2);
    const changed = two.training.filter((s, u) => s.length !== seqs[u].length).length;
    expect(changed).toBe(2);
    expect(splitHoldout([Int32Array.of(1, 2)], 6, 10, mulberry32(1)).holdout).toBeUndefined();
  });

  it.each([false, true])('measures the mean full-softmax cross-entropy of each held-out item given the items before it (seen items left out: %s)', (maskSeen) => {
    const p = initialParameters(shape, mulberry32(3));
    // user 2 has more items than maxLength: its items before the window are seen too; user 1 ends on an item it had
    const seqs = [Int32Array.of(1, 2, 3, 4), Int32Array.of(5, 6, 5), Int32Array.of(8, 9, 10, 11, 12, 13, 14, 15, 16)];
    const { holdout } = splitHoldout(seqs, shape.maxLength, 10, mulberry32(2), maskSeen);
    // by hand: one forward per user over its latest inputs, softmax over every item's tied embedding
    const expected = seqs.map((seq) => {
      const inputs = seq.subarray(Math.max(0, seq.length - 1 - shape.maxLength), seq.length - 1);
      const positions = Int32Array.from(inputs, (_, i) => shape.maxLength - inputs.length + i);
      const { out } = networkForward(p, shape, { items: inputs, positions, seg: { start: Int32Array.of(0), length: Int32Array.of(inputs.length) } });
      const h = out.subarray((inputs.length - 1) * shape.width);
      const target = seq[seq.length - 1];
      const seen = new Set(maskSeen ? seq.subarray(0, seq.length - 1) : []);
      const logits = Array.from({ length: shape.items }, (_, j) => {
        let z = 0;
        for (let c = 0; c < shape.width; c++) z += h[c] * p.itemEmb[j * shape.width + c];
        return z;
      });
      const logZ = Math.log(logits.reduce((sum, z, j) => sum + (seen.has(j) && j !== target ? 0 : Math.exp(z)), 0));
      return logZ - logits[target];
    });
    const mean = expected.reduce((a, b) => a + b, 0) / expected.length;
    expect(holdout).toBeDefined();
    expect(heldOutLoss(p, shape, holdout!)).toBeCloseTo(mean, 4);
  });

  it('stops once the held-out loss has not improved for `patience` epochs and keeps the best epoch\'s weights', async () => {
    // random histories with no pattern: a large learning rate memorises them and the held-out loss soon rises
    const rand = mulberry32(11);
    const seqs = Array.from({ length: 40 }, () => Int32Array.from({ length: 8 }, () => Math.floor(rand() * shape.items)));
    const p = initialParameters(shape, mulberry32(4));
    const report = await trainNetwork(p, shape, seqs, {
      epochs: 200, batchSize: 8, learningRate: 0.05, weightDecay: 0, dropout: 0, negatives: 0, targetWindow: 1, targetDecay: 1, seed: 5, threads: 1, patience: 3,
    }, control);
    expect(report.losses.length).toBeLessThan(200);
    expect(report.heldOutLosses.length).toBe(report.losses.length);
    const best = Math.min(...report.heldOutLosses);
    expect(report.heldOutLosses[report.bestEpoch - 1]).toBe(best);
    // it ran exactly `patience` epochs past the best, and the weights it returns score the best held-out loss
    expect(report.losses.length).toBe(report.bestEpoch + 3);
    const { holdout } = splitHoldout(seqs, shape.maxLength, 2_000, mulberry32(5 ^ 0x401d));
    expect(heldOutLoss(p, shape, holdout!)).toBeCloseTo(best, 5);
  });

  it('with patience 0 trains every epoch on every item and measures nothing', async () => {
    const rand = mulberry32(12);
    const seqs = Array.from({ length: 10 }, () => Int32Array.from({ length: 6 }, () => Math.floor(rand() * shape.items)));
    const report = await trainNetwork(initialParameters(shape, mulberry32(4)), shape, seqs, {
      epochs: 4, batchSize: 8, learningRate: 0.01, weightDecay: 0, dropout: 0, negatives: 0, targetWindow: 1, targetDecay: 1, seed: 5, threads: 1,
    }, control);
    expect(report.losses.length).toBe(4);
    expect(report.heldOutLosses).toEqual([]);
    expect(report.bestEpoch).toBe(4);
    expect(report.tokensPerEpoch).toBe(10 * 5);
  });
});
