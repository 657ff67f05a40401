import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSnapshot } from '../client/on-device.js';
import { shopCatalogue } from '../testkit/shop-catalogue.js';
import { startTestServer, type TestServer } from './test-server.js';

describe('GET /v1/models/snapshot', () => {
  let t: TestServer;
  const get = (headers: Record<string, string> = {}) => fetch(`${t.server.url}/v1/models/snapshot`, { headers });

  beforeAll(async () => {
    t = await startTestServer({ embeddings: { provider: 'none' } });
  });
  afterAll(async () => t.close());

  it('answers 409 NOT_TRAINED before the first model', async () => {
    const res = await get();
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NOT_TRAINED');
  });

  it('serves the served version with its ETag, 304 while it is unchanged, and scores as the server does', async () => {
    const { items, events } = shopCatalogue({ items: 30, likes: 8, step: 3 });
    await t.client.upsertItems(items);
    await t.client.addEvents(events);
    await t.client.train({ model: 'itemknn' });
    const res = await get();
    expect(res.status).toBe(200);
    const etag = res.headers.get('etag');
    const scorer = parseSnapshot(await res.json());
    expect(etag).toBe(`"${scorer.version}"`);
    expect(scorer.itemCount).toBe(30);

    const history = events.filter((e) => e.userId === events[0].userId).map((e) => ({ itemId: e.itemId }));
    const device = scorer.recommend(history, 5);
    expect(device.length).toBeGreaterThan(0);
    expect(device).toEqual(t.engine.scoreHistory(history, 5));

    const unchanged = await get({ 'if-none-match': `W/"0", ${etag}` });
    expect(unchanged.status).toBe(304);
    expect(await unchanged.text()).toBe('');

    await t.client.train({ model: 'als', params: { factors: 8, iterations: 3 } });
    const next = await get({ 'if-none-match': etag as string });
    expect(next.status).toBe(200);
    const als = parseSnapshot(await next.json());
    expect(als.model).toBe('als');
    expect(als.version).toBeGreaterThan(scorer.version);
    expect(als.recommend(history, 5)).toEqual(t.engine.scoreHistory(history, 5));
  });

  it('answers 409 CONFLICT while the main model has no snapshot', async () => {
    await t.client.train({ model: 'ease' });
    const res = await get();
    expect(res.status).toBe(409);
    const body = (await res.json()) as { error: { code: string; details: { model: string } } };
    expect(body.error).toMatchObject({ code: 'CONFLICT', details: { model: 'ease' } });
  });
});
