import { describe, expect, it } from 'vitest';
import type { Item } from '../../../core/types.js';
import { DAY_MS, liked, NOW_MS, recallFixture } from '../../../testkit/recall-fixture.js';
import { RECALL_CHANNELS } from '../../registry.js';
import { explainStage } from '../explain.js';
import { freshChannel } from './fresh.js';

const signal = new AbortController().signal;
const published = (daysAgo: number) => new Date(NOW_MS - daysAgo * DAY_MS).toISOString();
const items: Item[] = [
  { id: 'h', title: 'Space rocket launch' },
  { id: 'f1', title: 'Rocket launch to the space station', createdAt: published(3) },
  { id: 'f2', title: 'Pasta cooking recipe', createdAt: published(2) },
  { id: 'old', title: 'Space rocket launch history', createdAt: published(400) },
  { id: 'undated', title: 'Space rocket launch pad' },
];
const events = [liked('me', 'h', 1), ...['u1', 'u2'].flatMap((u) => [liked(u, 'h', 5), liked(u, 'f2', 5)]), liked('u3', 'old', 5)];

describe('fresh recall', () => {
  it('recalls only items published within the window, closest in content first', async () => {
    const f = await recallFixture({ items, events, text: true });
    const out = await freshChannel.run({ k: 10, signal }, await f.context('me'));
    if (!Array.isArray(out)) throw new Error('channel degraded');
    expect(out[0].itemId).toBe('f1');
    expect(out.every((c) => ['f1', 'f2'].includes(c.itemId))).toBe(true);
  });

  it('honours windowDays: 2.5 days leaves out what was published 3 days ago', async () => {
    const recap: Item = { id: 'f3', title: 'Space rocket launch recap', createdAt: published(1) };
    const f = await recallFixture({ items: [...items, recap], events, text: true, pipeline: { recall: { fresh: { quota: 3, pad: 0, deadlineMs: 1000, windowDays: 2.5 } } } });
    const out = await freshChannel.run({ k: 10, signal }, await f.context('me'));
    if (!Array.isArray(out)) throw new Error('channel degraded');
    expect(out[0].itemId).toBe('f3');
    expect(out.map((c) => c.itemId)).not.toContain('f1');
  });

  it('says the item is new and like what the user chose', async () => {
    const f = await recallFixture({ items, events, text: true });
    const ctx = await f.context('me');
    const out = await freshChannel.run({ k: 1, signal }, ctx);
    if (!Array.isArray(out)) throw new Error('channel degraded');
    const recs = await explainStage(Object.values(RECALL_CHANNELS)).run(out, ctx);
    expect(Array.isArray(recs) && recs[0].reasons[0]).toMatchObject({ kind: 'fresh', text: 'New, like items you liked "Space rocket launch"', itemIds: ['h'] });
  });

  it('needs a content model: without item embeddings the channel does not apply', async () => {
    const f = await recallFixture({ items, events });
    expect(freshChannel.applies(await f.context('me'))).toBe(false);
  });
});
