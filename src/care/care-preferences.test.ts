import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { resolveConfig, type ConfigInput } from '../config/config.js';
import { fixedClock } from '../core/clock.js';
import { silentLogger } from '../core/logger.js';
import { createEngine } from '../engine.js';
import type { Engine, RecommendResult } from '../engine-types.js';
import { shopCatalogue } from '../testkit/shop-catalogue.js';
import { openShopEngine } from '../testkit/shop-engine.js';
import { engineOnStore } from '../testkit/engine-on-store.js';

const START = Date.parse('2024-02-01T00:00:00Z');
const ids = (r: RecommendResult) => r.items.map((x) => x.itemId);

let open: Engine[] = [];
afterEach(async () => {
  await Promise.all(open.map((e) => e.close()));
  open = [];
});

async function shop(input: ConfigInput = {}) {
  const opened = await openShopEngine({ ...input, care: { diversity: 0, novelty: 0, ...input.care } }, START); // shipped strengths off: each test sets its own
  open.push(opened.engine);
  return opened;
}

describe('stored care preferences change the user\'s list (shop fixture)', () => {
  it('a stored diversity preference changes the list exactly as the same request override does, for that user only', async () => {
    const { engine } = await shop();
    const plain = ids(await engine.recommend('u1', { count: 5 }));
    const overridden = ids(await engine.recommend('u1', { count: 5, care: { diversity: 0.8 } }));
    expect(overridden).not.toEqual(plain); // u1's list is all 'low' items: variety brings 'high' ones in
    const u2Plain = ids(await engine.recommend('u2', { count: 5 }));

    const view = await engine.setCarePreferences('u1', { diversity: 0.8 });
    expect(view).toEqual({ userId: 'u1', preferences: { diversity: 0.8 }, mutedInterests: [] });
    expect(ids(await engine.recommend('u1', { count: 5 }))).toEqual(overridden);
    expect(ids(await engine.recommend('u2', { count: 5 }))).toEqual(u2Plain);
  });

  it('a request override beats the stored preference; clearing the preference (null) brings the plain list back', async () => {
    const { engine } = await shop();
    const plain = ids(await engine.recommend('u0', { count: 5 }));
    const unvaried = ids(await engine.recommend('u0', { count: 5, care: { diversity: 0 } }));
    await engine.setCarePreferences('u0', { diversity: 0.8, gentle: true });
    expect(ids(await engine.recommend('u0', { count: 5, care: { diversity: 0 } }))).toEqual(unvaried);
    const view = await engine.setCarePreferences('u0', { diversity: null });
    expect(view.preferences).toEqual({ gentle: true });
    expect(ids(await engine.recommend('u0', { count: 5 }))).toEqual(plain);
  });

  it('a user with preferences is still served from the list cache, under a key that changes with the preferences', async () => {
    const { engine } = await shop();
    await engine.setCarePreferences('u1', { diversity: 0.8 });
    const first = await engine.recommend('u1', { count: 5 });
    const again = await engine.recommend('u1', { count: 5 });
    expect(again.trace.map((t) => t.stage)).toContain('cached-list');
    expect(ids(again)).toEqual(ids(first));
    await engine.setCarePreferences('u1', { diversity: 0 });
    const changed = await engine.recommend('u1', { count: 5 });
    expect(changed.trace.map((t) => t.stage)).not.toContain('cached-list');
    expect(ids(changed)).not.toEqual(ids(first));
  });

  it('a scenario\'s care applies to that scenario only, under the user\'s own preference', async () => {
    const { engine } = await shop();
    const plain = ids(await engine.recommend('u1', { count: 5 }));
    const varied = ids(await engine.recommend('u1', { count: 5, care: { diversity: 0.8 } }));
    await engine.putScenario({ name: 'discover', care: { diversity: 0.8 } });
    expect(ids(await engine.recommend('u1', { count: 5, scenario: 'discover' }))).toEqual(varied);
    expect(ids(await engine.recommend('u1', { count: 5 }))).toEqual(plain);
    const unvaried = ids(await engine.recommend('u1', { count: 5, care: { diversity: 0 } }));
    await engine.setCarePreferences('u1', { diversity: 0 });
    expect(ids(await engine.recommend('u1', { count: 5, scenario: 'discover' }))).toEqual(unvaried);
  });

  it('rejects an unknown key or a value out of its config range, naming the key; stores nothing', async () => {
    const { engine } = await shop();
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ diversity: 1.5 }, '/diversity'], [{ fatigueAfter: -1 }, '/fatigueAfter'], [{ gentle: 'yes' }, '/gentle'],
      [{ loud: 1 }, '/loud'], [{ dailyBudget: Number.POSITIVE_INFINITY }, '/dailyBudget'],
    ];
    for (const [patch, path] of bad) {
      await expect(engine.setCarePreferences('u0', patch)).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { path } });
    }
    expect((await engine.carePreferences('u0')).preferences).toEqual({});
    await expect(engine.setCarePreferences('u0', { diversity: null }, { replace: true })).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { path: '/diversity' } });
    await expect(engine.carePreferences('nobody')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(engine.setCarePreferences('nobody', { diversity: 0.2 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(engine.putScenario({ name: 's', care: { diversity: 2 } })).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { path: '/care/diversity', field: 'care' } });
    await expect(engine.putScenario({ name: 's', care: { loud: 1 } })).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { path: '/care/loud' } });
  });

  it('replace sets exactly the given preferences', async () => {
    const { engine, store } = await shop();
    await engine.setCarePreferences('u0', { diversity: 0.3, novelty: 0.5 });
    expect((await engine.setCarePreferences('u0', { calibration: 0.2 }, { replace: true })).preferences).toEqual({ calibration: 0.2 });
    expect((await engine.setCarePreferences('u0', {}, { replace: true })).preferences).toEqual({});
    expect(await store.getCarePreferences('u0')).toBeUndefined();
  });
});

