import { describe, expect, it } from 'vitest';
import { dpEpsilonList, withDpEpsilons } from './eval-dp.js';

describe('eval --dp-epsilons', () => {
  it('reads numbers and inf', () => {
    expect(dpEpsilonList('0.5, 1,10,inf')).toEqual([0.5, 1, 10, Infinity]);
    expect(() => dpEpsilonList('1,0')).toThrow(/--dp-epsilons/);
    expect(() => dpEpsilonList('one')).toThrow(/--dp-epsilons/);
  });

  it('runs each private model once per ε (∞ = the exact params) and other models once', () => {
    const specs = withDpEpsilons([{ name: 'itemknn', params: { neighbors: 50 } }, { name: 'ease' }], [1, Infinity]);
    expect(specs).toEqual([
      { name: 'itemknn', params: { neighbors: 50, dpEpsilon: 1 }, label: 'itemknn@ε=1' },
      { name: 'itemknn', params: { neighbors: 50 }, label: 'itemknn@ε=∞' },
      { name: 'ease' },
    ]);
    expect(() => withDpEpsilons([{ name: 'ease' }], [1])).toThrow(/differentially private/);
  });
});
