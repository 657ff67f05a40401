import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/config.js';
import { fixedClock } from '../core/clock.js';
import { silentLogger } from '../core/logger.js';
import { createEngine } from '../engine.js';
import type { Engine } from '../engine-types.js';
import { httpRejection, startShopServer } from '../server/test-server.js';
import { shopCatalogue } from '../testkit/shop-catalogue.js';
import { openShopEngine } from '../testkit/shop-engine.js';
import { IMPRESSION } from './engagement.js';
import { IMPRESSION_SECRET_ARTIFACT, signImpressionToken, verifyImpressionToken } from './impression-token.js';
import { engineOnStore } from '../testkit/engine-on-store.js';

const HOUR = 3_600_000;
const START = Date.parse('2024-02-01T00:00:00Z');
const secret = Buffer.from('a test secret of enough length!!');

describe('impression tokens', () => {
  const payload = { userId: 'u1', itemIds: ['i1', 'i2'], atMs: START };

  it('round-trip: the token gives back the user, items and time of the answer', () => {
    const token = signImpressionToken(secret, payload);
    expect(token).toMatch(/^v1\.[\w-]+\.[\w-]+$/);
    expect(verifyImpressionToken(token, [secret], START + HOUR, 24 * HOUR)).toEqual({ userId: 'u1', itemIds: ['i1', 'i2'], timestamp: '2024-02-01T00:00:00.000Z' });
  });

  it('refuses a token signed with another secret, changed in any part, malformed, expired or from the future', () => {
    const token = signImpressionToken(secret, payload);
    const [v, body, mac] = token.split('.');
    const otherUser = signImpressionToken(Buffer.from('another secret'), { ...payload, userId: 'u2' }).split('.')[1];
    const bad = [
      signImpressionToken(Buffer.from('another secret'), payload), `${v}.${otherUser}.${mac}`, `${v}.${body}.${mac.slice(1)}`,
      `v2.${body}.${mac}`, `${v}.${body}`, '', 'not a token', `${token}.x`,
    ];
    for (const t of bad) expect(() => verifyImpressionToken(t, [secret], START, 24 * HOUR), t).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', details: { path: '/token', field: 'token' } }));
    expect(() => verifyImpressionToken(token, [secret], START + 25 * HOUR, 24 * HOUR)).toThrow(/time window/);
    expect(() => verifyImpressionToken(token, [secret], START - HOUR, 24 * HOUR)).toThrow(/time window/);
    expect(verifyImpressionToken(token, [Buffer.from('old'), secret], START, 24 * HOUR).userId).toBe('u1'); // any known secret
  });
});

describe('impression tokens through the engine (shop fixture)', () => {
  let open: Engine[] = [];
  afterEach(async () => {
    await Promise.all(open.map((e) => e.close()));
    open = [];
  });

  it('a user\'s answer carries a token; posting it records those items at the answer\'s time, once', async () => {
    const { engine, store, clock } = await openShopEngine({}, START);
    open.push(engine);
    const res = await engine.recommend('u0', { count: 5 });
    expect(res.impressionToken).toBeDefined();
    clock.advance(HOUR);
    expect(await engine.recordImpressionToken(res.impressionToken ?? '')).toEqual({ recorded: 5, duplicates: 0 });
    expect(await engine.recordImpressionToken(res.impressionToken ?? '')).toEqual({ recorded: 0, duplicates: 5 });
    const shown = await store.history('u0', { types: [IMPRESSION] });
    expect(shown.map((e) => e.itemId).sort()).toEqual(res.items.map((r) => r.itemId).sort());
    expect(new Set(shown.map((e) => e.timestamp))).toEqual(new Set(['2024-02-01T00:00:00.000Z']));
    clock.advance(24 * HOUR);
    const late = await engine.recommend('u0', { count: 5 });
    clock.advance(25 * HOUR);
    await expect(engine.recordImpressionToken(late.impressionToken ?? '')).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { path: '/token' } });
  });

  it('the recorded tokens feed the fatigue stage like recorded lists', async () => {
    const { engine, clock } = await openShopEngine({ care: { impressionCap: 2 } }, START);
    open.push(engine);
    const first = await engine.recommend('u0', { count: 5 });
    await engine.recordImpressionToken(first.impressionToken ?? '');
    clock.advance(HOUR);
    await engine.recordImpressionToken((await engine.recommend('u0', { count: 5 })).impressionToken ?? '');
    clock.advance(HOUR);
    const rested = (await engine.recommend('u0', { count: 5 })).items.map((r) => r.itemId);
    expect(rested.filter((id) => first.items.some((r) => r.itemId === id))).toEqual([]);
  });

  it('with care.impressionTokenHours 0 answers carry none and a posted token is UNSUPPORTED', async () => {
    const { engine } = await openShopEngine({ care: { impressionTokenHours: 0 } }, START);
    open.push(engine);
    expect((await engine.recommend('u0', { count: 5 })).impressionToken).toBeUndefined();
    await expect(engine.recordImpressionToken(signImpressionToken(secret, { userId: 'u0', itemIds: ['i1'], atMs: START }))).rejects.toMatchObject({ code: 'UNSUPPORTED' });
  });

  it('a configured secret signs instead of the stored one', async () => {
    const { engine, store } = await openShopEngine({ care: { impressionTokenSecret: 'shared by every server' } }, START);
    open.push(engine);
    const own = signImpressionToken(Buffer.from('shared by every server'), { userId: 'u3', itemIds: ['i9'], atMs: START });
    expect(await engine.recordImpressionToken(own)).toEqual({ recorded: 1, duplicates: 0 });
    await engine.recommend('u0', { count: 5 });
    expect(await store.listArtifacts(IMPRESSION_SECRET_ARTIFACT)).toEqual([]);
  });
});

