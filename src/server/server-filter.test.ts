import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRejection, startShopServer, type TestServer } from './test-server.js';

const priceOf = (id: string) => Number(id.slice(1));

describe('filters over HTTP', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startShopServer();
  });
  afterAll(async () => t.close());

  it('GET /v1/users/:id/recommendations?filter= keeps only matching items', async () => {
    const res = await t.client.recommend('u0', { count: 5, filter: 'price >= 10 and in_stock = true' });
    expect(res.items).toHaveLength(5);
    for (const r of res.items) {
      expect(priceOf(r.itemId)).toBeGreaterThanOrEqual(10);
      expect(priceOf(r.itemId) % 2).toBe(0);
    }
  });

  it('GET /v1/items/:id/similar?filter= keeps only matching items', async () => {
    const res = await t.client.similar('i3', { count: 3, filter: '"high" in categories' });
    for (const r of res.items) expect(priceOf(r.itemId)).toBeGreaterThanOrEqual(15);
  });

  it('a bad filter answers 400 INVALID_INPUT with the position of the bad token', async () => {
    const err = await httpRejection(t.client.recommend('u0', { filter: 'price < and in_stock = true' }));
    expect(err.status).toBe(400);
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toBe('filter: expected a value after "<" at position 8');
    expect(err.details).toMatchObject({ field: 'filter', position: 8, length: 3, expected: 'value' });
  });

  it('a bad filter on similar items and on a text search answers 400 too (checked before the query is embedded)', async () => {
    const similar = await httpRejection(t.client.similar('i3', { filter: 'brand = "x" or' }));
    expect(similar).toMatchObject({ status: 400, details: { position: 14, expected: 'condition' } });
    const search = await httpRejection(t.client.search('anything', { filter: '(price < 5' }));
    expect(search).toMatchObject({ status: 400, details: { position: 10, expected: '")"' } });
  });

  it('a filter longer than the limit answers 400 naming the limit', async () => {
    const err = await httpRejection(t.client.recommend('u0', { filter: `price < ${'9'.repeat(2000)}` }));
    expect(err.status).toBe(400);
    expect(err.details).toMatchObject({ limit: 2000 });
  });
});
