import { describe, expect, it } from 'vitest';
import { extractJson, firstJsonList } from './json-extract.js';

describe('extractJson', () => {
  it('parses plain JSON', () => {
    expect(extractJson('{"a": [1, 2]}')).toEqual({ a: [1, 2] });
    expect(extractJson(' ["x"] ')).toEqual(['x']);
  });

  it('reads inside code fences, closed or not', () => {
    expect(extractJson('Here you go:\n```json\n{"ranking": ["b", "a"]}\n```\nEnjoy!')).toEqual({ ranking: ['b', 'a'] });
    expect(extractJson('```\n["a"]')).toEqual(['a']);
  });

  it('skips prose before and after, and brackets inside strings', () => {
    expect(extractJson('I think [maybe] the answer is {"note": "use ] and } freely", "ids": ["1"]} - hope that helps')).toEqual({ note: 'use ] and } freely', ids: ['1'] });
  });

  it('keeps the complete elements of an answer cut off by the token limit', () => {
    expect(extractJson('{"ranking": ["3", "1", "2')).toEqual({ ranking: ['3', '1'] });
    expect(extractJson('[{"id": "a"}, {"id": "b"}, {"id": "c", "sc')).toEqual([{ id: 'a' }, { id: 'b' }, { id: 'c' }]);
    expect(extractJson('[{"id": "a"}, {"id": "b"}, {"i')).toEqual([{ id: 'a' }, { id: 'b' }]);
    expect(extractJson('{"tags": ["space", "war"')).toEqual({ tags: ['space', 'war'] });
  });

  it('handles escaped quotes', () => {
    expect(extractJson('{"t": "say \\"hi\\""}')).toEqual({ t: 'say "hi"' });
  });

  it('returns undefined when there is no JSON', () => {
    expect(extractJson('no json here')).toBeUndefined();
    expect(extractJson('')).toBeUndefined();
    expect(extractJson('{{{')).toBeUndefined();
  });
});

describe('firstJsonList', () => {
  it('finds the list: the value itself, a preferred key, else the first array property', () => {
    expect(firstJsonList([1])).toEqual([1]);
    expect(firstJsonList({ other: [0], ranking: [1] }, ['ranking'])).toEqual([1]);
    expect(firstJsonList({ note: 'x', items: [2] })).toEqual([2]);
    expect(firstJsonList({ note: 'x' })).toBeUndefined();
    expect(firstJsonList('x')).toBeUndefined();
  });
});
