import { describe, expect, it } from 'vitest';
import { RatingsTableBuilder, type RatingsTable } from './data/table.js';
import { applyFilters, dedupInteractions, kCore, keepPositives } from './filters.js';

function table(rows: Array<[string, string, number, number]>): RatingsTable {
  const b = new RatingsTableBuilder();
  for (const [u, i, r, t] of rows) b.push(u, i, r, t);
  return b.build('toy');
}

function pairs(t: RatingsTable): string[] {
  return Array.from(t.user, (u, r) => `${t.users.idAt(u)}:${t.items.idAt(t.item[r])}`).sort();
}

describe('filters', () => {
  it('dedup keeps the latest row per user-item', () => {
    const t = dedupInteractions(table([['a', 'x', 2, 5], ['a', 'x', 5, 9], ['a', 'y', 3, 1], ['b', 'x', 4, 2]]));
    expect(t.user.length).toBe(3);
    const r = Array.from(t.item).findIndex((i, row) => t.items.idAt(i) === 'x' && t.users.idAt(t.user[row]) === 'a');
    expect(t.rating[r]).toBe(5);
    expect(t.time[r]).toBe(9);
  });

  it('keeps ratings at or above the threshold and drops empty users/items', () => {
    const t = keepPositives(table([['a', 'x', 2, 0], ['a', 'y', 3, 0], ['b', 'x', 5, 0], ['c', 'z', 1, 0]]), 3);
    expect(pairs(t)).toEqual(['a:y', 'b:x']);
    expect(t.users.size).toBe(2);
    expect(t.items.size).toBe(2);
  });

  it('iterative k-core repeats until every user and item has k rows', () => {
    // u4 (1 row) goes in pass 1; then i3 has 1 row and goes; then u3 has 1 row and goes.
    const t = table([
      ['u1', 'i1', 1, 0], ['u1', 'i2', 1, 0], ['u2', 'i1', 1, 0], ['u2', 'i2', 1, 0],
      ['u3', 'i1', 1, 0], ['u3', 'i3', 1, 0], ['u4', 'i3', 1, 0],
    ]);
    const res = kCore(t, 2, 2);
    expect(pairs(res.table)).toEqual(['u1:i1', 'u1:i2', 'u2:i1', 'u2:i2']);
    expect(res.rounds).toBe(3);
    expect(kCore(res.table, 2, 2).rounds).toBe(0);
  });

  it('applies dedup, threshold, k-core in order and reports counts', () => {
    const t = table([['a', 'x', 4, 0], ['a', 'x', 1, 3], ['a', 'y', 4, 0], ['b', 'x', 5, 0], ['b', 'y', 3, 0]]);
    // dedup keeps (a,x,1) which the threshold then drops, so a has 1 row and the 2-core removes a, then y
    const { table: out, report } = applyFilters(t, { minRating: 3, kcore: 2 });
    expect(report.rowsIn).toBe(5);
    expect(out.user.length).toBe(0);
    const kept = applyFilters(t, { dedup: false, minRating: 3, kcore: 2 });
    expect(pairs(kept.table)).toEqual(['a:x', 'a:y', 'b:x', 'b:y']);
    // already a 2-core after the threshold: no k-core pass removes anything
    expect(kept.report).toEqual({ rowsIn: 5, rowsOut: 4, users: 2, items: 2, kcoreRounds: 0 });
  });

  it('carries item categories through renumbering', () => {
    const b = new RatingsTableBuilder();
    b.push('a', 'x', 1, 0);
    b.push('a', 'y', 5, 0);
    const t = keepPositives(b.build('toy', { categories: new Map([['x', ['X']], ['y', ['Y']]]) }), 3);
    expect(t.items.ids()).toEqual(['y']);
    expect(t.itemCategories).toEqual([['Y']]);
  });
});
