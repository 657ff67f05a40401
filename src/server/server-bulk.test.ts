import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Event, Item } from '../core/types.js';
import { httpRejection, startTestServer, type TestServer } from './test-server.js';

function bulkEvents(n: number): Event[] {
  const base = Date.UTC(2024, 0, 1);
  return Array.from({ length: n }, (_, i) => ({
    id: `bulk-${i}`,
    userId: `u${i % 200}`,
    itemId: `i${(i * 7) % 300}`,
    type: 'view',
    timestamp: new Date(base + i * 1000).toISOString(),
  }));
}

describe('bulk writes over HTTP', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => t.close());

  it('rejects a 10,000-event bulk with one malformed row, naming row and field, and writes nothing', async () => {
    const before = await t.client.status();
    const bulk = bulkEvents(10_000);
    bulk[7345] = { ...bulk[7345], timestamp: 'yesterday' };
    const err = await httpRejection(t.client.addEvents(bulk));
    expect(err.status).toBe(400);
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.details).toMatchObject({ path: '/events/7345/timestamp', row: 7345, field: 'timestamp' });
    expect(err.message).toContain('/events/7345/timestamp');
    expect((await t.client.status()).counts).toEqual(before.counts);
  });

  it('accepts the fixed bulk once, then counts every re-sent event as a duplicate', async () => {
    const before = await t.client.status();
    const bulk = bulkEvents(10_000);
    expect(await t.client.addEvents(bulk)).toEqual({ accepted: 10_000, duplicates: 0, repeats: 0, conflicts: 0 });
    expect(await t.client.addEvents(bulk)).toEqual({ accepted: 0, duplicates: 10_000, repeats: 0, conflicts: 0 });
    const after = await t.client.status();
    expect(after.counts.events).toBe(before.counts.events + 10_000);
  });

  it('maps engine-side validation (unknown event type) to 400 with the row', async () => {
    const events: Event[] = [
      { id: 'ok-1', userId: 'u1', itemId: 'i1', type: 'view', timestamp: '2024-02-01T00:00:00Z' },
      { id: 'odd-1', userId: 'u1', itemId: 'i1', type: 'teleport', timestamp: '2024-02-01T00:00:00Z' },
    ];
    const err = await httpRejection(t.client.addEvents(events));
    expect(err).toMatchObject({ status: 400, code: 'INVALID_INPUT', details: { row: 1, field: 'type' } });
  });

  it('round-trips an item, deletes it, then answers 404 for it', async () => {
    const item: Item = { id: 'film/42', title: 'Arrival', tags: ['sci-fi'], attributes: { year: 2016 } };
    expect(await t.client.upsertItems([item])).toEqual({ upserted: 1, merged: 0 });
    expect(await t.client.getItem('film/42')).toMatchObject(item);
    await t.client.deleteItem('film/42');
    expect(await httpRejection(t.client.getItem('film/42'))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect(await httpRejection(t.client.deleteItem('film/42'))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('rejects a bad item or user row without writing the good ones', async () => {
    const before = await t.client.status();
    const items = [{ id: 'good-item' }, { id: 'bad-item', title: 7 }] as unknown as Item[];
    expect(await httpRejection(t.client.upsertItems(items))).toMatchObject({ status: 400, details: { path: '/items/1/title', row: 1, field: 'title' } });
    const err = await httpRejection(t.client.upsertUsers([{ id: 'u-good' }, { id: 'u-bad', email: 'x@y.z' } as never]));
    expect(err.details).toMatchObject({ path: '/users/1/email', row: 1, field: 'email' });
    expect((await t.client.status()).counts).toEqual(before.counts);
  });

  it('answers unknown routes and malformed JSON in the error shape', async () => {
    const notFound = await fetch(`${t.server.url}/v1/nothing-here`);
    expect(notFound.status).toBe(404);
    expect(await notFound.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    const badJson = await fetch(`${t.server.url}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"events": [yesterday' });
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toEqual({ error: { code: 'INVALID_INPUT', message: 'request body is not valid JSON', details: {} } });
  });
});

describe('request limits', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ server: { maxBatch: 100, bodyLimitMb: 1 } });
  });
  afterAll(async () => t.close());

  it('answers 413 for more than server.maxBatch records', async () => {
    expect(await t.client.addEvents(bulkEvents(100))).toEqual({ accepted: 100, duplicates: 0, repeats: 0, conflicts: 0 });
    const err = await httpRejection(t.client.addEvents(bulkEvents(101)));
    expect(err).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE', details: { limit: 100, count: 101 } });
  });

  it('answers 413 for a body above server.bodyLimitMb', async () => {
    const text = 'x'.repeat(60_000);
    const items: Item[] = Array.from({ length: 20 }, (_, i) => ({ id: `big-${i}`, text }));
    expect(await httpRejection(t.client.upsertItems(items))).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    expect((await t.client.status()).counts.items).toBe(0);
  });
});

describe('ids repeated inside one bulk request', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => t.close());

  it('merges items (and users) sent twice: the last version wins and is counted as merged', async () => {
    const res = await t.client.upsertItems([{ id: 'x', title: 'first' }, { id: 'y' }, { id: 'x', title: 'last' }]);
    expect(res).toEqual({ upserted: 2, merged: 1 });
    expect(await t.client.getItem('x')).toEqual({ id: 'x', title: 'last' });
    expect(await t.client.upsertUsers([{ id: 'u', attributes: { a: 1 } }, { id: 'u' }])).toEqual({ upserted: 1, merged: 1 });
    expect(await t.client.getUser('u')).toEqual({ id: 'u' });
  });

  it('counts repeated and conflicting events of one request apart from re-sends of stored ids', async () => {
    const e1: Event = { id: 'e1', userId: 'u', itemId: 'x', type: 'view', timestamp: '2024-01-01T00:00:00Z' };
    const e2: Event = { ...e1, id: 'e2' };
    expect(await t.client.addEvents([e1])).toEqual({ accepted: 1, duplicates: 0, repeats: 0, conflicts: 0 });
    const res = await t.client.addEvents([e1, e2, { ...e2 }, { ...e2, type: 'like' }, { ...e2, timestamp: '2024-06-01T00:00:00Z' }]);
    expect(res).toEqual({ accepted: 1, duplicates: 1, repeats: 1, conflicts: 2 });
    // The first version of e2 is the one stored, once.
    expect((await t.client.status()).counts.events).toBe(2);
  });
});
