import { describe, expect, it } from 'vitest';
import { RECALL_CHANNEL_BUDGETS } from '../../../config/pipeline-section.js';
import type { Event, Item } from '../../../core/types.js';
import { DAY_MS, liked, NOW_MS, recallFixture } from '../../../testkit/recall-fixture.js';
import { runPipeline } from '../../pipeline.js';
import { RECALL_CHANNELS, stagesFromConfig } from '../../registry.js';
import { explainStage } from '../explain.js';
import { trendingChannel, trendingReason, trendingModelOf } from './trending.js';

const signal = new AbortController().signal;
const items: Item[] = ['steady', 'rising', 'faded', 'mine'].map((id) => ({ id, title: id }));

/** `n` new people choosing `item`, `daysAgo` before now (shifted back by `shift` days for an old dataset). */
function people(item: string, n: number, daysAgo: number, shift = 0): Event[] {
  return Array.from({ length: n }, (_, u) => liked(`${item}-${daysAgo}-${u}`, item, daysAgo + shift));
}

function events(shift = 0): Event[] {
  return [
    ...people('steady', 8, 3, shift), ...people('steady', 64, 30, shift), // its usual rate: no rise
    ...people('rising', 4, 2, shift), ...people('rising', 1, 40, shift),
    ...people('faded', 20, 40, shift),
    ...people('mine', 6, 1, shift),
    liked('me', 'mine', 0.5 + shift),
  ];
}

describe('trending recall', () => {
  it('recalls the items that rise most over their baseline, without the user\'s consumed items', async () => {
    const f = await recallFixture({ items, events: events() });
    const ctx = await f.context('me');
    const out = await trendingChannel.run({ k: 10, signal }, ctx);
    expect(Array.isArray(out) && out.map((c) => c.itemId)).toEqual(['rising']);
    const stranger = await trendingChannel.run({ k: 10, signal }, await f.context('stranger'));
    expect(Array.isArray(stranger) && stranger.map((c) => c.itemId)).toEqual(['mine', 'rising']);
  });

  it('says "this week" when the data is current, and names the days it rose in when the data is old', async () => {
    const f = await recallFixture({ items, events: events() });
    const ctx = await f.context('stranger');
    const out = await trendingChannel.run({ k: 10, signal }, ctx);
    if (!Array.isArray(out)) throw new Error('channel degraded');
    const recs = await explainStage(Object.values(RECALL_CHANNELS)).run(out, ctx);
    expect(Array.isArray(recs) && recs.map((r) => r.reasons[0])).toEqual([
      { kind: 'trending', text: 'Trending this week: 7 people chose it', evidence: [expect.objectContaining({ kind: 'stat', id: 'people', value: 7, windowDays: 7 })] },
      { kind: 'trending', text: 'Trending this week: 4 people chose it', evidence: [expect.objectContaining({ kind: 'stat', id: 'people', value: 4, windowDays: 7 })] },
    ]);
    const old = await recallFixture({ items, events: events(400) });
    const model = trendingModelOf(old.bundle);
    if (!model) throw new Error('no trending model');
    const end = new Date(NOW_MS - 400.5 * DAY_MS).toISOString().slice(0, 10);
    expect(trendingReason(model, old.bundle.items.indexOf('rising') ?? -1, NOW_MS).text).toBe(`Rising in the 7 days up to ${end}, our latest activity: 4 people chose it`);
  });

  it('keeps only items reaching the channel\'s minScore', async () => {
    const f = await recallFixture({ items, events: events(), pipeline: { recall: { trending: { quota: 3, pad: 0, deadlineMs: 1000, minScore: 5 } } } });
    const ctx = await f.context('stranger');
    const scores = await trendingChannel.run({ k: 10, signal }, ctx);
    if (!Array.isArray(scores)) throw new Error('channel degraded');
    // mine: 7 recent, no baseline: (7 − 0) / √1; rising: 4 recent, 1 in 56 days before: (4 − 0.125) / √1.125
    expect(scores.map((c) => Math.round(c.score * 100) / 100)).toEqual([7, 3.65]);
    await runPipeline(stagesFromConfig(ctx.config.pipeline), ctx);
    expect(ctx.trace.find((t) => t.stage === 'trending')?.candidatesOut).toBe(1);
  });

  it('does not apply when the bundle has no trending model, and the request goes on', async () => {
    const { trending: _off, ...recall } = RECALL_CHANNEL_BUDGETS;
    const f = await recallFixture({ items, events: events(), pipeline: { recall } });
    const ctx = await f.context('stranger');
    expect(trendingModelOf(f.bundle)).toBeUndefined();
    expect(trendingChannel.applies(ctx)).toBe(false);
  });
});
