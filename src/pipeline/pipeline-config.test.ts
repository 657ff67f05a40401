import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig, type ConfigInput } from '../config/config.js';
import { DEFAULT_RECALL_CHANNELS, RECALL_CHANNEL_BUDGETS } from '../config/pipeline-section.js';
import { fixedClock } from '../core/clock.js';
import { silentLogger } from '../core/logger.js';
import type { Event, Item } from '../core/types.js';
import { createEngine } from '../engine.js';
import type { Engine } from '../engine-types.js';

const T0 = Date.parse('2024-03-01T00:00:00Z');

function data(): { items: Item[]; events: Event[] } {
  const items: Item[] = Array.from({ length: 12 }, (_, i) => ({ id: `i${i}`, title: `Item ${i}` }));
  const events: Event[] = [];
  for (let u = 0; u < 8; u++) {
    for (let i = 0; i < 6; i++) events.push({ userId: `u${u}`, itemId: `i${(u + i) % 12}`, type: 'like', timestamp: new Date(T0 + (u * 6 + i) * 60_000).toISOString() });
  }
  return { items, events };
}

describe('the pipeline config section drives the request', () => {
  let engine: Engine | undefined;
  afterEach(async () => {
    await engine?.close();
    engine = undefined;
  });

  async function open(pipeline: ConfigInput['pipeline']): Promise<Engine> {
    engine = await createEngine(resolveConfig({ store: { url: 'sqlite://:memory:' }, embeddings: { provider: 'none' }, pipeline }), {
      logger: silentLogger, clock: fixedClock(T0 + 86_400_000),
    });
    const { items, events } = data();
    await engine.upsertItems(items);
    await engine.addEvents(events);
    await engine.train({ model: 'itemknn' });
    return engine;
  }

  it('traces each stage of a personal request by kind, in order', async () => {
    const e = await open({});
    const res = await e.recommend('u0', { count: 3 });
    // long-tail and diversity are on by default and u0's history is long enough for them (care.historyRampStart)
    expect(res.trace.map((t) => `${t.kind}:${t.stage}`)).toEqual([
      'recall:cf:itemknn', 'recall:popular', 'recall:ensemble:als', 'merge:merge', 'filter:availability', 'fuse:learned',
      'rerank:long-tail', 'rerank:diversity', 'rerank:short-term-slot', 'explain:reasons',
    ]);
    expect(res.items).toHaveLength(3);
  });

  it('channels beside the main one do not change a main-first list: they add evidence for fusion, and filler', async () => {
    const lists: string[][] = [];
    for (const recall of [{ cf: RECALL_CHANNEL_BUDGETS.cf, popular: RECALL_CHANNEL_BUDGETS.popular }, RECALL_CHANNEL_BUDGETS]) {
      const e = await open({ recall });
      for (const user of ['u0', 'u3', 'u7']) lists.push((await e.recommend(user, { count: 4 })).items.map((r) => r.itemId));
      await e.close();
      engine = undefined;
    }
    expect(lists.slice(3)).toEqual(lists.slice(0, 3));
  });

  it('runs only the channels config names: without popular, a stranger gets nothing and no popular stage runs', async () => {
    const { popular: _left, ...withoutPopular } = DEFAULT_RECALL_CHANNELS;
    const e = await open({ recall: withoutPopular });
    const res = await e.recommend('stranger', { count: 3 });
    expect(res.items).toEqual([]);
    expect(res.trace.some((t) => t.stage === 'popular')).toBe(false);
    // a user with history is still served by the main model
    expect((await e.recommend('u0', { count: 3 })).items).toHaveLength(3);
  });

  it('a channel\'s quota sets how many candidates it recalls', async () => {
    const e = await open({ recall: { cf: { quota: 1, pad: 0, deadlineMs: 1000 }, popular: { quota: 1, pad: 2, deadlineMs: 1000 } } });
    const res = await e.recommend('stranger', { count: 4 });
    expect(res.trace.find((t) => t.stage === 'popular')?.candidatesOut).toBe(6);
  });

  it('a text query with the query channel turned off is UNSUPPORTED, saying which setting', async () => {
    const { query: _left, ...withoutQuery } = DEFAULT_RECALL_CHANNELS;
    const e = await open({ recall: withoutQuery });
    await expect(e.recommend(undefined, { query: 'anything' })).rejects.toMatchObject({ code: 'UNSUPPORTED', message: expect.stringMatching(/pipeline.recall/) });
  });
});
