import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRejection, startShopServer, type TestServer } from '../server/test-server.js';

describe('negative feedback over HTTP', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startShopServer();
  });
  afterAll(async () => t.close());

  const ids = async (userId: string) => (await t.client.recommend(userId, { count: 10 })).items.map((r) => r.itemId);
  const post = (path: string, body: unknown) => fetch(`${t.server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('POST gives feedback (201 with what it does), GET lists it newest first, DELETE takes it back and the list returns', async () => {
    const before = await ids('u1');
    const [a, b] = before.filter((id) => Number(id.slice(1)) < 15); // two 'low' items
    const first = await t.client.feedback('u1', { kind: 'not-interested', itemId: a, at: '2024-02-01T00:00:00Z' });
    expect(first).toMatchObject({ itemId: a, title: `Item ${a.slice(1)}`, types: ['not_interested'], at: '2024-02-01T00:00:00.000Z' });
    expect(first.effects).toEqual([{ kind: 'item-removed', text: `Item ${a.slice(1)} is not recommended to you` }]);
    const res = await post('/v1/users/u1/feedback', { kind: 'not-interested', itemId: b, at: '2024-02-02T00:00:00Z' });
    expect(res.status).toBe(201);

    const listed = await t.client.listFeedback('u1');
    expect(listed.userId).toBe('u1');
    expect(listed.feedback.map((f) => f.itemId)).toEqual([b, a]);
    expect(listed.feedback[0].effects.map((e) => e.kind)).toEqual(['item-removed', 'category-demoted']);
    expect(listed.feedback[0].effects[1]).toMatchObject({ name: 'low', negatives: 2, keeps: 0.5, text: 'Category low is shown less (2 items you turned down)' });
    const during = await ids('u1');
    expect(during).not.toContain(a);
    expect(during.filter((id) => Number(id.slice(1)) < 15).length).toBeLessThan(before.filter((id) => Number(id.slice(1)) < 15).length - 2);

    expect(await t.client.deleteFeedback('u1', a)).toEqual({ userId: 'u1', itemId: a, removed: 1 });
    expect(await t.client.deleteFeedback('u1', b)).toEqual({ userId: 'u1', itemId: b, removed: 1 });
    expect((await t.client.listFeedback('u1')).feedback).toEqual([]);
    expect(await ids('u1')).toEqual(before);
  });

  it('show-less says its neighbours are demoted; a user without feedback gets an empty list', async () => {
    const entry = await t.client.feedback('u2', { kind: 'show-less', itemId: 'i20' });
    expect(entry.effects).toEqual([
      { kind: 'item-removed', text: 'Item 20 is not recommended to you' },
      { kind: 'neighbours-demoted', strength: 1, text: 'Items like Item 20 are shown less' },
    ]);
    expect(await t.client.listFeedback('nobody')).toEqual({ userId: 'nobody', feedback: [] });
  });

  it('answers 400 for a bad body, 404 for an unknown item or nothing to take back', async () => {
    for (const body of [{ kind: 'hate', itemId: 'i1' }, { kind: 'show-less' }, { kind: 'show-less', itemId: '' }, { kind: 'show-less', itemId: 'i1', extra: 1 }, { kind: 'show-less', itemId: 'i1', at: 'soon' }, []]) {
      const res = await post('/v1/users/u3/feedback', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('INVALID_INPUT');
    }
    expect((await httpRejection(t.client.feedback('u3', { kind: 'not-interested', itemId: 'no-such-item' }))).status).toBe(404);
    const gone = await httpRejection(t.client.deleteFeedback('u3', 'i1'));
    expect([gone.status, gone.code]).toEqual([404, 'NOT_FOUND']);
    expect((await ids('u3')).length).toBe(10); // nothing was stored by the bad requests
    expect((await t.client.listFeedback('u3')).feedback).toEqual([]);
  });
});
