import { describe, expect, it } from 'vitest';
import { RatingsTableBuilder, type RatingsTable } from './data/table.js';
import { leaveLastOutSplit, ratioSplit, ratioSplitSizes, rowsByUser, temporalSplit, type Split } from './splits.js';

/** `users` users; user u has 5 + 3u rows on distinct items, at times u·1000 + j. */
function syntheticTable(users: number): RatingsTable {
  const b = new RatingsTableBuilder();
  for (let u = 0; u < users; u++) for (let j = 0; j < 5 + 3 * u; j++) b.push(`u${u}`, `i${(u * 7 + j) % 60}`, 1 + (j % 5), u * 1000 + j);
  return b.build('synthetic');
}

function expectPartition(t: RatingsTable, s: Split): void {
  const all = [...s.train, ...s.valid, ...s.test].sort((a, b) => a - b);
  expect(all).toEqual(Array.from({ length: t.user.length }, (_, r) => r));
}

describe('ratioSplitSizes reproduces RecBole _calcu_split_ids', () => {
  it('valid and test each get ⌊0.1·n⌋, train the rest', () => {
    expect(ratioSplitSizes(25, [0.8, 0.1, 0.1])).toEqual([21, 2, 2]);
    expect(ratioSplitSizes(10, [0.8, 0.1, 0.1])).toEqual([8, 1, 1]);
    expect(ratioSplitSizes(19, [0.8, 0.1, 0.1])).toEqual([17, 1, 1]);
    expect(ratioSplitSizes(20, [0.8, 0.1, 0.1])).toEqual([16, 2, 2]);
  });

  it('small users borrow one row per part whose share is below one', () => {
    expect(ratioSplitSizes(9, [0.8, 0.1, 0.1])).toEqual([7, 1, 1]);
    expect(ratioSplitSizes(2, [0.8, 0.1, 0.1])).toEqual([1, 0, 1]);
    expect(ratioSplitSizes(1, [0.8, 0.1, 0.1])).toEqual([1, 0, 0]);
  });

  it('normalises ratios', () => {
    expect(ratioSplitSizes(30, [8, 1, 1])).toEqual([24, 3, 3]);
  });
});

describe('ratioSplit', () => {
  const t = syntheticTable(12);

  it('partitions rows with per-user sizes and no user-item leakage', () => {
    const s = ratioSplit(t, [0.8, 0.1, 0.1], 42);
    expectPartition(t, s);
    rowsByUser(t).forEach((rows, u) => {
      const [nTrain, nValid, nTest] = ratioSplitSizes(rows.length, [0.8, 0.1, 0.1]);
      const count = (part: Int32Array): number => Array.from(part).filter((r) => t.user[r] === u).length;
      expect([count(s.train), count(s.valid), count(s.test)]).toEqual([nTrain, nValid, nTest]);
    });
    const trainPairs = new Set(Array.from(s.train, (r) => `${t.user[r]}:${t.item[r]}`));
    for (const r of [...s.valid, ...s.test]) expect(trainPairs.has(`${t.user[r]}:${t.item[r]}`)).toBe(false);
  });

  it('is deterministic by seed and changes with it', () => {
    const a = ratioSplit(t, [0.8, 0.1, 0.1], 7);
    expect(ratioSplit(t, [0.8, 0.1, 0.1], 7)).toEqual(a);
    expect(Array.from(ratioSplit(t, [0.8, 0.1, 0.1], 8).test)).not.toEqual(Array.from(a.test));
  });
});

describe('leaveLastOutSplit', () => {
  it('holds out each user\'s last row for test and the one before for valid', () => {
    const b = new RatingsTableBuilder();
    b.push('a', 'x', 1, 30);
    b.push('a', 'y', 1, 10);
    b.push('a', 'z', 1, 20);
    b.push('b', 'x', 1, 5);
    b.push('b', 'y', 1, 6);
    b.push('c', 'x', 1, 1);
    const t = b.build('loo');
    const s = leaveLastOutSplit(t);
    expectPartition(t, s);
    const label = (rows: Int32Array): string[] => Array.from(rows, (r) => `${t.users.idAt(t.user[r])}:${t.items.idAt(t.item[r])}`).sort();
    expect(label(s.test)).toEqual(['a:x', 'b:y']);
    expect(label(s.valid)).toEqual(['a:z']);
    expect(label(s.train)).toEqual(['a:y', 'b:x', 'c:x']);
  });
});

describe('temporalSplit', () => {
  const t = syntheticTable(10);

  it('cuts by global time: every train row is earlier than every valid row, valid earlier than test', () => {
    const s = temporalSplit(t, { testFraction: 0.2, validFraction: 0.1 });
    expectPartition(t, s);
    const max = (rows: Int32Array): number => Math.max(...Array.from(rows, (r) => t.time[r]));
    const min = (rows: Int32Array): number => Math.min(...Array.from(rows, (r) => t.time[r]));
    expect(max(s.train)).toBeLessThan(min(s.valid));
    expect(max(s.valid)).toBeLessThan(min(s.test));
    const n = t.user.length;
    expect(s.test.length).toBe(Math.floor(0.2 * n));
    expect(s.valid.length).toBe(Math.floor(0.1 * n));
    expect(s.testFrom).toBe(min(s.test));
  });

  it('honours explicit cut times; later users are all cold', () => {
    const s = temporalSplit(t, { testFrom: 8000, validFrom: 7000 });
    expect(Array.from(s.test, (r) => t.users.idAt(t.user[r]))).toEqual(expect.arrayContaining(['u8', 'u9']));
    expect(new Set(Array.from(s.valid, (r) => t.users.idAt(t.user[r])))).toEqual(new Set(['u7']));
    expect(s.train.length + s.valid.length + s.test.length).toBe(t.user.length);
  });
});
