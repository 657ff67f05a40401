import { describe, expect, it } from 'vitest';
import type { Item } from '../../core/types.js';
import { compileFilter } from './compile.js';

const guitar: Item = {
  id: 'g1',
  title: 'Red Guitar',
  categories: ['instruments', 'rock'],
  tags: ['electric', 'six-string'],
  createdAt: '2024-05-10T12:00:00Z',
  attributes: { price: 49.5, brand: 'Fender', in_stock: true, sizes: ['s', 'm'], weight: null, code: '42' },
};
const piano: Item = {
  id: 'p1',
  title: 'Grand Piano',
  categories: ['instruments', 'classical'],
  createdAt: '2023-01-01T00:00:00Z',
  attributes: { price: 9000, brand: 'Steinway', in_stock: false },
};
const bare: Item = { id: 'x1' };

/** Ids of the items the expression keeps, in order. */
function kept(expression: string, items: Item[] = [guitar, piano, bare]): string[] {
  const keep = compileFilter(expression);
  return items.filter((it) => keep(it)).map((it) => it.id);
}

describe('filter operators', () => {
  it('= on numbers, strings and booleans', () => {
    expect(kept('price = 9000')).toEqual(['p1']);
    expect(kept('brand = "Fender"')).toEqual(['g1']);
    expect(kept('in_stock = true')).toEqual(['g1']);
    expect(kept('in_stock = false')).toEqual(['p1']);
  });

  it('!= keeps items whose field is present and different', () => {
    expect(kept('brand != "Fender"')).toEqual(['p1']);
    expect(kept('price != 49.5')).toEqual(['p1']);
    expect(kept('in_stock != true')).toEqual(['p1']);
  });

  it('< <= > >= on numbers', () => {
    expect(kept('price < 50')).toEqual(['g1']);
    expect(kept('price < 49.5')).toEqual([]);
    expect(kept('price <= 49.5')).toEqual(['g1']);
    expect(kept('price > 49.5')).toEqual(['p1']);
    expect(kept('price >= 49.5')).toEqual(['g1', 'p1']);
    expect(kept('price > -1e3')).toEqual(['g1', 'p1']);
  });

  it('orders strings by code unit', () => {
    expect(kept('title < "H"')).toEqual(['p1']);
    expect(kept('brand >= "S"')).toEqual(['p1']);
  });

  it('compares createdAt in time, with a date or a full timestamp', () => {
    expect(kept('createdAt >= "2024-01-01"')).toEqual(['g1']);
    expect(kept('createdAt < "2024-05-10T13:00:00+00:00"')).toEqual(['g1', 'p1']);
    expect(kept('createdAt > "2024-05-10T12:00:00Z"')).toEqual([]);
  });

  it('in (...) and not in (...)', () => {
    expect(kept('brand in ("Fender", "Gibson")')).toEqual(['g1']);
    expect(kept('brand not in ("Fender", "Gibson")')).toEqual(['p1']);
    expect(kept('id in ("p1", "x1")')).toEqual(['p1', 'x1']);
    expect(kept('price in (9000)')).toEqual(['p1']);
  });

  it('category and categories: membership by =, in, and "value in field"', () => {
    expect(kept('category = "rock"')).toEqual(['g1']);
    expect(kept('categories = "instruments"')).toEqual(['g1', 'p1']);
    expect(kept('"classical" in categories')).toEqual(['p1']);
    expect(kept('"classical" not in categories')).toEqual(['g1']);
    expect(kept('category in ("rock", "jazz")')).toEqual(['g1']);
    expect(kept('category != "rock"')).toEqual(['p1']);
    expect(kept('category not in ("rock", "jazz")')).toEqual(['p1']);
  });

  it('tags and list attributes match when some element does', () => {
    expect(kept('tags = "electric"')).toEqual(['g1']);
    expect(kept('"six-string" in tag')).toEqual(['g1']);
    expect(kept('sizes = "m"')).toEqual(['g1']);
    expect(kept('"xl" in sizes')).toEqual([]);
  });

  it('and, or, not and parentheses', () => {
    expect(kept('price < 50 and in_stock = true')).toEqual(['g1']);
    expect(kept('price < 50 or brand = "Steinway"')).toEqual(['g1', 'p1']);
    expect(kept('not brand = "Fender"')).toEqual(['p1', 'x1']);
    expect(kept('not (price < 50 or price > 100)')).toEqual(['x1']);
  });

  it('binds not tighter than and, and tighter than or', () => {
    // a or b and c  ==  a or (b and c)
    expect(kept('id = "x1" or price > 0 and in_stock = true')).toEqual(['g1', 'x1']);
    expect(kept('(id = "x1" or price > 0) and in_stock = true')).toEqual(['g1']);
    // not a and b  ==  (not a) and b
    expect(kept('not in_stock = true and price > 0')).toEqual(['p1']);
    expect(kept('not (in_stock = true and price > 0)')).toEqual(['p1', 'x1']);
  });

  it('keywords are case-insensitive; attributes.<name> reaches an attribute', () => {
    expect(kept('PRICE < 50')).toEqual([]); // field names are case-sensitive: PRICE is another attribute
    expect(kept('price < 50 AND In_Stock = TRUE')).toEqual([]);
    expect(kept('price < 50 AND in_stock = TRUE')).toEqual(['g1']);
    expect(kept('attributes.brand = "Steinway"')).toEqual(['p1']);
    expect(kept('`brand` = "Steinway"')).toEqual(['p1']);
  });
});

describe('missing values and type mismatches', () => {
  it('a missing attribute makes every comparison false, != and not in included', () => {
    for (const expr of ['price < 50', 'price >= 0', 'brand = "x"', 'brand != "x"', 'brand in ("x")', 'brand not in ("x")', 'category != "rock"']) {
      expect(kept(expr, [bare]), expr).toEqual([]);
    }
  });

  it('a null attribute counts as missing', () => {
    expect(kept('weight = 0 or weight != 0', [guitar])).toEqual([]);
    expect(kept('weight is null', [guitar])).toEqual(['g1']);
  });

  it('exists(field), is null and is not null', () => {
    expect(kept('exists(brand)')).toEqual(['g1', 'p1']);
    expect(kept('brand is null')).toEqual(['x1']);
    expect(kept('brand is not null')).toEqual(['g1', 'p1']);
    expect(kept('exists(tags)')).toEqual(['g1']);
    expect(kept('title is null')).toEqual(['x1']);
    expect(kept('not exists(createdAt)')).toEqual(['x1']);
  });

  it('a value of another type never compares: the comparison is false', () => {
    expect(kept('code = 42', [guitar])).toEqual([]); // code is the string "42"
    expect(kept('code != 42', [guitar])).toEqual([]);
    expect(kept('code = "42"', [guitar])).toEqual(['g1']);
    expect(kept('brand < 5', [guitar])).toEqual([]);
    expect(kept('in_stock = "true"', [guitar])).toEqual([]);
  });

  it('an unreadable createdAt counts as missing', () => {
    expect(kept('createdAt > "2000-01-01" or createdAt <= "2000-01-01"', [{ id: 'bad', createdAt: 'soon' }])).toEqual([]);
  });
});
