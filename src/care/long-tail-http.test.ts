import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shopCatalogue } from '../testkit/shop-catalogue.js';
import { httpRejection, startTestServer, type TestServer } from '../server/test-server.js';

describe('long-tail stage over HTTP (default pipeline.rerank)', () => {
  let t: TestServer;
  const taken = new Map<string, number>();
  beforeAll(async () => {
    t = await startTestServer({});
    const { items, events } = shopCatalogue({ items: 30, likes: 8, step: 3 });
    for (const e of events) taken.set(e.itemId, (taken.get(e.itemId) ?? 0) + 1);
    await t.client.upsertItems(items);
    await t.client.addEvents(events);
    await t.client.train({ model: 'itemknn' });
  });
  afterAll(async () => t.close());

  const meanTaken = (ids: string[]) => ids.reduce((s, id) => s + (taken.get(id) ?? 0), 0) / ids.length;

  it('?novelty= runs the stage at that strength: traced, and the list leans to less-taken items', async () => {
    const plain = await t.client.recommend('u0', { count: 5, care: { novelty: 0, diversity: 0 } });
    const fair = await t.client.recommend('u0', { count: 5, care: { novelty: 1, diversity: 0 } });
    expect(plain.trace.map((s) => s.stage)).not.toContain('long-tail');
    expect(fair.trace.filter((s) => s.kind === 'rerank').map((s) => s.stage)).toContain('long-tail');
    expect(fair.items.map((r) => r.itemId)).not.toEqual(plain.items.map((r) => r.itemId));
    expect(meanTaken(fair.items.map((r) => r.itemId))).toBeLessThan(meanTaken(plain.items.map((r) => r.itemId)));
  });

  it('answers 400 on a novelty outside 0..1 or not a number; the library rejects it too', async () => {
    const err = await httpRejection(t.client.recommend('u0', { care: { novelty: 2 } }));
    expect(err.status).toBe(400);
    expect(err.code).toBe('INVALID_INPUT');
    expect((await fetch(`${t.server.url}/v1/users/u0/recommendations?novelty=lots`)).status).toBe(400);
    await expect(t.engine.recommend('u0', { care: { novelty: -0.1 } })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
