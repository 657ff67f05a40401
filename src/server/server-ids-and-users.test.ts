import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Event } from '../core/types.js';
import { httpRejection, startTestServer, type TestServer } from './test-server.js';

/** 200 characters: ASCII, 2-, 3- and 4-byte UTF-8 (up to 12 bytes each once percent-encoded) and URL specials. */
const LONG_ID = `${'a'.repeat(150)}${'é'.repeat(20)}${'漢'.repeat(20)}${'😀'.repeat(5)}/?#% `;

describe('ids of any valid length work on every route', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => t.close());

  it('writes, reads, recommends, lists and deletes a 200-character item and user id', async () => {
    expect([...LONG_ID].length).toBe(200);
    const item = `item-${[...LONG_ID].slice(5).join('')}`;
    const user = `user-${[...LONG_ID].slice(5).join('')}`;
    expect([...item]).toHaveLength(200);
    const items = [item, 'b', 'c', 'd'];
    await t.client.upsertItems(items.map((id) => ({ id, title: `title ${id.length}` })));
    await t.client.upsertUsers([{ id: user }]);
    const events: Event[] = ['u1', 'u2', user].flatMap((u, ui) => items.slice(0, 3 + (ui % 2)).map((i, k) => ({ userId: u, itemId: i, type: 'like', timestamp: `2024-01-0${k + 1}T0${ui}:00:00Z` })));
    await t.client.addEvents(events);
    await t.client.train({ model: 'itemknn' });

    expect((await t.client.getItem(item)).id).toBe(item);
    expect((await t.client.getUser(user)).id).toBe(user);
    expect((await t.client.similar(item, { count: 3 })).itemId).toBe(item);
    expect((await t.client.recommend(user, { count: 3, exclude: [item] })).userId).toBe(user);
    expect((await t.client.listItems({ limit: 10 })).items.map((i) => i.id)).toContain(item);
    await t.client.deleteItem(item);
    expect(await httpRejection(t.client.getItem(item))).toMatchObject({ status: 404 });
    // Three events, one of them on the item deleted above (its events went with it).
    expect(await t.client.eraseUser(user)).toMatchObject({ userId: user, user: true, events: 2 });
  });

  it('applies one limit to ids in bodies and in paths: 256 characters pass, 257 fail with 400', async () => {
    const at = '😀'.repeat(256);
    const over = 'x'.repeat(257);
    expect(await t.client.upsertItems([{ id: at }])).toEqual({ upserted: 1, merged: 0 });
    expect((await t.client.getItem(at)).id).toBe(at);
    expect(await httpRejection(t.client.upsertItems([{ id: over }]))).toMatchObject({ status: 400, details: { row: 0, field: 'id' } });
    expect(await httpRejection(t.client.getItem(over))).toMatchObject({ status: 400, code: 'INVALID_INPUT', details: { in: 'params', field: 'id' } });
  });
});

describe('user records and listings', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => t.close());

  it('GET /v1/users/{id} answers the user record, 404 for an unknown user', async () => {
    await t.client.upsertUsers([{ id: 'ann', attributes: { plan: 'pro' }, consent: { personalisation: true } }]);
    expect(await t.client.getUser('ann')).toEqual({ id: 'ann', attributes: { plan: 'pro' }, consent: { personalisation: true } });
    expect(await httpRejection(t.client.getUser('nobody'))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('DELETE /v1/users/{id} erases the user and their events, answering the report; 404 when nothing existed', async () => {
    await t.client.upsertUsers([{ id: 'bob' }]);
    await t.client.addEvents([1, 2].map((d) => ({ userId: 'bob', itemId: 'x', type: 'view', timestamp: `2024-02-0${d}T00:00:00Z` })));
    await t.client.addEvents([{ userId: 'ghost', itemId: 'x', type: 'view', timestamp: '2024-02-01T00:00:00Z' }]);
    const receipt = await t.client.eraseUser('bob');
    expect(receipt).toMatchObject({ userId: 'bob', events: 2, user: true, profile: false, carePreferences: false, models: { deletedVersions: [], keptVersions: [] }, embeddings: 0 });
    expect(Number.isNaN(Date.parse(receipt.at))).toBe(false);
    expect(await httpRejection(t.client.getUser('bob'))).toMatchObject({ status: 404 });
    // Events without a user record are erased too.
    expect(await t.client.eraseUser('ghost')).toMatchObject({ userId: 'ghost', events: 1, user: false });
    expect(await httpRejection(t.client.eraseUser('bob'))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('pages through items and users in id order with an opaque cursor', async () => {
    const ids = Array.from({ length: 23 }, (_, i) => `it-${String(i).padStart(2, '0')}`);
    await t.client.upsertItems([...ids].reverse().map((id) => ({ id })));
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await t.client.listItems({ limit: 10, cursor });
      seen.push(...page.items.map((i) => i.id));
      cursor = page.next;
      pages++;
    } while (cursor !== undefined);
    expect(seen).toEqual(ids);
    expect(pages).toBe(3);
    const exact = await t.client.listItems({ limit: 23 });
    expect(exact.items).toHaveLength(23);
    expect(exact.next).toBeUndefined();

    await t.client.upsertUsers([{ id: 'zed' }, { id: 'amy' }]);
    const users = await t.client.listUsers({ limit: 2 });
    expect(users.users.map((u) => u.id)).toEqual(['amy', 'ann']);
    expect((await t.client.listUsers({ cursor: users.next })).users.map((u) => u.id)).toEqual(['zed']);
  });

  it('rejects a cursor it did not issue and a limit out of range, naming the parameter', async () => {
    for (const cursor of ['not-a-cursor', 'Zm9v', '%%%']) {
      expect(await httpRejection(t.client.listItems({ cursor }))).toMatchObject({ status: 400, details: { field: 'cursor' } });
    }
    for (const limit of [0, 1001]) expect(await httpRejection(t.client.listUsers({ limit }))).toMatchObject({ status: 400, details: { field: 'limit' } });
  });
});

describe('user export', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => t.close());

  it('GET /v1/users/{id}/export answers everything stored about the user, 404 for an unknown user', async () => {
    await t.client.upsertUsers([{ id: 'cleo', attributes: { email: 'cleo@example.org' } }, { id: 'dan' }]);
    await t.client.addEvents([
      { userId: 'cleo', itemId: 'x', type: 'review', value: 1, text: 'Lovely and warm.', timestamp: '2024-02-01T00:00:00Z' },
      { userId: 'dan', itemId: 'x', type: 'view', timestamp: '2024-02-01T00:00:00Z' },
    ]);
    const data = await t.client.exportUser('cleo');
    expect(data).toMatchObject({ userId: 'cleo', user: { id: 'cleo', attributes: { email: 'cleo@example.org' } }, profile: null, carePreferences: null });
    expect(data.events).toEqual([expect.objectContaining({ userId: 'cleo', itemId: 'x', type: 'review', text: 'Lovely and warm.', timestamp: '2024-02-01T00:00:00.000Z' })]);
    expect(JSON.stringify(data)).not.toContain('dan');
    expect(await httpRejection(t.client.exportUser('nobody'))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });
});
