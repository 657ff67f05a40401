import { describe, expect, it } from 'vitest';
import { EngineError } from '../../core/errors.js';
import { FILTER_LIMITS, parseFilter } from './parser.js';

/** The EngineError a bad expression fails with (anything else fails the test). */
function failure(expression: string): EngineError {
  try {
    parseFilter(expression);
  } catch (err) {
    if (err instanceof EngineError) return err;
    throw err;
  }
  throw new Error(`expected "${expression}" to be rejected`);
}

describe('filter parse errors point at the bad token', () => {
  it('a missing value after an operator', () => {
    const err = failure('price < and in_stock = true');
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toBe('filter: expected a value after "<" at position 8');
    expect(err.details).toEqual({ field: 'filter', position: 8, length: 3, expected: 'value' });
  });

  it('a value missing at the end points past the last character', () => {
    const err = failure('price <');
    expect(err.message).toBe('filter: expected a value after "<" at position 7');
    expect(err.details).toMatchObject({ position: 7, length: 0 });
  });

  it('a field without an operator', () => {
    const err = failure('price 50');
    expect(err.message).toBe('filter: expected a comparison (= != < <= > >=), "in", "not in" or "is" after "price" at position 6');
    expect(err.details).toMatchObject({ position: 6, length: 2, expected: 'operator' });
  });

  it('an unclosed parenthesis', () => {
    const err = failure('(price < 5 or brand = "a"');
    expect(err.message).toBe('filter: expected ")" after a string at position 25');
    expect(err.details).toMatchObject({ position: 25, expected: '")"' });
  });

  it('a stray closing parenthesis', () => {
    expect(failure('price < 5)').details).toMatchObject({ position: 9, length: 1, expected: 'operator or end' });
  });

  it('two conditions without and/or', () => {
    expect(failure('price < 5 brand = "a"').details).toMatchObject({ position: 10, length: 5 });
  });

  it('an unknown character', () => {
    const err = failure('price < 5 && in_stock = true');
    expect(err.details).toMatchObject({ position: 10, length: 1, expected: 'token' });
  });

  it('an unterminated string points at its opening quote and does not echo it', () => {
    const err = failure('brand = "Fender and price < 5');
    expect(err.details).toMatchObject({ position: 8, expected: 'closing quote' });
    expect(err.message).not.toContain('Fender');
  });

  it('an empty list, and a list without a closing parenthesis', () => {
    expect(failure('brand in ()').details).toMatchObject({ position: 10, expected: 'value' });
    expect(failure('brand in ("a", "b"').details).toMatchObject({ position: 18, expected: '"," or ")" to close the list' });
  });

  it('null is not a value: the message says to use "is null"', () => {
    const err = failure('brand = null');
    expect(err.message).toContain('"is null"');
    expect(err.details).toMatchObject({ position: 8, length: 4 });
  });

  it('"is" must be followed by null or not null', () => {
    expect(failure('brand is 3').details).toMatchObject({ position: 9, expected: 'null' });
  });

  it('exists needs a parenthesised field name', () => {
    expect(failure('exists brand').details).toMatchObject({ position: 7, expected: '"("' });
    expect(failure('exists("brand")').details).toMatchObject({ position: 7, expected: 'field' });
  });

  it('a value can only be tested for membership', () => {
    expect(failure('"rock" = category').details).toMatchObject({ position: 7, expected: 'in' });
  });

  it('an empty expression', () => {
    expect(failure('   ').details).toMatchObject({ position: 3, expected: 'condition' });
  });

  it('strings and numbers the user sent are named by kind, never quoted', () => {
    const err = failure('brand = "a-very-private-value" "another"');
    expect(err.message).toBe('filter: expected "and", "or" or the end of the expression after a string at position 31');
  });
});

describe('filter type errors visible at compile time', () => {
  it('a number compared with a text field', () => {
    const err = failure('title = 5');
    expect(err.message).toBe('filter: expected a string after "=" (title holds text) at position 8');
    expect(err.details).toMatchObject({ position: 8, length: 1, expected: 'string' });
  });

  it('a number in categories', () => {
    expect(failure('category in ("a", 3)').details).toMatchObject({ position: 18, expected: 'string' });
    expect(failure('3 in categories').details).toMatchObject({ position: 0, expected: 'string' });
  });

  it('createdAt wants an ISO-8601 date', () => {
    expect(failure('createdAt > "last week"').details).toMatchObject({ position: 12, length: 11, expected: 'date' });
    expect(failure('createdAt > 1700000000').details).toMatchObject({ position: 12, expected: 'date' });
    expect(failure('createdAt > "2024-13-45"').details).toMatchObject({ expected: 'date' });
  });

  it('true and false have no order', () => {
    expect(failure('in_stock < true').details).toMatchObject({ position: 11, expected: 'value' });
  });
});

describe('filter limits', () => {
  it(`rejects an expression longer than ${FILTER_LIMITS.maxLength} characters, naming the limit`, () => {
    const long = Array.from({ length: 300 }, (_, i) => `price = ${i}`).join(' or ');
    expect(long.length).toBeGreaterThan(FILTER_LIMITS.maxLength);
    const err = failure(long);
    expect(err.message).toBe('filter: is longer than 2000 characters (the limit) at position 2000');
    expect(err.details).toMatchObject({ field: 'filter', limit: 2000, position: 2000 });
  });

  it(`rejects nesting deeper than ${FILTER_LIMITS.maxDepth} levels, pointing at the first token too deep`, () => {
    const ok = `${'('.repeat(32)}price < 5${')'.repeat(32)}`;
    expect(parseFilter(ok).type).toBe('compare');
    const err = failure(`${'('.repeat(33)}price < 5${')'.repeat(33)}`);
    expect(err.message).toBe('filter: nests deeper than 32 levels (the limit) at position 32');
    expect(err.details).toMatchObject({ limit: 32, position: 32 });
    expect(failure(`${'not '.repeat(33)}price < 5`).details).toMatchObject({ limit: 32, position: 128 });
  });

  it('accepts a long flat chain of conditions without deep recursion', () => {
    const chain = Array.from({ length: 150 }, (_, i) => `p${i} = 1`).join(' and ');
    expect(chain.length).toBeLessThanOrEqual(FILTER_LIMITS.maxLength);
    const node = parseFilter(chain);
    expect(node.type === 'and' && node.operands.length).toBe(150);
  });
});
