import { describe, expect, it } from 'vitest';
import type { Item } from '../../../core/types.js';
import { liked, recallFixture } from '../../../testkit/recall-fixture.js';
import { runPipeline } from '../../pipeline.js';
import { RECALL_CHANNELS, stagesFromConfig } from '../../registry.js';
import { explainStage } from '../explain.js';
import { itemToItemChannel, RECENCY_DECAY } from './item-to-item.js';

const signal = new AbortController().signal;
const items: Item[] = ['a', 'b', 'x', 'y', 'z'].map((id) => ({ id, title: id.toUpperCase() }));

/**
 * Three people chose a and x, three others b and y (so a~x and b~y equally); z is chosen alone by one more.
 * "me" chose a long ago and b lately.
 */
const events = [
  ...['u1', 'u2', 'u3'].flatMap((u) => [liked(u, 'a', 30), liked(u, 'x', 30)]),
  ...['u4', 'u5', 'u6'].flatMap((u) => [liked(u, 'b', 30), liked(u, 'y', 30)]),
  liked('u7', 'z', 30),
  liked('me', 'a', 20),
  liked('me', 'b', 1),
];

describe('item-to-item recall', () => {
  it('recalls the neighbours of the latest events, the latest first (recency weight 0.8 per step back)', async () => {
    const f = await recallFixture({ items, events });
    const ctx = await f.context('me');
    const out = await itemToItemChannel.run({ k: 10, signal }, ctx);
    if (!Array.isArray(out)) throw new Error('channel degraded');
    // a and b are consumed (blocked); z is like nothing
    expect(out.map((c) => c.itemId)).toEqual(['y', 'x']);
    expect(out[1].score / out[0].score).toBeCloseTo(RECENCY_DECAY, 5);
    expect(out[0].scores['item-to-item']).toMatchObject({ rank: 0, as: 'item-to-item' });
  });

  it('names the history item it is a neighbour of, in the words of what the user did', async () => {
    const f = await recallFixture({ items, events });
    const ctx = await f.context('me');
    const out = await itemToItemChannel.run({ k: 10, signal }, ctx);
    if (!Array.isArray(out)) throw new Error('channel degraded');
    const shown = out.map((c) => ({ ...c, item: items.find((it) => it.id === c.itemId) }));
    const recs = await explainStage(Object.values(RECALL_CHANNELS)).run(shown, ctx);
    if (!Array.isArray(recs)) throw new Error('explain degraded');
    expect(recs.map((r) => r.reasons[0])).toMatchObject([
      { kind: 'similar-to', text: 'Because you liked "B"', itemIds: ['b'] },
      { kind: 'similar-to', text: 'Because you liked "A"', itemIds: ['a'] },
    ]);
  });

  it('honours only the last `lastEvents` items', async () => {
    const f = await recallFixture({ items, events, pipeline: { recall: { 'item-to-item': { quota: 3, pad: 0, deadlineMs: 1000, lastEvents: 1 } } } });
    const out = await itemToItemChannel.run({ k: 10, signal }, await f.context('me'));
    expect(Array.isArray(out) && out.map((c) => c.itemId)).toEqual(['y']);
  });

  it('does not apply when the bundle has no item likeness (a main model without neighbours and no item-kNN beside it)', async () => {
    const f = await recallFixture({ items, events });
    const ctx = await f.context('me');
    const { similar: _dropped, ...models } = f.bundle.models;
    const bare = { ...ctx, bundle: { ...f.bundle, models: { ...models, main: f.bundle.models.popular } } };
    expect(itemToItemChannel.applies(bare)).toBe(false);
    const { items: list } = await runPipeline(stagesFromConfig(ctx.config.pipeline), bare);
    expect(list.length).toBe(3);
  });

  it('does not apply to a user without history, and the request goes on', async () => {
    const f = await recallFixture({ items, events });
    const ctx = await f.context('stranger');
    expect(itemToItemChannel.applies(ctx)).toBe(false);
    const { items: list } = await runPipeline(stagesFromConfig(ctx.config.pipeline), ctx);
    expect(list.length).toBe(3);
    expect(ctx.trace.some((t) => t.stage === 'item-to-item')).toBe(false);
  });
});
