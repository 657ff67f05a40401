import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shopCatalogue } from '../testkit/shop-catalogue.js';
import { startTestServer, type TestServer } from '../server/test-server.js';

describe('POST /v1/impressions', () => {
  let t: TestServer;
  const post = (body: unknown) => fetch(`${t.server.url}/v1/impressions`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  beforeAll(async () => {
    t = await startTestServer({ care: { fatigueAfter: 1, fatigueDecay: 0.5, impressionCap: 2 } });
    const { items, events } = shopCatalogue({ items: 30, likes: 8, step: 3 });
    await t.client.upsertItems(items);
    await t.client.addEvents(events);
    await t.client.train({ model: 'itemknn' });
  });
  afterAll(async () => t.close());

  it('stores impressions (201), and a repeated post with the same timestamp writes nothing (200)', async () => {
    const body = { userId: 'u1', itemIds: ['i20', 'i21'], timestamp: '2024-02-01T10:00:00Z' };
    const first = await post(body);
    expect(first.status).toBe(201);
    expect(await first.json()).toEqual({ recorded: 2, duplicates: 0 });
    const again = await post(body);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ recorded: 0, duplicates: 2 });
    const stored = await t.store.history('u1', { types: ['impression'] });
    expect(stored.map((e) => e.itemId).sort()).toEqual(['i20', 'i21']);
  });

  it('takes a list of shown lists, and the fatigue stage then leaves capped items out', async () => {
    const { items } = await t.client.recommend('u2', { count: 3 });
    const top = items[0].itemId;
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString(); // within the fatigue window
    const res = await post([{ userId: 'u2', itemIds: [top], timestamp: hoursAgo(2) }, { userId: 'u2', itemIds: [top], timestamp: hoursAgo(1) }]);
    expect(res.status).toBe(201);
    const after = await t.client.recommend('u2', { count: 10 });
    expect(after.items.map((r) => r.itemId)).not.toContain(top);
    expect(after.trace.map((s) => s.stage)).toContain('fatigue');
  });

  it('the typed client records impressions', async () => {
    const at = new Date(Date.now() - 3_600_000).toISOString();
    expect(await t.client.recordImpressions({ userId: 'u3', itemIds: ['i1', 'i2', 'i2'], timestamp: at })).toEqual({ recorded: 2, duplicates: 1 });
    expect(await t.client.recordImpressions([{ userId: 'u3', itemIds: ['i1'], timestamp: at }])).toEqual({ recorded: 0, duplicates: 1 });
  });

  it('answers 400 naming the field', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ userId: 'u1' }, /itemIds/],
      [{ userId: 'u1', itemIds: [] }, /itemIds/],
      [{ userId: 'u1', itemIds: ['i1'], timestamp: 'yesterday' }, /timestamp/],
      [{ userId: '', itemIds: ['i1'] }, /userId/],
      [{ userId: 'u1', itemIds: ['i1'], extra: 1 }, /extra/],
    ];
    for (const [body, field] of cases) {
      const res = await post(body);
      expect(res.status).toBe(400);
      const err = (await res.json()) as { error: { code: string; message: string } };
      expect(err.error.code).toBe('INVALID_INPUT');
      expect(JSON.stringify(err.error)).toMatch(field);
    }
  });

  it('the library checks its input too', async () => {
    await expect(t.engine.recordImpressions('u1', [])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(t.engine.recordImpressions('u1', ['i1'], 'not a time')).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { path: '/0/timestamp' } });
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${t.server.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, { operationId?: string }>> };
    expect(doc.paths['/v1/impressions']?.post?.operationId).toBe('recordImpressions');
  });
});
