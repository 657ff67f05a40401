import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Event } from '../core/types.js';
import { createClient } from './client.js';
import { httpRejection, startTestServer, type TestServer } from './test-server.js';

const ADMIN = 'admin-key-51d2';
const READ = 'read-key-0c77';

const at = (userId: string, itemId: string, timestamp: string, type = 'view'): Event => ({ userId, itemId, type, timestamp });

// Counted by hand: 2024-02-25 is a Sunday, 2024-02-26 a Monday, 2024-03-01 the Friday of that week, 2024-03-04 the
// next Monday. Item a: a view on the 25th, a click and an impression on the 26th, two impressions on 1 March.
const EVENTS: Event[] = [
  at('u1', 'a', '2024-02-25T12:00:00Z'),
  at('u1', 'a', '2024-02-26T08:00:00Z', 'click'),
  at('u2', 'a', '2024-02-26T09:00:00Z', 'impression'),
  at('u2', 'b', '2024-02-27T10:00:00Z'),
  at('u1', 'a', '2024-03-01T10:00:00Z', 'impression'),
  at('u3', 'a', '2024-03-01T11:00:00Z', 'impression'),
  at('u3', 'b', '2024-03-04T00:00:00Z', 'rating'),
];

describe('dashboard reads: events over time, exposure, timelines, serving', () => {
  let t: TestServer;
  const reader = () => createClient({ baseUrl: t.server.url, apiKey: READ });
  beforeAll(async () => {
    t = await startTestServer({ server: { apiKeys: [`admin:${ADMIN}`, `read:${READ}`] } }, ADMIN);
    await t.client.upsertItems([{ id: 'a', title: 'A' }, { id: 'b', title: 'B' }, { id: 'quiet' }]);
    await t.client.upsertUsers([{ id: 'nobody' }]);
    await t.client.addEvents(EVENTS);
  });
  afterAll(async () => t.close());

  it('counts events per day over the oldest..newest event, empty days included', async () => {
    const stats = await t.client.eventStats({ bucket: 'day' });
    expect(stats.bucket).toBe('day');
    expect(stats.buckets.map((b) => [b.start.slice(0, 10), b.count])).toEqual([
      ['2024-02-25', 1], ['2024-02-26', 2], ['2024-02-27', 1], ['2024-02-28', 0], ['2024-02-29', 0], ['2024-03-01', 2], ['2024-03-02', 0], ['2024-03-03', 0], ['2024-03-04', 1],
    ]);
    expect(stats.buckets[1]).toEqual({ start: '2024-02-26T00:00:00.000Z', count: 2, byType: { click: 1, impression: 1 } });
    expect(stats.buckets[3].byType).toEqual({});
  });

  it('counts per week (from Monday) and month, and picks days by itself for a short span', async () => {
    const weeks = await t.client.eventStats({ bucket: 'week' });
    expect(weeks.buckets).toEqual([
      { start: '2024-02-19T00:00:00.000Z', count: 1, byType: { view: 1 } },
      { start: '2024-02-26T00:00:00.000Z', count: 5, byType: { click: 1, impression: 3, view: 1 } },
      { start: '2024-03-04T00:00:00.000Z', count: 1, byType: { rating: 1 } },
    ]);
    expect((await t.client.eventStats({ bucket: 'month' })).buckets.map((b) => b.count)).toEqual([4, 3]);
    const auto = await t.client.eventStats();
    expect(auto.bucket).toBe('day');
    expect(auto.buckets).toHaveLength(9);
  });

  it("shows an item's impressions apart from its other events, over its own first..last event", async () => {
    const exposure = await t.client.itemExposure('a', { bucket: 'week' });
    expect(exposure).toEqual({
      itemId: 'a',
      bucket: 'week',
      buckets: [
        { start: '2024-02-19T00:00:00.000Z', impressions: 0, events: 1, byType: { view: 1 } },
        { start: '2024-02-26T00:00:00.000Z', impressions: 3, events: 1, byType: { click: 1, impression: 3 } },
      ],
    });
    expect((await t.client.itemExposure('a')).buckets).toHaveLength(6); // 25 Feb .. 1 Mar, by day
    expect(await t.client.itemExposure('quiet')).toEqual({ itemId: 'quiet', bucket: 'day', buckets: [] });
    expect(await httpRejection(t.client.itemExposure('nope'))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it("pages a user's events newest first with a cursor, filtered by type", async () => {
    const first = await t.client.userEvents('u1', { limit: 2 });
    expect(first.events.map((e) => [e.type, e.timestamp])).toEqual([['impression', '2024-03-01T10:00:00.000Z'], ['click', '2024-02-26T08:00:00.000Z']]);
    expect(first.events[0]).toMatchObject({ userId: 'u1', itemId: 'a', id: expect.any(String) });
    expect(first.next).toEqual(expect.any(String));
    const second = await t.client.userEvents('u1', { limit: 2, cursor: first.next });
    expect(second.events.map((e) => e.type)).toEqual(['view']);
    expect(second.next).toBeUndefined();
    expect((await t.client.userEvents('u1', { types: ['view', 'click'] })).events.map((e) => e.type)).toEqual(['click', 'view']);
    expect(await t.client.userEvents('nobody')).toEqual({ events: [] });
    expect(await httpRejection(t.client.userEvents('stranger'))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('answers 400 for a bad bucket, limit or cursor, and for unknown parameters', async () => {
    const get = (path: string) => fetch(`${t.server.url}${path}`, { headers: { authorization: `Bearer ${ADMIN}` } });
    for (const path of ['/v1/stats/events?bucket=year', '/v1/items/a/exposure?bucket=', '/v1/users/u1/events?limit=0', '/v1/users/u1/events?limit=1001',
      '/v1/users/u1/events?cursor=nope', '/v1/users/u1/events?cursor=azE6bm9zcGFjZQ', '/v1/stats/serving?x=1', '/v1/stats/events?since=2024-01-01']) {
      const res = await get(path);
      expect(res.status, path).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code, path).toBe('INVALID_INPUT');
    }
  });

  it('needs the admin scope: a read key gets 403', async () => {
    for (const call of [() => reader().eventStats(), () => reader().itemExposure('a'), () => reader().userEvents('u1'), () => reader().servingStats()]) {
      expect(await httpRejection(call())).toMatchObject({ status: 403, code: 'FORBIDDEN', details: { scope: 'admin' } });
    }
  });

  it('reports answer times per route pattern (never a URL), with 4xx and 5xx counts, and provider and store health', async () => {
    await t.client.getItem('a');
    await t.client.getItem('b');
    await httpRejection(t.client.getItem('missing'));
    const stats = await t.client.servingStats();
    expect(Date.parse(stats.since)).toBeLessThanOrEqual(Date.now());
    expect(stats.window).toBe(10_000);
    const item = stats.routes.find((r) => r.method === 'GET' && r.route === '/v1/items/:id');
    expect(item).toMatchObject({ count: 3, total: 3, errors: 0, clientErrors: 1 });
    expect(item?.p50Ms).toBeGreaterThanOrEqual(0);
    expect(item?.p99Ms).toBeGreaterThanOrEqual(item?.p50Ms ?? 0);
    expect(JSON.stringify(stats.routes)).not.toContain('missing');
    expect(stats.routes.find((r) => r.route === '/v1/users/:id/events')?.clientErrors).toBeGreaterThan(0);
    expect(stats.store).toEqual({ kind: 'sqlite', ok: true });
    // The default builtin encoder, not used by this server yet: reported from config, no call made to check it.
    expect(stats.providers.embedding).toMatchObject({ id: 'builtin', local: true, ok: true, opened: false, calls: 0, failures: 0, cancelled: 0 });
    expect(stats.providers.llm).toBeNull();
  });
});
