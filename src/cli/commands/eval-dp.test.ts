import { describe, expect, it } from 'vitest';
import { dpEpsilonList, withDpEpsilons } from './eval-dp.js';

describe('eval --dp-epsilons', () => {
  it('reads numbers and inf', () => {
    expect(dpEpsilonList('0.5, 1,10,inf')).toEqual([0.5, 1, 10, Infinity]);
    expect(() => dpEpsilonList('1,0')).toThrow(/--dp-epsilons/);
    expect(() => dpEpsilonList('one')).toThrow(/--dp-epsilons/);
  });

  it('runs each private model once per ε (∞ = the exact params) and other models once', () => {
    const specs = withDpEpsilons([{ name: 'itemknn', params: { neighbors: 50 } }, { name: 'ease', params: { dpRidge: 4 } }, { name: 'bpr' }], [1, Infinity]);
    expect(specs).toEqual([
      { name: 'itemknn', params: { neighbors: 50, dpEpsilon: 1 }, label: 'itemknn@ε=1' },
      { name: 'itemknn', params: { neighbors: 50 }, label: 'itemknn@ε=∞' },
      // the dp* params belong to the private fits: the exact model runs without them
      { name: 'ease', params: { dpRidge: 4, dpEpsilon: 1 }, label: 'ease@ε=1' },
      { name: 'ease', params: {}, label: 'ease@ε=∞' },
      { name: 'bpr' },
    ]);
    expect(() => withDpEpsilons([{ name: 'bpr' }], [1])).toThrow(/differentially private/);
  });
});
