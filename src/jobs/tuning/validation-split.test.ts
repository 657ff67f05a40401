import { describe, expect, it } from 'vitest';
import { InteractionsBuilder } from '../../models/interactions-builder.js';
import { validationSplit } from './validation-split.js';

function data() {
  const b = new InteractionsBuilder();
  // user u has u + 1 items, with times, so sizes 1..20 are all covered
  for (let u = 0; u < 20; u++) for (let i = 0; i <= u; i++) b.add(`u${u}`, `i${(u * 7 + i) % 30}`, 1 + (i % 2), Date.UTC(2024, 0, 1) + i * 1000);
  return b.build();
}

describe('validationSplit', () => {
  it('holds out ⌊10%⌋ of each user (one from two items on), keeps the rest with values and times, and is seeded', () => {
    const d = data();
    const split = validationSplit(d, { fraction: 0.1, seed: 7, maxUsers: 100 });
    for (let u = 0; u < 20; u++) {
      const n = u + 1;
      const held = split.valid.rowIndices(u);
      expect(held.length).toBe(n === 1 ? 0 : Math.max(1, Math.floor(0.1 * n)));
      const kept = split.train.matrix.rowIndices(u);
      expect([...kept, ...held].sort((a, b) => a - b)).toEqual(Array.from(d.matrix.rowIndices(u)));
      expect(kept.some((i) => held.includes(i))).toBe(false);
      expect(split.train.sequences?.[u].some((i) => held.includes(i))).toBe(false);
    }
    expect(split.train.times?.length).toBe(split.train.matrix.nnz);
    expect(Array.from(split.users)).toEqual(Array.from({ length: 19 }, (_, k) => k + 1));
    expect(validationSplit(d, { fraction: 0.1, seed: 7, maxUsers: 100 }).valid.indices).toEqual(split.valid.indices);
  });

  it('scores at most maxUsers users', () => {
    expect(validationSplit(data(), { fraction: 0.1, seed: 1, maxUsers: 5 }).users.length).toBe(5);
  });
});
