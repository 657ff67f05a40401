import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EngineError } from '../../core/errors.js';
import type { Item } from '../../core/types.js';
import { compileFilter, createFilterCompiler } from './compile.js';

// Random items over a few attributes whose values may be missing, null, of another type, or lists.
const scalar = fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constantFrom('a', 'b', 'c'), fc.boolean(), fc.constant(null));
const attributeValue = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }));
const itemArb: fc.Arbitrary<Item> = fc.record({
  id: fc.constantFrom('i1', 'i2', 'i3'),
  categories: fc.option(fc.subarray(['a', 'b', 'c']), { nil: undefined }),
  createdAt: fc.option(fc.constantFrom('2024-01-01T00:00:00Z', '2024-06-01T00:00:00Z', 'not a date'), { nil: undefined }),
  attributes: fc.option(fc.dictionary(fc.constantFrom('p', 'q'), attributeValue), { nil: undefined }),
}, { requiredKeys: ['id'] });

// Random well-formed expressions over the same fields.
const literal = fc.oneof(fc.integer({ min: -5, max: 5 }).map(String), fc.constantFrom('"a"', '"b"', 'true', 'false'));
const orderable = fc.oneof(fc.integer({ min: -5, max: 5 }).map(String), fc.constantFrom('"a"', '"b"'));
const condition = fc.oneof(
  fc.tuple(fc.constantFrom('p', 'q', 'attributes.p'), fc.constantFrom('=', '!='), literal).map(([f, op, v]) => `${f} ${op} ${v}`),
  fc.tuple(fc.constantFrom('p', 'q'), fc.constantFrom('<', '<=', '>', '>='), orderable).map(([f, op, v]) => `${f} ${op} ${v}`),
  fc.tuple(fc.constantFrom('p', 'q'), fc.constantFrom('in', 'not in'), fc.array(literal, { minLength: 1, maxLength: 3 }))
    .map(([f, op, vs]) => `${f} ${op} (${vs.join(', ')})`),
  fc.tuple(fc.constantFrom('"a"', '"b"'), fc.constantFrom('in', 'not in')).map(([v, op]) => `${v} ${op} categories`),
  fc.tuple(fc.constantFrom('<', '>='), fc.constantFrom('"2024-03-01"', '"2024-06-01T00:00:00Z"')).map(([op, d]) => `createdAt ${op} ${d}`),
  fc.constantFrom('p', 'q', 'categories', 'createdAt').chain((f) => fc.constantFrom(`exists(${f})`, `${f} is null`, `${f} is not null`)),
);
const { expression } = fc.letrec<{ expression: string }>((tie) => ({
  expression: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    condition,
    tie('expression').map((e) => `not (${e})`),
    fc.tuple(tie('expression'), fc.constantFrom('and', 'or'), tie('expression')).map(([a, op, b]) => `(${a}) ${op} (${b})`),
  ),
}));

describe('filter properties', () => {
  it('not (e) keeps exactly the items e drops', () => {
    fc.assert(fc.property(expression, fc.array(itemArb, { maxLength: 8 }), (e, items) => {
      const keep = compileFilter(e);
      const complement = compileFilter(`not (${e})`);
      for (const item of items) expect(complement(item)).toBe(!keep(item));
    }), { numRuns: 300 });
  });

  it('and/or follow De Morgan, and "a or b and c" is "a or (b and c)"', () => {
    fc.assert(fc.property(expression, expression, expression, itemArb, (a, b, c, item) => {
      expect(compileFilter(`not ((${a}) and (${b}))`)(item)).toBe(compileFilter(`not (${a}) or not (${b})`)(item));
      expect(compileFilter(`(${a}) or (${b}) and (${c})`)(item)).toBe(compileFilter(`(${a}) or ((${b}) and (${c}))`)(item));
    }), { numRuns: 200 });
  });

  it('"v in field" is "field = v", and "field not in (v)" is "field != v"', () => {
    fc.assert(fc.property(fc.constantFrom('"a"', '"b"', '3'), fc.constantFrom('p', 'q'), itemArb, (v, f, item) => {
      expect(compileFilter(`${v} in ${f}`)(item)).toBe(compileFilter(`${f} = ${v}`)(item));
      expect(compileFilter(`${f} not in (${v})`)(item)).toBe(compileFilter(`${f} != ${v}`)(item));
    }));
  });

  it('a missing field makes every comparison on it false', () => {
    fc.assert(fc.property(condition.filter((e) => !/exists|is |categories|createdAt/.test(e)), (e) => {
      expect(compileFilter(e)({ id: 'bare' })).toBe(false);
    }));
  });
});

describe('filter parser on arbitrary text', () => {
  it('either compiles or fails with INVALID_INPUT pointing inside the text', () => {
    const pieces = fc.constantFrom('p', 'categories', 'createdAt', '=', '!=', '<', '>=', 'and', 'or', 'not', 'in', 'is', 'null', 'exists', '(', ')', ',', '"a"', "'b", '3', '-2.5e1', '`q`', '&', ' ');
    fc.assert(fc.property(fc.array(pieces, { maxLength: 12 }).map((p) => p.join(' ')), (text) => {
      try {
        compileFilter(text);
      } catch (err) {
        expect(err).toBeInstanceOf(EngineError);
        const { code, details } = err as EngineError;
        expect(code).toBe('INVALID_INPUT');
        expect(details.field).toBe('filter');
        expect(details.position).toBeGreaterThanOrEqual(0);
        expect(details.position).toBeLessThanOrEqual(text.length);
      }
    }), { numRuns: 500 });
  });
});

describe('filter compiler cache', () => {
  it('compiles an expression once and drops the least recently used past its capacity', () => {
    const filters = createFilterCompiler(2);
    const a = filters.compile('p = 1');
    expect(filters.compile('p = 1')).toBe(a);
    const b = filters.compile('p = 2');
    filters.compile('p = 1'); // now p = 2 is the least recently used
    filters.compile('p = 3');
    expect(filters.size).toBe(2);
    expect(filters.compile('p = 1')).toBe(a);
    expect(filters.compile('p = 2')).not.toBe(b);
  });

  it('does not keep invalid expressions', () => {
    const filters = createFilterCompiler(2);
    expect(() => filters.compile('p <')).toThrow(/position 3/);
    expect(filters.size).toBe(0);
  });
});
