import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../config/config.js';
import { fixedClock } from '../../core/clock.js';
import { EngineError } from '../../core/errors.js';
import { silentLogger } from '../../core/logger.js';
import type { Event, Item } from '../../core/types.js';
import { createEngine } from '../../engine.js';
import type { Engine } from '../../engine-types.js';

const T0 = Date.parse('2024-03-01T00:00:00Z');
const iso = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

/** 60 items in two taste groups (even/odd by category); every third item is out of stock; popularity falls with i. */
function shop(): { items: Item[]; events: Event[] } {
  const items: Item[] = [];
  const events: Event[] = [];
  let t = 0;
  for (let i = 0; i < 60; i++) {
    const group = i % 2 === 0 ? 'even' : 'odd';
    items.push({ id: `i${i}`, title: `Item ${i}`, categories: [group], attributes: { price: i, in_stock: i % 3 !== 0 } });
    for (let u = 0; u < 1 + Math.floor((59 - i) / 15); u++) events.push({ userId: `${group}-u${(i + u) % 8}`, itemId: `i${i}`, type: 'like', timestamp: iso(t++) });
  }
  return { items, events };
}

async function errorOf(p: Promise<unknown>): Promise<EngineError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(EngineError);
  return err as EngineError;
}

const num = (id: string) => Number(id.slice(1));

describe('stored scenarios in the engine', () => {
  let engine: Engine | undefined;
  afterEach(async () => {
    await engine?.close();
    engine = undefined;
  });

  async function trained(): Promise<Engine> {
    // A fixed clock: nothing here can pass because a cached scenario expired.
    engine = await createEngine(resolveConfig({ store: { url: 'sqlite://:memory:' }, log: { level: 'silent' } }), { logger: silentLogger, clock: fixedClock(T0 + 86_400_000) });
    const { items, events } = shop();
    await engine.upsertItems(items);
    await engine.addEvents(events);
    await engine.train({ model: 'itemknn' });
    return engine;
  }

  it("a scenario's filter and count shape the list; an explicit count wins", async () => {
    const e = await trained();
    await e.putScenario({ name: 'item-page', filter: 'category = "odd"', count: 4 });
    const res = await e.recommend('even-u0', { scenario: 'item-page' });
    expect(res.items).toHaveLength(4);
    expect(res.items.every((r) => num(r.itemId) % 2 === 1)).toBe(true);
    expect((await e.recommend('even-u0', { scenario: 'item-page', count: 7 })).items).toHaveLength(7);
    const plain = await e.recommend('even-u0');
    expect(plain.items.some((r) => num(r.itemId) % 2 === 0)).toBe(true);
  });

  it('a request filter and the scenario filter both apply', async () => {
    const e = await trained();
    await e.putScenario({ name: 'home', filter: 'category = "odd"', count: 8 });
    const scenarioOnly = await e.recommend('odd-u1', { scenario: 'home' });
    expect(scenarioOnly.items.some((r) => num(r.itemId) % 3 === 0)).toBe(true); // some are out of stock
    const both = await e.recommend('odd-u1', { scenario: 'home', filter: 'in_stock = true' });
    expect(both.items).toHaveLength(8);
    expect(both.items.every((r) => num(r.itemId) % 2 === 1 && num(r.itemId) % 3 !== 0)).toBe(true);
  });

  it('an unknown scenario is NOT_FOUND naming the field, without echoing the value', async () => {
    const e = await trained();
    for (const name of ['email', `x${'y'.repeat(5000)}`, 'Not Valid']) {
      const err = await errorOf(e.recommend('even-u0', { scenario: name }));
      expect(err.code).toBe('NOT_FOUND');
      expect(err.details).toEqual({ field: 'scenario' });
      expect(JSON.stringify({ m: err.message, d: err.details })).not.toContain('yyyy');
    }
    expect((await errorOf(e.similar('i1', { scenario: 'email' }))).code).toBe('NOT_FOUND');
    expect((await errorOf(e.getScenario('email'))).code).toBe('NOT_FOUND');
    expect((await errorOf(e.deleteScenario('email'))).code).toBe('NOT_FOUND');
  });

  it('a put or delete takes effect on the very next request', async () => {
    const e = await trained();
    await e.putScenario({ name: 'email', count: 3 });
    expect((await e.recommend('even-u0', { scenario: 'email' })).items).toHaveLength(3);
    await e.putScenario({ name: 'email', count: 6, filter: 'price >= 30' });
    const next = await e.recommend('even-u0', { scenario: 'email' });
    expect(next.items).toHaveLength(6);
    expect(next.items.every((r) => num(r.itemId) >= 30)).toBe(true);
    expect(await e.listScenarios()).toEqual([{ name: 'email', filter: 'price >= 30', count: 6 }]);
    await e.deleteScenario('email');
    expect((await errorOf(e.recommend('even-u0', { scenario: 'email' }))).code).toBe('NOT_FOUND');
  });

  it("a scenario's recall quotas apply, and its list is never served from the list cache", async () => {
    const e = await trained();
    await e.recommend('even-u0', { count: 4 });
    expect((await e.recommend('even-u0', { count: 4 })).trace.some((t) => t.stage === 'cached-list')).toBe(true);
    const plainCf = (await e.recommend('even-u0', { count: 4, filter: 'price >= 0' })).trace.find((t) => t.stage === 'cf:itemknn');
    expect(plainCf?.candidatesOut).toBeGreaterThan(4);
    await e.putScenario({ name: 'narrow', recall: { cf: { quota: 1, pad: 0 } } });
    const res = await e.recommend('even-u0', { count: 4, scenario: 'narrow' });
    expect(res.trace.some((t) => t.stage === 'cached-list')).toBe(false);
    expect(res.trace.find((t) => t.stage === 'cf:itemknn')?.candidatesOut).toBeLessThanOrEqual(4);
  });

  it('similar applies the scenario filter and count', async () => {
    const e = await trained();
    await e.putScenario({ name: 'item-page', filter: 'in_stock = true', count: 3 });
    const res = await e.similar('i2', { scenario: 'item-page' });
    expect(res.items).toHaveLength(3);
    expect(res.items.every((r) => num(r.itemId) % 3 !== 0)).toBe(true);
  });

  it('rejects a bad scenario on write: filter errors keep their position, limits and channels are checked', async () => {
    const e = await trained();
    const bad = await errorOf(e.putScenario({ name: 'home', filter: 'price < < 5' }));
    expect(bad.code).toBe('INVALID_INPUT');
    expect(bad.details).toMatchObject({ field: 'filter', position: 8 });
    expect((await errorOf(e.putScenario({ name: 'home', count: 1001 }))).details).toMatchObject({ field: 'count', limit: 1000 });
    expect((await errorOf(e.putScenario({ name: 'home', recall: { nearest: { quota: 1 } } }))).details).toMatchObject({ field: 'recall' });
    expect((await errorOf(e.putScenario({ name: 'home', recall: { cf: { quota: 101 } } }))).details).toMatchObject({ path: '/recall/cf/quota' });
    expect((await errorOf(e.putScenario({ name: 'home', colour: 'red' } as never))).details).toMatchObject({ field: 'scenario' });
    expect(await e.listScenarios()).toEqual([]);
  });
});
