import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shopCatalogue } from '../testkit/shop-catalogue.js';
import { httpRejection, startTestServer, type TestServer } from '../server/test-server.js';

describe('care stages over HTTP', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ pipeline: { rerank: ['diversity', 'calibration'] }, care: { diversity: 0.3, calibration: 0.5 } });
    const { items, events } = shopCatalogue({ items: 30, likes: 8, step: 3 });
    await t.client.upsertItems(items);
    await t.client.addEvents(events);
    await t.client.train({ model: 'itemknn' });
  });
  afterAll(async () => t.close());

  it('traces both stages as re-rank stages', async () => {
    const res = await t.client.recommend('u0', { count: 5 });
    const rerank = res.trace.filter((s) => s.kind === 'rerank').map((s) => s.stage);
    expect(rerank).toEqual(['diversity', 'calibration']);
  });

  it('a request may turn them off: strength 0 leaves them out of the trace', async () => {
    const res = await t.client.recommend('u0', { count: 5, care: { diversity: 0, calibration: 0 } });
    expect(res.trace.filter((s) => s.kind === 'rerank')).toEqual([]);
    const plain = await t.engine.recommend('u0', { count: 5, care: { diversity: 0, calibration: 0 } });
    expect(res.items.map((r) => r.itemId)).toEqual(plain.items.map((r) => r.itemId));
  });

  it('answers 400 on a strength outside 0..1 or not a number', async () => {
    for (const care of [{ diversity: 2 }, { calibration: -1 }]) {
      const err = await httpRejection(t.client.recommend('u0', { care }));
      expect(err.status).toBe(400);
      expect(err.code).toBe('INVALID_INPUT');
    }
    const res = await fetch(`${t.server.url}/v1/users/u0/recommendations?diversity=much`);
    expect(res.status).toBe(400);
  });

  it('the library rejects a bad override too', async () => {
    await expect(t.engine.recommend('u0', { care: { diversity: Number.NaN } })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