describe('the generated secret is stored once and shared', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kindred-token-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a token made by one engine is accepted by another on the same store, also after a restart', async () => {
    const config = resolveConfig({ store: { url: `sqlite://${join(dir, 'k.db')}` }, log: { level: 'silent' }, train: { thread: 'main' } });
    const deps = { logger: silentLogger, clock: fixedClock(START) };
    const { engine: a, store: aStore } = await engineOnStore(config, deps);
    const { items, events } = shopCatalogue({ items: 30, likes: 8, step: 3 });
    await a.upsertItems(items);
    await a.addEvents(events);
    await a.train({ model: 'itemknn' });
    const b = await createEngine(config, deps);
    try {
      const token = (await a.recommend('u1', { count: 4 })).impressionToken ?? '';
      expect(await b.recordImpressionToken(token)).toEqual({ recorded: 4, duplicates: 0 });
      const fromB = (await b.recommend('u2', { count: 4 })).impressionToken ?? '';
      expect(await a.recordImpressionToken(fromB)).toEqual({ recorded: 4, duplicates: 0 });
      expect(await aStore.listArtifacts(IMPRESSION_SECRET_ARTIFACT)).toHaveLength(1);
    } finally {
      await a.close();
      await b.close();
    }
    const { engine: c, store: cStore } = await engineOnStore(config, deps);
    try {
      expect((await c.recommend('u3', { count: 4 })).impressionToken).toBeDefined();
      expect(await cStore.listArtifacts(IMPRESSION_SECRET_ARTIFACT)).toHaveLength(1);
    } finally {
      await c.close();
    }
  });
});

describe('impression tokens over HTTP', () => {
  it('POST /v1/impressions { token }: 201, then 200 when stored already, 400 naming /token for a forged one', async () => {
    const t = await startShopServer();
    try {
      const res = await t.client.recommend('u0', { count: 5 });
      expect(typeof res.impressionToken).toBe('string');
      expect(await t.client.recordImpressions({ token: res.impressionToken ?? '' })).toEqual({ recorded: 5, duplicates: 0 });
      const again = await fetch(`${t.server.url}/v1/impressions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: res.impressionToken }) });
      expect(again.status).toBe(200);
      const forged = signImpressionToken(Buffer.from('guessed'), { userId: 'u1', itemIds: ['i1'], atMs: Date.now() });
      const err = await httpRejection(t.client.recordImpressions({ token: forged }));
      expect(err.status).toBe(400);
      expect(err.details).toMatchObject({ path: '/token' });
      expect((await httpRejection(t.client.recordImpressions({ token: res.impressionToken ?? '', extra: 1 } as { token: string }))).status).toBe(400);
    } finally {
      await t.close();
    }
  });
});
