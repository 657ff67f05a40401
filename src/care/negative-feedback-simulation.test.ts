import { afterEach, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../config/config.js';
import { DEFAULT_EVENT_TYPES } from '../config/schema.js';
import { isEngineError } from '../core/errors.js';
import type { Engine } from '../engine-types.js';
import { resolveConfig } from '../config/config.js';
import { silentLogger } from '../core/logger.js';
import { createEngine } from '../engine.js';
import { openShopEngine } from '../testkit/shop-engine.js';
import { genreOf, twoGenres } from '../testkit/two-genres.js';

/** u0's likes are dated 2024-01-01 (shopCatalogue: items i0..i14 are category 'low', i15..i29 'high'). */
const START = Date.parse('2024-02-01T00:00:00Z');
const category = (id: string) => (Number(id.slice(1)) < 15 ? 'low' : 'high');

let open: Engine[] = [];
afterEach(async () => {
  await Promise.all(open.map((e) => e.close()));
  open = [];
});

async function shop(input: ConfigInput = {}, model?: string) {
  const { engine } = await openShopEngine(input, START);
  if (model) await engine.train({ model });
  open.push(engine);
  const ids = async (userId: string, count = 10) => (await engine.recommend(userId, { count })).items.map((r) => r.itemId);
  return { engine, ids };
}

const code = async (p: Promise<unknown>) => p.then(() => 'resolved', (e: unknown) => (isEngineError(e) ? e.code : String(e)));

describe('negative feedback through the engine', () => {
  it('two "not interested" on one category demote its items; one alone only removes the item; taking them back restores the list', async () => {
    const { engine, ids } = await shop();
    const before = await ids('u0');
    const lows = before.filter((id) => category(id) === 'low');
    expect(lows.length).toBeGreaterThanOrEqual(4); // u0 likes i0..i7: their neighbours i8.. are low

    const withoutFirst = (await engine.recommend('u0', { count: 10, exclude: [lows[0]] })).items.map((r) => r.itemId);
    await engine.feedback('u0', { kind: 'not-interested', itemId: lows[0] });
    expect(await ids('u0')).toEqual(withoutFirst); // below care.negativeRepeat: the item goes, nothing is demoted

    await engine.feedback('u0', { kind: 'not-interested', itemId: lows[1] });
    const res = await engine.recommend('u0', { count: 10 });
    const after = res.items.map((r) => r.itemId);
    expect(after).not.toContain(lows[0]);
    expect(after).not.toContain(lows[1]);
    expect(after.filter((id) => category(id) === 'low').length).toBeLessThan(lows.length - 2);
    for (const id of lows.slice(2)) if (after.includes(id)) expect(after.indexOf(id)).toBeGreaterThan(before.indexOf(id));
    expect(res.trace.map((t) => t.stage)).toContain('negative-feedback');

    const listed = await engine.listFeedback('u0');
    expect(listed.feedback.map((f) => f.itemId).sort()).toEqual([lows[0], lows[1]].sort());
    expect(listed.feedback[0].effects.map((e) => e.kind)).toEqual(['item-removed', 'category-demoted']);
    expect(listed.feedback[0].effects[1]).toMatchObject({ name: 'low', negatives: 2, keeps: 0.5 });

    expect(await engine.deleteFeedback('u0', lows[1])).toEqual({ userId: 'u0', itemId: lows[1], removed: 1 });
    expect((await engine.listFeedback('u0')).feedback[0].effects.map((e) => e.kind)).toEqual(['item-removed']);
    await engine.deleteFeedback('u0', lows[0]);
    const back = await engine.recommend('u0', { count: 10 });
    expect(back.items.map((r) => r.itemId)).toEqual(before);
    expect(back.trace.map((t) => t.stage)).not.toContain('negative-feedback');
    expect((await engine.listFeedback('u0')).feedback).toEqual([]);
  });

  it('"dislike" events sent through addEvents count towards a category like "not interested"', async () => {
    const { engine, ids } = await shop();
    const before = await ids('u0');
    const lows = before.filter((id) => category(id) === 'low');
    const at = new Date(START).toISOString();
    await engine.addEvents(lows.slice(0, 2).map((itemId) => ({ userId: 'u0', itemId, type: 'dislike', timestamp: at })));
    expect((await ids('u0')).filter((id) => category(id) === 'low').length).toBeLessThan(lows.length - 2);
  });

  it('"show less like this" on an item removes it and moves its nearest neighbours down (ALS factors); reversal restores the list', async () => {
    const { engine, ids } = await shop({}, 'als');
    const before = await ids('u0', 15);
    const x = before.find((id) => category(id) === 'high');
    if (!x) throw new Error('fixture: u0 has no high item in the list');
    const neighbours = (await engine.similar(x, { count: 10 })).items.map((r) => r.itemId).filter((id) => before.includes(id)).slice(0, 2);
    expect(neighbours.length).toBe(2);

    // The baseline: the list with x merely left out (as "not interested" in x alone would do).
    const without = (await engine.recommend('u0', { count: 15, exclude: [x] })).items.map((r) => r.itemId);
    const entry = await engine.feedback('u0', { kind: 'show-less', itemId: x });
    expect(entry).toMatchObject({ itemId: x, types: ['show_less'], at: new Date(START).toISOString() });
    expect(entry.effects.map((e) => e.kind)).toEqual(['item-removed', 'neighbours-demoted']);
    const after = await ids('u0', 15);
    expect(after).not.toContain(x);
    for (const id of neighbours) expect(after.indexOf(id) === -1 || after.indexOf(id) > without.indexOf(id)).toBe(true);

    await engine.deleteFeedback('u0', x);
    expect(await ids('u0', 15)).toEqual(before);
  });

  it('is a no-op without negative feedback: the same lists as without the stage, and no trace entry', async () => {
    const on = await shop();
    const off = await shop({ pipeline: { rerank: ['fatigue', 'diversity', 'short-term-slot', 'interest-preferences', 'llm-rerank', 'budget'] } });
    for (const user of ['u0', 'u3', 'u7']) {
      const res = await on.engine.recommend(user, { count: 10 });
      expect(res.items.map((r) => r.itemId)).toEqual(await off.ids(user));
      expect(res.trace.map((t) => t.stage)).not.toContain('negative-feedback');
    }
  });

  it('with the stage not named, feedback still removes the item, and the listing says only that', async () => {
    const { engine, ids } = await shop({ pipeline: { rerank: ['fatigue', 'short-term-slot'] } });
    const lows = (await ids('u0')).filter((id) => category(id) === 'low');
    for (const itemId of lows.slice(0, 2)) await engine.feedback('u0', { kind: 'not-interested', itemId });
    expect((await ids('u0'))).not.toContain(lows[0]);
    expect((await engine.listFeedback('u0')).feedback.every((f) => f.effects.map((e) => e.kind).join() === 'item-removed')).toBe(true);
  });

  it('a muted interest stays gone beside feedback, and taking feedback back does not unmute it', async () => {
    const config = resolveConfig({ store: { url: 'memory://' }, embeddings: { provider: 'none' }, train: { thread: 'main' }, log: { level: 'silent' } });
    const engine = await createEngine(config, { logger: silentLogger });
    open.push(engine);
    const { items, events } = twoGenres();
    await engine.upsertItems(items);
    await engine.addEvents(events);
    await engine.train({ model: 'als', params: { factors: 8, iterations: 10 } });
    const shown = async () => (await engine.recommend('fan', { count: 10 })).items.map((r) => r.itemId);
    const sciFi = (await engine.profile('fan')).interests.find((i) => i.label.startsWith('Sci-Fi'));
    await engine.updateProfile('fan', { interests: [{ id: sciFi?.id ?? '', mute: true }] });
    const muted = await shown();
    expect(muted.map(genreOf)).not.toContain('sf');
    expect(muted.length).toBeGreaterThan(2);
    await engine.feedback('fan', { kind: 'not-interested', itemId: muted[0] });
    await engine.feedback('fan', { kind: 'show-less', itemId: muted[1] });
    const during = await shown();
    expect(during.map(genreOf)).not.toContain('sf');
    expect(during).not.toContain(muted[0]);
    expect(during).not.toContain(muted[1]);
    for (const id of [muted[0], muted[1]]) await engine.deleteFeedback('fan', id);
    expect(await shown()).toEqual(muted);
  });

  it('rejects bad feedback: INVALID_INPUT for a bad kind or item id, NOT_FOUND for an unknown item or nothing to take back, UNSUPPORTED without the event type', async () => {
    const { engine } = await shop();
    expect(await code(engine.feedback('u0', { kind: 'hate' as 'show-less', itemId: 'i1' }))).toBe('INVALID_INPUT');
    expect(await code(engine.feedback('u0', { kind: 'show-less', itemId: '' }))).toBe('INVALID_INPUT');
    expect(await code(engine.feedback('u0', { kind: 'show-less', itemId: 'i1', at: 'yesterday' }))).toBe('INVALID_INPUT');
    expect(await code(engine.feedback('u0', { kind: 'show-less', itemId: 'i1', at: new Date('never') }))).toBe('INVALID_INPUT');
    expect(await code(engine.feedback('u0', { kind: 'show-less', itemId: 'nope' }))).toBe('NOT_FOUND');
    expect(await code(engine.deleteFeedback('u0', 'i1'))).toBe('NOT_FOUND');
    const { show_less: _, ...types } = DEFAULT_EVENT_TYPES;
    const bare = await shop({ events: { types } });
    expect(await code(bare.engine.feedback('u0', { kind: 'show-less', itemId: 'i1' }))).toBe('UNSUPPORTED');
  });
});
