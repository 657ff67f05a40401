import { describe, expect, it } from 'vitest';
import type { Event } from '../core/types.js';
import { eventsBody, excludedIds, itemsBody, recommendQuery } from './request-schemas.js';
import { createValidatorCompiler } from './validation.js';

function events(n: number): Event[] {
  const base = Date.UTC(2024, 0, 1);
  return Array.from({ length: n }, (_, i) => ({
    id: `e${i}`,
    userId: `u${i % 97}`,
    itemId: `i${i % 211}`,
    type: 'view',
    timestamp: new Date(base + i * 60_000).toISOString(),
  }));
}

describe('body validation', () => {
  const compile = createValidatorCompiler();
  const validateEvents = compile({ schema: eventsBody, httpPart: 'body' });

  it('reports the malformed row of a 10,000-event bulk, quickly', () => {
    const bulk = events(10_000);
    bulk[7345] = { ...bulk[7345], timestamp: 'yesterday' };
    const t0 = performance.now();
    const ok = validateEvents({ events: bulk });
    const ms = performance.now() - t0;
    expect(ok).toBe(false);
    expect(validateEvents.errors?.[0]).toMatchObject({ instancePath: '/events/7345/timestamp', keyword: 'format' });
    // Compiled Ajv checks 10k records in a few ms; the bound is loose because the machine is shared.
    expect(ms).toBeLessThan(1000);
    bulk[7345] = { ...bulk[7345], timestamp: '2024-01-06T02:25:00Z' };
    expect(validateEvents({ events: bulk })).toBe(true);
  });

  it('rejects unknown fields and wrong types instead of dropping or coercing them', () => {
    const event = events(1)[0];
    expect(validateEvents({ events: [{ ...event, rating: 5 }] })).toBe(false);
    expect(validateEvents.errors?.[0]).toMatchObject({ instancePath: '/events/0', keyword: 'additionalProperties', params: { additionalProperty: 'rating' } });
    expect(validateEvents({ events: [{ ...event, userId: 42 }] })).toBe(false);
    expect(validateEvents.errors?.[0]).toMatchObject({ instancePath: '/events/0/userId', keyword: 'type' });
    expect(validateEvents({ events: [{ ...event, type: 'View!' }] })).toBe(false);
    expect(validateEvents({ events: [event], extra: true })).toBe(false);
  });

  it('validates items against the shared Item schema', () => {
    const validateItems = compile({ schema: itemsBody, httpPart: 'body' });
    expect(validateItems({ items: [{ id: 'a', title: 'A', tags: ['x'], attributes: { year: 1999, genres: ['drama'] } }] })).toBe(true);
    expect(validateItems({ items: [{ id: 'a' }, { title: 'no id' }] })).toBe(false);
    expect(validateItems.errors?.[0]).toMatchObject({ instancePath: '/items/1', params: { missingProperty: 'id' } });
  });
});

describe('query-string validation', () => {
  const validateQuery = createValidatorCompiler()({ schema: recommendQuery, httpPart: 'querystring' });

  it('coerces strings from the URL into the declared types', () => {
    const query: Record<string, unknown> = { count: '5', exclude: 'a,b', includeConsumed: 'true' };
    expect(validateQuery(query)).toBe(true);
    expect(query).toEqual({ count: 5, exclude: ['a,b'], includeConsumed: true });
  });

  it('rejects out-of-range counts and unknown parameters', () => {
    expect(validateQuery({ count: '0' })).toBe(false);
    expect(validateQuery({ count: 'ten' })).toBe(false);
    expect(validateQuery({ cnt: '5' })).toBe(false);
  });
});

describe('excludedIds', () => {
  it('accepts comma-separated and repeated parameters', () => {
    expect(excludedIds(['a,b', 'c', ' d ,'])).toEqual(['a', 'b', 'c', 'd']);
    expect(excludedIds(undefined)).toBeUndefined();
  });
});
