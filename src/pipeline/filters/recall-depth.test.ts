import { describe, expect, it } from 'vitest';
import { recallDepths } from './recall-depth.js';

describe('recallDepths', () => {
  it('recalls once at the usual depth without a filter', () => {
    expect(recallDepths(40, false, 10_000)).toEqual([40]);
  });

  it('with a filter, goes deeper pass by pass and ends with the whole catalogue', () => {
    expect(recallDepths(40, true, 10_000)).toEqual([80, 320, 1280, 5120, 10_000]);
    expect(recallDepths(40, true, 100)).toEqual([80, 100]);
    expect(recallDepths(40, true, 50)).toEqual([50]);
  });
});
