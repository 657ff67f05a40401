import { describe, expect, it } from 'vitest';
import type { Item } from '../../../core/types.js';
import { liked, recallFixture } from '../../../testkit/recall-fixture.js';
import { RECALL_CHANNEL_BUDGETS } from '../../../config/pipeline-section.js';
import { runPipeline } from '../../pipeline.js';
import { RECALL_CHANNELS, stagesFromConfig } from '../../registry.js';
import { explainStage } from '../explain.js';
import { decodeBundle, encodeBundle } from '../../../models/model-bundle.js';
import { nextItemChannel, sequentialModelOf } from './next-item.js';

const signal = new AbortController().signal;
const items: Item[] = ['a', 'b', 'c', 'd'].map((id) => ({ id, title: id.toUpperCase() }));

/** Six people went a -> b -> c, in that order; "me" has just chosen a. */
const events = [
  ...['u1', 'u2', 'u3', 'u4', 'u5', 'u6'].flatMap((u) => [liked(u, 'a', 10), liked(u, 'b', 9), liked(u, 'c', 8)]),
  liked('u7', 'd', 5),
  liked('me', 'a', 1),
];

describe('next-item recall', () => {
  it('recalls what usually follows the latest event, the next step first', async () => {
    const f = await recallFixture({ items, events });
    expect(f.bundle.models.sequential?.name).toBe('sequential');
    const ctx = await f.context('me');
    const out = await nextItemChannel.run({ k: 10, signal }, ctx);
    if (!Array.isArray(out)) throw new Error('channel degraded');
    expect(out.map((c) => c.itemId)).toEqual(['b', 'c']);
    const shown = out.map((c) => ({ ...c, item: items.find((it) => it.id === c.itemId) }));
    const recs = await explainStage(Object.values(RECALL_CHANNELS)).run(shown, ctx);
    expect(Array.isArray(recs) && recs[0].reasons[0]).toMatchObject({ kind: 'next-item', text: 'Because you liked "A": people often pick this next', itemIds: ['a'] });
  });

  it('a bundle trained without the channel has no sequential model: the channel does not apply, the request goes on', async () => {
    const { 'next-item': _off, ...recall } = RECALL_CHANNEL_BUDGETS;
    const f = await recallFixture({ items, events, pipeline: { recall } });
    expect(f.bundle.models.sequential).toBeUndefined();
    const ctx = await f.context('me');
    // the request's config turns the channel on, the bundle cannot serve it
    const on = { ...ctx, config: { ...ctx.config, pipeline: { ...ctx.config.pipeline, recall: RECALL_CHANNEL_BUDGETS } } };
    expect(nextItemChannel.applies(on)).toBe(false);
    const { items: list } = await runPipeline(stagesFromConfig(on.config.pipeline), on);
    expect(list.map((r) => r.itemId)).toContain('b');
  });

  it('uses a sequential main model itself, with no second copy in the bundle', async () => {
    const f = await recallFixture({ items, events, model: 'sequential' });
    expect(f.bundle.models.sequential).toBeUndefined();
    const out = await nextItemChannel.run({ k: 1, signal }, await f.context('me'));
    expect(Array.isArray(out) && out.map((c) => c.itemId)).toEqual(['b']);
  });

  it('uses a transformer main model itself: after a comes b', async () => {
    const params = { width: 16, heads: 1, blocks: 1, maxLength: 4, epochs: 60, batchSize: 4, learningRate: 0.01, dropout: 0, negatives: 0 };
    const f = await recallFixture({ items, events, model: 'transformer', params });
    expect(f.bundle.models.sequential).toBeUndefined();
    const out = await nextItemChannel.run({ k: 1, signal }, await f.context('me'));
    expect(Array.isArray(out) && out.map((c) => c.itemId)).toEqual(['b']);
  });
});

describe('next-item in a stored bundle', () => {
  it('the sequential role survives encoding, and a bundle written without it still loads', async () => {
    const f = await recallFixture({ items, events });
    const { version: _v, trainedItems: _t, ...stored } = f.bundle;
    const decoded = decodeBundle(encodeBundle(stored), 2);
    expect(decoded.models.sequential?.name).toBe('sequential');
    const { sequential: _s, trending: _tr, ...older } = stored.models;
    const old = decodeBundle(encodeBundle({ ...stored, models: older }), 1);
    expect(old.models.sequential).toBeUndefined();
    expect(sequentialModelOf(old)).toBeUndefined();
  });
});
