import { describe, expect, it } from 'vitest';
import { CsrMatrix } from '../core/sparse.js';
import { dataShape } from './data-shape.js';
import { easeDefaultLambda } from './ease/default-lambda.js';
import { easeDefinition } from './ease/ease.js';
import { itemKnnDefinition } from './itemknn/itemknn.js';
import { resolveParams } from './scaled-defaults.js';

/** users × items from rows of item indexes, every value `value`. */
function matrix(rows: number[][], cols: number, value = 1): CsrMatrix {
  const r: number[] = [];
  const c: number[] = [];
  rows.forEach((items, u) => items.forEach((i) => { r.push(u); c.push(i); }));
  return CsrMatrix.fromTriplets(rows.length, cols, r, c, r.map(() => value));
}

describe('dataShape', () => {
  it('counts active users and items and the Gram diagonal a typical interaction sees', () => {
    // item 0: 3 users, item 1: 1 user, item 2: none (a catalogue item without events), one user without events
    const shape = dataShape(matrix([[0, 1], [0], [0], []], 3));
    expect(shape).toMatchObject({ users: 3, items: 2, interactions: 4, density: 4 / 6, meanItemCount: 2, meanUserCount: 4 / 3 });
    // (3² + 1²) / (3 + 1): the popular item counts three times
    expect(shape.interactionItemCount).toBe(2.5);
    expect(dataShape(matrix([[0, 1], [0], [0]], 2, 2)).interactionItemWeight).toBe((12 * 12 + 4 * 4) / 16);
  });
});

describe('EASE default λ', () => {
  it('grows with the typical item count: base 75 plus twice the count, to two digits', () => {
    expect(easeDefaultLambda({ interactionItemCount: 130, interactionItemWeight: 130 }, true)).toBe(340);
    expect(easeDefaultLambda({ interactionItemCount: 650, interactionItemWeight: 650 }, true)).toBe(1400);
    expect(easeDefaultLambda({ interactionItemCount: 0, interactionItemWeight: 0 }, true)).toBe(75);
  });

  it('reads the weighted diagonal when EASE is fitted on values, not on binary input', () => {
    const shape = { interactionItemCount: 10, interactionItemWeight: 100 };
    expect(easeDefaultLambda(shape, false)).toBe(280);
    expect(easeDefaultLambda(shape, true)).toBe(95);
  });
});

describe('resolveParams', () => {
  const shape = dataShape(matrix(Array.from({ length: 40 }, (_, u) => [u % 5, (u + 1) % 5, 5 + (u % 3)]), 8));

  it('scales EASE λ to the data and records which params were defaulted', () => {
    const { params, sources } = resolveParams(easeDefinition, {}, shape);
    expect(params.lambda).toBe(easeDefaultLambda(shape, true));
    expect(sources).toMatchObject({ lambda: 'scaled', dropout: 'default', binary: 'default' });
  });

  it('explicit params always win, and a binary: false request scales λ on the values', () => {
    expect(resolveParams(easeDefinition, { lambda: 7 }, shape)).toMatchObject({ params: { lambda: 7 }, sources: { lambda: 'explicit' } });
    const weighted = resolveParams(easeDefinition, { binary: false }, shape);
    expect(weighted.params.lambda).toBe(easeDefaultLambda(shape, false));
    expect(weighted.sources).toMatchObject({ binary: 'explicit', lambda: 'scaled' });
  });

  it('keeps the fixed defaults of models without a data-scaled rule, and rejects bad explicit params', () => {
    const { params, sources } = resolveParams(itemKnnDefinition, {}, shape);
    expect(params).toEqual(itemKnnDefinition.defaults);
    expect(new Set(Object.values(sources))).toEqual(new Set(['default']));
    expect(() => resolveParams(easeDefinition, { lambda: -1 }, shape)).toThrow(/lambda/);
  });
});
