import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from './config/config.js';
import { fixedClock } from './core/clock.js';
import { EngineError } from './core/errors.js';
import { silentLogger } from './core/logger.js';
import type { Event, Item } from './core/types.js';
import { createEngine } from './engine.js';
import type { Engine } from './engine-types.js';

const T0 = Date.parse('2024-03-01T00:00:00Z');
const iso = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

/** Two taste groups: sci-fi fans (u0..u5) and romance fans (u6..u11); every user consumes most of their group. */
function tasteGroups(): { items: Item[]; events: Event[] } {
  const items: Item[] = [];
  for (let i = 0; i < 6; i++) items.push({ id: `sf${i}`, title: `Space Saga ${i}`, categories: ['sci-fi'] });
  for (let i = 0; i < 6; i++) items.push({ id: `ro${i}`, title: `Love Story ${i}`, categories: ['romance'] });
  const events: Event[] = [];
  let t = 0;
  for (let u = 0; u < 12; u++) {
    const group = u < 6 ? 'sf' : 'ro';
    for (let i = 0; i < 6; i++) {
      if ((u + i) % 6 === 5) continue; // each user misses one item of their group
      events.push({ userId: `u${u}`, itemId: `${group}${i}`, type: 'like', timestamp: iso(t++) });
    }
  }
  return { items, events };
}

describe('engine', () => {
  let engine: Engine | undefined;
  afterEach(async () => {
    await engine?.close();
    engine = undefined;
  });

  async function open(): Promise<Engine> {
    engine = await createEngine(resolveConfig({ store: { url: 'sqlite://:memory:' }, log: { level: 'silent' } }), {
      logger: silentLogger,
      clock: fixedClock(T0 + 86_400_000),
    });
    return engine;
  }

  it('refuses to recommend before training, with a code saying why', async () => {
    const e = await open();
    await expect(e.recommend('u0')).rejects.toMatchObject({ code: 'NOT_TRAINED' });
  });

  it('recommends within the user\'s taste, excluding what they consumed, with reasons', async () => {
    const e = await open();
    const { items, events } = tasteGroups();
    await e.upsertItems(items);
    await e.addEvents(events);
    await e.train({ model: 'itemknn' });
    const res = await e.recommend('u0', { count: 3 });
    expect(res.personalised).toBe(true);
    const consumed = new Set(events.filter((ev) => ev.userId === 'u0').map((ev) => ev.itemId));
    expect(res.items[0].itemId).toBe('sf5'); // the one sci-fi item u0 has not seen
    for (const r of res.items) {
      expect(consumed.has(r.itemId)).toBe(false);
      expect(r.reasons.length).toBeGreaterThan(0);
    }
    expect(res.items[0].reasons[0].kind).toBe('similar-to');
    expect(res.items[0].reasons[0].text).toMatch(/^Because you liked "Space Saga/);
    expect(res.trace.map((s) => s.stage)).toContain('availability');
  });

  it('gives an unknown user popular items with a reason saying so', async () => {
    const e = await open();
    const { items, events } = tasteGroups();
    await e.upsertItems(items);
    await e.addEvents(events);
    await e.train({ model: 'itemknn' });
    const res = await e.recommend('stranger', { count: 5 });
    expect(res.personalised).toBe(false);
    expect(res.items).toHaveLength(5);
    expect(res.items.every((r) => r.reasons[0].kind === 'cold-start')).toBe(true);
  });

  it('uses new events at once, without retraining', async () => {
    const e = await open();
    const { items, events } = tasteGroups();
    await e.upsertItems(items);
    await e.addEvents(events);
    await e.train({ model: 'itemknn' });
    await e.addEvents([{ userId: 'newbie', itemId: 'ro0', type: 'like', timestamp: iso(1000) }, { userId: 'newbie', itemId: 'ro1', type: 'like', timestamp: iso(1001) }]);
    const res = await e.recommend('newbie', { count: 3 });
    expect(res.personalised).toBe(true);
    expect(res.items.map((r) => r.itemId).every((id) => id.startsWith('ro'))).toBe(true);
  });

  it('never recommends hidden items, explicit excludes or items marked not interested', async () => {
    const e = await open();
    const { items, events } = tasteGroups();
    await e.upsertItems(items);
    await e.addEvents(events);
    await e.train({ model: 'itemknn' });
    await e.upsertItems([{ id: 'sf5', title: 'Space Saga 5', hidden: true }]);
    await e.addEvents([{ userId: 'u0', itemId: 'ro0', type: 'not_interested', timestamp: iso(2000) }]);
    const res = await e.recommend('u0', { count: 8, exclude: ['ro1'] });
    const ids = res.items.map((r) => r.itemId);
    expect(ids).not.toContain('sf5');
    expect(ids).not.toContain('ro0');
    expect(ids).not.toContain('ro1');
  });

  it('rejects unknown event types and malformed events, naming row and field, writing nothing', async () => {
    const e = await open();
    const bad: Event[] = [
      { userId: 'a', itemId: 'x', type: 'like', timestamp: iso(1) },
      { userId: 'a', itemId: 'y', type: 'teleport', timestamp: iso(2) },
    ];
    const err = await e.addEvents(bad).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).details).toMatchObject({ row: 1, path: '/events/1/type' });
    expect((await e.status()).counts.events).toBe(0);
  });

  it('similar items: same-taste items first; unknown item is NOT_FOUND', async () => {
    const e = await open();
    const { items, events } = tasteGroups();
    await e.upsertItems(items);
    await e.addEvents(events);
    await e.train({ model: 'itemknn' });
    const res = await e.similar('sf0', { count: 4 });
    expect(res.items.map((r) => r.itemId).every((id) => id.startsWith('sf') && id !== 'sf0')).toBe(true);
    expect(res.trace.map((t) => [t.stage, t.kind])).toEqual([['similar:itemknn', 'recall'], ['availability', 'filter'], ['reasons', 'explain']]);
    await expect(e.similar('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // An item added since training, with no text: popular items, and the trace and reason say so.
    await e.upsertItems([{ id: 'sf-new' }]);
    const cold = await e.similar('sf-new', { count: 3 });
    expect(cold.trace.map((t) => t.stage)).toEqual(['popular', 'availability', 'reasons']);
    expect(cold.items.map((r) => r.reasons[0].kind)).toEqual(['cold-start', 'cold-start', 'cold-start']);
  });
});
