import { describe, expect, it } from 'vitest';
import { positionalRelevance } from './mmr.js';
import { pm2Order } from './pm2.js';

describe('PM-2 proportional diversification, hand-checked', () => {
  it('gives the second place to the category whose turn it is (the doc example)', () => {
    // place 1: quotients a .5, b .5, a's turn: scores .6, .534, .466 → 0; place 2: a .5/3, b .5, b's turn → 2
    expect(pm2Order([['a'], ['a'], ['b']], Float64Array.of(1, 0.67, 0.33), new Map([['a', 0.5], ['b', 0.5]]), 2, 0.8)).toEqual([0, 2]);
  });

  it('keeps the input order at strength 0', () => {
    expect(pm2Order([['a'], ['b'], ['a']], positionalRelevance(3), new Map([['b', 1]]), 3, 0)).toEqual([0, 1, 2]);
  });

  it('fills the list in proportion to the target by Sainte-Laguë at strength 1 (a 75 %, b 25 %: three a, one b)', () => {
    // quotients by place: a .75 → a0; a .25 = b .25, a first → a1; a .15 < b .25 → b0; a .15 > b .083 → a2
    const cats = [['a'], ['a'], ['a'], ['a'], ['b'], ['b']];
    expect(pm2Order(cats, positionalRelevance(6), new Map([['a', 0.75], ['b', 0.25]]), 4, 1)).toEqual([0, 1, 4, 2]);
  });

  it('an item of two categories takes half a seat in each', () => {
    // place 1 (a's turn): the a+b item scores (.5·.5 + .5·.5)/2 / .5 = .5, as the pure a item: input order → 0;
    // then a and b hold .5 seat each (quotients .25): a's turn again, the b item and the a item both score .5: a tie,
    // input order → 1
    expect(pm2Order([['a', 'b'], ['b'], ['a']], Float64Array.of(1, 1, 1), new Map([['a', 0.5], ['b', 0.5]]), 2, 1)).toEqual([0, 1]);
  });
});
