import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { resolveConfig } from '../config/config.js';
import { fixedClock } from '../core/clock.js';
import { silentLogger } from '../core/logger.js';
import { createEngine } from '../engine.js';
import { importDataset } from '../ingest/importer.js';
import { startTestServer } from '../server/test-server.js';
import { engineOnStore } from '../testkit/engine-on-store.js';
import { shopCatalogue } from '../testkit/shop-catalogue.js';
import { pseudonym, userIdMapper } from './pseudonymous-ids.js';

const KEY = 'test-key-0123456789abcdef';
const RAW = 'alice.smith-77';
const dir = mkdtempSync(join(tmpdir(), 'kindred-pseudo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const configFor = (path: string) => resolveConfig({
  store: { url: `sqlite://${path}` }, embeddings: { provider: 'none' }, train: { thread: 'main' }, log: { level: 'silent' }, privacy: { pseudonymousIds: true },
});
const rawBytesHold = (path: string, s: string) => [path, `${path}-wal`].filter((p) => existsSync(p)).some((p) => readFileSync(p).includes(Buffer.from(s, 'utf8')));

describe('pseudonymous user ids', () => {
  it('pseudonym is a keyed 32-hex-character hash: stable per key, different across keys', () => {
    expect(pseudonym(KEY, RAW)).toMatch(/^[0-9a-f]{32}$/);
    expect(pseudonym(KEY, RAW)).toBe(pseudonym(KEY, RAW));
    expect(pseudonym(`${KEY}x`, RAW)).not.toBe(pseudonym(KEY, RAW));
    expect(userIdMapper(false, undefined)).toBeUndefined();
  });

  it('refuses to start without a key of 16 characters, before creating the store', async () => {
    const path = join(dir, 'nokey.db');
    await expect(createEngine(configFor(path), { logger: silentLogger, idKey: 'short' })).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    expect(existsSync(path)).toBe(false);
  });

  it('the store, models and files hold only the pseudonym; answers carry the id the caller sent', async () => {
    const path = join(dir, 'k.db');
    const { engine, store } = await engineOnStore(configFor(path), { logger: silentLogger, clock: fixedClock(Date.parse('2024-02-01T00:00:00Z')), idKey: KEY });
    const hidden = pseudonym(KEY, RAW);
    try {
      const { items, events } = shopCatalogue({ items: 30, likes: 8, step: 3 });
      await engine.upsertItems(items);
      await engine.upsertUsers([{ id: RAW, attributes: { plan: 'pro' } }]);
      await engine.addEvents([...events, ...['i1', 'i2', 'i3', 'i4'].map((itemId, k) => ({ userId: RAW, itemId, type: 'like', timestamp: `2024-01-2${k}T00:00:00Z` }))]);
      await engine.recordImpressions(RAW, ['i20'], '2024-01-30T00:00:00Z');
      await engine.feedback(RAW, { kind: 'not-interested', itemId: 'i21', at: '2024-01-30T00:00:00Z' });
      await engine.setCarePreferences(RAW, { diversity: 0.2 });
      await engine.train({ model: 'itemknn' });

      expect((await engine.getUser(RAW)).id).toBe(RAW);
      const list = await engine.recommend(RAW, { count: 5 });
      expect(list.userId).toBe(RAW);
      expect(list.items).toHaveLength(5);
      expect(list.items.map((i) => i.itemId)).not.toContain('i21'); // the feedback applies to the pseudonymous user
      expect((await engine.carePreferences(RAW)).userId).toBe(RAW);
      expect((await engine.profile(RAW)).userId).toBe(RAW);
      const data = await engine.exportUser(RAW);
      expect(data.userId).toBe(RAW);
      expect(data.user).toEqual({ id: RAW, attributes: { plan: 'pro' } });
      expect(data.events).toHaveLength(6);
      expect(data.events.every((e) => e.userId === RAW)).toBe(true);
      expect(JSON.stringify(data)).not.toContain(hidden);
      const timeline = await engine.userEvents(RAW, { limit: 4 });
      expect(timeline.events.map((e) => e.id)).toEqual(data.events.slice(0, 4).map((e) => e.id)); // the same newest-first order
      expect(timeline.events.every((e) => e.userId === RAW)).toBe(true);
      expect((await engine.userEvents(RAW, { before: timeline.next })).events).toHaveLength(2);

      expect(await store.getUser(RAW)).toBeUndefined();
      expect((await store.getUser(hidden))?.attributes).toEqual({ plan: 'pro' });
      expect((await engine.listUsers({ limit: 100 })).records.map((u) => u.id)).toContain(hidden); // listings cannot be turned back
      await store.close(); // flushes: the files are complete
      expect(rawBytesHold(path, hidden)).toBe(true);
      expect(rawBytesHold(path, RAW)).toBe(false);
    } finally {
      await engine.close().catch(() => undefined);
    }
  });

  it('erase and import work on pseudonyms too', async () => {
    const path = join(dir, 'erase.db');
    const { engine, store } = await engineOnStore(configFor(path), { logger: silentLogger, idKey: KEY });
    try {
      writeFileSync(join(dir, 'events.jsonl'), `${JSON.stringify({ userId: RAW, itemId: 'i1', type: 'like', timestamp: '2024-01-01T00:00:00Z' })}\n`);
      const report = await importDataset(store, { path: join(dir, 'events.jsonl'), format: 'jsonl', kind: 'event', onError: 'abort', userIds: userIdMapper(true, KEY) });
      expect(report.counts.events).toBe(1);
      expect(await store.history(pseudonym(KEY, RAW))).toHaveLength(1);
      const receipt = await engine.eraseUser(RAW);
      expect(receipt).toMatchObject({ userId: RAW, events: 1, user: true });
      expect(await store.history(pseudonym(KEY, RAW))).toEqual([]);
    } finally {
      await engine.close();
    }
  });

  it('over HTTP: the routes answer with the sent id, the store and the log lines never see it', async () => {
    vi.stubEnv('KINDRED_ID_KEY', KEY);
    const t = await startTestServer({ privacy: { pseudonymousIds: true }, embeddings: { provider: 'none' }, train: { thread: 'main' } });
    vi.unstubAllEnvs();
    try {
      const { items, events } = shopCatalogue({ items: 30, likes: 8, step: 3 });
      await t.client.upsertItems(items);
      await t.client.upsertUsers([{ id: RAW }]);
      await t.client.addEvents([...events, { userId: RAW, itemId: 'i2', type: 'review', value: 1, text: 'Solid.', timestamp: '2024-01-20T00:00:00Z' }]);
      await t.client.train({ model: 'itemknn' });
      expect((await t.client.recommend(RAW, { count: 3 })).userId).toBe(RAW);
      expect((await t.client.exportUser(RAW)).events.map((e) => e.userId)).toEqual([RAW]);
      expect(await t.store.history(RAW)).toEqual([]);
      expect(await t.store.history(pseudonym(KEY, RAW))).toHaveLength(1);
      expect((await t.client.eraseUser(RAW)).userId).toBe(RAW);
      expect(t.logLines.length).toBeGreaterThan(0);
      expect(t.logLines.filter((line) => line.includes(RAW))).toEqual([]);
    } finally {
      await t.close();
    }
  });
});
