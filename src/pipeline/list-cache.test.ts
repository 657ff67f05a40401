import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resolveConfig, type ConfigInput } from '../config/config.js';
import { fixedClock } from '../core/clock.js';
import { silentLogger } from '../core/logger.js';
import { createEngine } from '../engine.js';
import { ItemKnnModel } from '../models/itemknn/itemknn.js';
import { tasteGroups } from '../testkit/taste-groups.js';
import type { Engine, RecommendResult } from '../engine-types.js';
import { fromCachedList } from './list-cache.js';
import type { RecommendContext } from './request-context.js';

const T0 = Date.parse('2024-03-01T00:00:00Z');
const iso = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

const cachedHit = (r: RecommendResult) => r.trace.some((t) => t.stage === 'cached-list' && t.cached === true);

describe('precomputed lists in the cache', () => {
  const engines: Engine[] = [];
  let dir: string | undefined;
  afterEach(async () => {
    for (const e of engines.splice(0)) await e.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  async function open(input: ConfigInput = {}, seed = true): Promise<Engine> {
    const config = resolveConfig({ store: { url: 'sqlite://:memory:' }, embeddings: { provider: 'none' }, train: { thread: 'main' }, models: { pollSeconds: 0 }, ...input });
    const engine = await createEngine(config, { logger: silentLogger, clock: fixedClock(T0 + 86_400_000) });
    engines.push(engine);
    if (seed) {
      const { items, events } = tasteGroups(T0);
      await engine.upsertItems(items);
      await engine.addEvents(events);
      await engine.train({ model: 'itemknn' });
    }
    return engine;
  }

  it('serves an inactive user\'s list again from the cache, with the same items and reasons', async () => {
    const e = await open();
    const live = await e.recommend('u0', { count: 5 });
    expect(cachedHit(live)).toBe(false);
    const again = await e.recommend('u0', { count: 5 });
    expect(cachedHit(again)).toBe(true);
    expect(again.trace.map((t) => t.stage)).toEqual(['cached-list', 'availability', 'reasons']);
    expect(again.items).toEqual(live.items);
  });

  it('builds a hit\'s reasons from the credits the live run found, without asking the model again, in memory and in the store', async () => {
    dir = mkdtempSync(join(tmpdir(), 'kindred-list-cache-'));
    for (const cache of [{}, { store: { url: `sqlite://${join(dir, 'k.db')}` }, cache: { url: 'store://' } }]) {
      const e = await open(cache);
      const live = await e.recommend('u0', { count: 5 });
      expect(live.items.some((r) => r.reasons.some((x) => (x.evidence ?? []).some((ev) => ev.kind === 'item')))).toBe(true);
      const explain = vi.spyOn(ItemKnnModel.prototype, 'explain');
      try {
        const again = await e.recommend('u0', { count: 5 });
        expect(cachedHit(again)).toBe(true);
        expect(again.items).toEqual(live.items);
        expect(explain).not.toHaveBeenCalled();
      } finally {
        explain.mockRestore();
      }
    }
  });

  it('keeps the care stages\' reasons on a hit: "for variety" and "less known" come back as the live run gave them', async () => {
    const e = await open({ care: { diversity: 1, novelty: 1, historyRampStart: 0, historyRampFull: 1 } });
    const kinds = (r: RecommendResult) => r.items.flatMap((i) => i.reasons.map((x) => x.kind));
    let seen = 0;
    for (const user of ['u0', 'u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7']) {
      const live = await e.recommend(user, { count: 5 });
      const again = await e.recommend(user, { count: 5 });
      expect(cachedHit(again)).toBe(true);
      expect(again.items).toEqual(live.items);
      seen += kinds(live).filter((k) => k === 'variety' || k === 'less-known').length;
    }
    expect(seen).toBeGreaterThan(0);
  });

  it('computes an active user\'s list live: an event since the list was made counts at once', async () => {
    const e = await open();
    const before = await e.recommend('u0', { count: 5 });
    await e.addEvents([{ userId: 'u0', itemId: before.items[0].itemId, type: 'like', timestamp: iso(1) }]);
    const after = await e.recommend('u0', { count: 5 });
    expect(cachedHit(after)).toBe(false);
    expect(after.items.map((r) => r.itemId)).not.toContain(before.items[0].itemId);
  });

  it('never caches a request with its own excludes or query, or when the config turns caching off', async () => {
    const e = await open();
    await e.recommend('u0', { count: 5, exclude: ['sf1'] });
    expect(cachedHit(await e.recommend('u0', { count: 5, exclude: ['sf1'] }))).toBe(false);
    const off = await open({ pipeline: { cacheLists: false } });
    await off.recommend('u0', { count: 5 });
    expect(cachedHit(await off.recommend('u0', { count: 5 }))).toBe(false);
  });

  it('drops items hidden since the list was made, and still fills the list', async () => {
    const e = await open();
    const first = await e.recommend('u0', { count: 5 });
    await e.upsertItems([{ id: first.items[1].itemId, title: 'gone', hidden: true }]);
    const again = await e.recommend('u0', { count: 5 });
    expect(cachedHit(again)).toBe(true);
    expect(again.items).toHaveLength(5);
    expect(again.items.map((r) => r.itemId)).not.toContain(first.items[1].itemId);
  });

  it('a pipeline config change invalidates exactly the lists that config made', async () => {
    dir = mkdtempSync(join(tmpdir(), 'kindred-list-cache-'));
    const shared: ConfigInput = { store: { url: `sqlite://${join(dir, 'k.db')}` }, cache: { url: 'store://' } };
    const a = await open(shared);
    await a.recommend('u0', { count: 5 });
    await a.recommend('u6', { count: 5 });
    // Another engine on the same store and cache, with one stage setting changed: its digest differs, so it misses.
    const b = await open({ ...shared, pipeline: { coldItemShare: 0.5 } }, false);
    expect(cachedHit(await b.recommend('u0', { count: 5 }))).toBe(false);
    expect(cachedHit(await b.recommend('u0', { count: 5 }))).toBe(true);
    // The same config as the first engine still hits the lists that config made and nothing replaced.
    const c = await open(shared, false);
    expect(cachedHit(await c.recommend('u6', { count: 5 }))).toBe(true);
    expect(cachedHit(await c.recommend('u0', { count: 5 }))).toBe(false);
  });

  it('gives a cached item back its credits and the care stages\' marks, so its reasons are the live ones', () => {
    const ctx = {} as RecommendContext;
    const because = [{ itemId: 'h', weight: 0.5 }];
    expect(fromCachedList({ items: [{ itemId: 'a', score: 1, via: 'popular', because, variety: true, lessKnown: true }], createdAt: '2024-01-01T00:00:00.000Z' }, ctx))
      .toEqual([{ itemId: 'a', via: 'popular', score: 1, scores: { popular: { score: 1, rank: 0, as: 'popular' } }, because, variety: true, lessKnown: true }]);
  });

  it('does not serve a cached list whose items do not say which channel placed them (no reasons could be built)', () => {
    const ctx = {} as RecommendContext;
    expect(fromCachedList({ items: [{ itemId: 'a', score: 1, via: 'popular' }, { itemId: 'b', score: 0.5 }], createdAt: '2024-01-01T00:00:00.000Z' }, ctx)).toBeUndefined();
    expect(fromCachedList({ items: [{ itemId: 'a', score: 1, via: 'popular' }], createdAt: '2024-01-01T00:00:00.000Z' }, ctx))
      .toEqual([{ itemId: 'a', via: 'popular', score: 1, scores: { popular: { score: 1, rank: 0, as: 'popular' } } }]);
  });
});
