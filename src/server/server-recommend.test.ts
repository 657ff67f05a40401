import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Event, Item } from '../core/types.js';
import { KindredHttpError } from './client.js';
import { startTestServer, type TestServer } from './test-server.js';

/** Two taste clusters: users ua* view items a0..a9, users ub* view b0..b9; uaK views a_K..a_{K+4} (mod 10). */
function clusteredCatalogue(): { items: Item[]; events: Event[] } {
  const items: Item[] = [];
  const events: Event[] = [];
  for (const c of ['a', 'b']) {
    for (let i = 0; i < 10; i++) items.push({ id: `${c}${i}`, title: `${c.toUpperCase()} film ${i}` });
    for (let u = 0; u < 20; u++) {
      for (let j = 0; j < 5; j++) {
        const item = `${c}${(u + j) % 10}`;
        events.push({ id: `u${c}${u}-${item}`, userId: `u${c}${u}`, itemId: item, type: 'view', timestamp: new Date(Date.UTC(2024, 0, 1, u, j)).toISOString() });
      }
    }
  }
  return { items, events };
}

const REVIEW = 'my sister cried at the ending, secret review words';
const QUERY_TEXT = 'films about whales and lighthouses';

describe('recommendations over HTTP', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    const { items, events } = clusteredCatalogue();
    await t.client.upsertItems(items);
    await t.client.upsertUsers([{ id: 'ua0' }]);
    await t.client.addEvents(events);
  });
  afterAll(async () => t.close());

  it('answers 409 NOT_TRAINED before the first training run', async () => {
    const err = await t.client.recommend('ua0').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KindredHttpError);
    expect(err).toMatchObject({ status: 409, code: 'NOT_TRAINED' });
  });

  it('trains, reports the data it saw, and serves the new version', async () => {
    const report = await t.client.train();
    expect(report).toMatchObject({ model: 'itemknn', users: 40, items: 20, interactions: 200 });
    expect((await t.client.status()).model).toMatchObject({ name: 'itemknn', version: report.version });
    const err = await t.client.train({ model: 'no-such-model' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 400, code: 'INVALID_CONFIG' });
    expect((await t.client.status()).model?.version).toBe(report.version);
  });

  it("recommends from the user's own cluster and never what they already viewed", async () => {
    const res = await t.client.recommend('ua0', { count: 3 });
    expect(res.personalised).toBe(true);
    expect(res.userId).toBe('ua0');
    const ids = res.items.map((r) => r.itemId);
    expect(ids).toHaveLength(3);
    const consumed = ['a0', 'a1', 'a2', 'a3', 'a4'];
    for (const id of ids) {
      expect(consumed).not.toContain(id);
      expect(id.startsWith('a')).toBe(true);
    }
    expect(res.trace.length).toBeGreaterThan(0);
    for (const r of res.items) expect(r.reasons.length).toBeGreaterThan(0);
  });

  it('honours exclude and includeConsumed', async () => {
    const all = await t.client.recommend('ua0', { count: 3 });
    const excluded = all.items[0].itemId;
    const without = await t.client.recommend('ua0', { count: 3, exclude: [excluded, 'b0'] });
    expect(without.items.map((r) => r.itemId)).not.toContain(excluded);
    const withConsumed = await t.client.recommend('ua0', { count: 10, includeConsumed: true });
    expect(withConsumed.items.some((r) => ['a0', 'a1', 'a2', 'a3', 'a4'].includes(r.itemId))).toBe(true);
  });

  it('serves popular items to an unknown user, saying it is not personalised', async () => {
    const res = await t.client.recommend('never-seen-user', { count: 5 });
    expect(res.personalised).toBe(false);
    expect(res.items).toHaveLength(5);
    expect(res.items[0].reasons.map((r) => r.kind).join(' ')).toMatch(/popular|cold-start/);
  });

  it('finds similar items within the cluster and 404s an unknown item', async () => {
    const res = await t.client.similar('b3', { count: 4 });
    expect(res.itemId).toBe('b3');
    expect(res.items.map((r) => r.itemId)).not.toContain('b3');
    for (const r of res.items) expect(r.itemId.startsWith('b')).toBe(true);
    const err = await t.client.similar('no-such-item').catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('rejects an invalid count with the query parameter named', async () => {
    const err = await t.client.recommend('ua0', { count: 0 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 400, code: 'INVALID_INPUT', details: { path: '/count', in: 'querystring' } });
  });

  it('logs method, route, status and ms for each request, and no ids, query text or review text', async () => {
    t.logLines.length = 0;
    await t.client.addEvents([{ id: 'rev-1', userId: 'ua7', itemId: 'a9', type: 'review', timestamp: '2024-03-01T00:00:00Z', text: REVIEW }]);
    await t.client.recommend('ua7', { count: 2, query: QUERY_TEXT });
    await t.client.getItem('missing-item-id').catch(() => undefined);
    const lines = t.logLines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l.method, l.route, l.status])).toEqual([
      ['POST', '/v1/events', 200],
      ['GET', '/v1/users/:id/recommendations', 200],
      ['GET', '/v1/items/:id', 404],
    ]);
    for (const l of lines) expect(typeof l.ms).toBe('number');
    const all = t.logLines.join('\n');
    for (const secret of ['cried', 'whales', 'ua7', 'missing-item-id', 'rev-1']) expect(all).not.toContain(secret);
  });
});
