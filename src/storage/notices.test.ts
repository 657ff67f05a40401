import { describe, expect, it } from 'vitest';
import { itemsNotice, parseItemsNotice } from './notices.js';

describe('items notices', () => {
  it('carry the item ids, and nothing when they would not fit in one PostgreSQL notice', () => {
    expect(parseItemsNotice(itemsNotice(['i1', 'ünï "quoted"']))).toEqual(['i1', 'ünï "quoted"']);
    const many = Array.from({ length: 2000 }, (_, i) => `item-${i}`);
    expect(itemsNotice(many)).toBe('');
    expect(parseItemsNotice('')).toBeUndefined();
  });

  it('read a malformed payload as naming no items', () => {
    expect(parseItemsNotice('not json')).toBeUndefined();
    expect(parseItemsNotice('[1, 2]')).toBeUndefined();
    expect(parseItemsNotice('{"ids":["a"]}')).toBeUndefined();
  });
});