describe('fatigue, repeat and budget settings per request, per user and per scenario', () => {
  it('a request\'s impressionCap leaves out the items shown that often; config and other requests keep theirs', async () => {
    const { engine, clock } = await shop();
    const first = await engine.recommend('u0', { count: 5 });
    await engine.recordImpressions('u0', ids(first), new Date(clock.now()));
    clock.advance(60_000);
    const capped = ids(await engine.recommend('u0', { count: 5, care: { impressionCap: 1 } }));
    expect(capped.filter((id) => ids(first).includes(id))).toEqual([]);
    expect(ids(await engine.recommend('u0', { count: 5 }))).toEqual(ids(first)); // one impression: config's cap is 6, fading starts at 3
    await engine.setCarePreferences('u0', { impressionCap: 1 });
    expect(ids(await engine.recommend('u0', { count: 5 }))).toEqual(capped);
    expect(ids(await engine.recommend('u0', { count: 5, care: { impressionCap: 0 } }))).toEqual(ids(first));
  });

  it('a stored repeatAfterDays lets consumed items back; a request\'s 0 keeps them out', async () => {
    const { engine } = await shop();
    const liked = shopCatalogue({ items: 30, likes: 8, step: 3 }).events.filter((e) => e.userId === 'u0').map((e) => e.itemId);
    const overlap = (r: RecommendResult) => ids(r).filter((id) => liked.includes(id)).length;
    expect(overlap(await engine.recommend('u0', { count: 10 }))).toBe(0);
    await engine.setCarePreferences('u0', { repeatAfterDays: 7 }); // u0's likes are a month old at START
    expect(overlap(await engine.recommend('u0', { count: 10 }))).toBeGreaterThan(0);
    expect(overlap(await engine.recommend('u0', { count: 10, care: { repeatAfterDays: 0 } }))).toBe(0);
  });

  it('a stored daily budget holds without the fatigue stage (its own read of the day\'s impressions)', async () => {
    const { engine, clock } = await shop({ pipeline: { rerank: ['budget'] } });
    await engine.setCarePreferences('u0', { dailyBudget: 3 });
    const first = await engine.recommend('u0', { count: 5 });
    expect(first.items).toHaveLength(3);
    await engine.recordImpressions('u0', ids(first), new Date(clock.now()));
    const spent = await engine.recommend('u0', { count: 5 });
    expect(spent.items).toEqual([]);
    expect(spent.notice).toBe('Your daily budget of 3 recommendations is reached: no more for now.');
    expect((await engine.recommend('u1', { count: 5 })).items).toHaveLength(5);
  });

  it('a scenario\'s daily budget applies to that scenario\'s requests', async () => {
    const { engine } = await shop();
    await engine.putScenario({ name: 'email', care: { dailyBudget: 2 } });
    expect((await engine.recommend('u0', { count: 5, scenario: 'email' })).items).toHaveLength(2);
    expect((await engine.recommend('u0', { count: 5 })).items).toHaveLength(5);
  });
});

describe('stored preferences on a SQLite file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kindred-prefs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('survive an engine restart and go with eraseUser', async () => {
    const config = resolveConfig({ store: { url: `sqlite://${join(dir, 'k.db')}` }, log: { level: 'silent' }, train: { thread: 'main' } });
    const deps = { logger: silentLogger, clock: fixedClock(START) };
    const first = await createEngine(config, deps);
    const { items, events } = shopCatalogue({ items: 30, likes: 8, step: 3 });
    await first.upsertItems(items);
    await first.addEvents(events);
    await first.train({ model: 'itemknn' });
    const varied = ids(await first.recommend('u0', { count: 5, care: { diversity: 0.8 } }));
    await first.setCarePreferences('u0', { diversity: 0.8, cooldownHours: 24 });
    await first.close();

    const { engine: second, store } = await engineOnStore(config, deps);
    open.push(second);
    expect((await second.carePreferences('u0')).preferences).toEqual({ diversity: 0.8, cooldownHours: 24 });
    expect(ids(await second.recommend('u0', { count: 5 }))).toEqual(varied);
    await second.eraseUser('u0');
    expect(await store.getCarePreferences('u0')).toBeUndefined();
    await expect(second.carePreferences('u0')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
