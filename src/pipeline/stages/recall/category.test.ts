import { AppendedIds } from '../../../core/ids.js';
import { describe, expect, it } from 'vitest';
import type { Item } from '../../../core/types.js';
import { liked, recallFixture } from '../../../testkit/recall-fixture.js';
import { runPipeline } from '../../pipeline.js';
import { RECALL_CHANNELS, stagesFromConfig } from '../../registry.js';
import type { RecommendContext } from '../../request-context.js';
import { explainStage } from '../explain.js';
import { categoryChannel, labelReason } from './category.js';

const signal = new AbortController().signal;
const item = (id: string, categories: string[]): Item => ({ id, title: id, categories });
const items: Item[] = [
  item('j1', ['Jazz']), item('j2', ['Jazz']), item('r1', ['Rock']), item('r2', ['Rock']), item('c1', ['Classical']),
  item('jm', ['Jazz']), item('rm', ['Rock']),
];
/** Popularity (distinct people): j1 5, j2 2, r1 4, r2 1, c1 3. "me" chose a jazz item 200 days ago and a rock item yesterday. */
const events = [
  ...[1, 2, 3, 4, 5].map((u) => liked(`u${u}`, 'j1', 10)), ...[1, 2].map((u) => liked(`v${u}`, 'j2', 10)),
  ...[1, 2, 3, 4].map((u) => liked(`w${u}`, 'r1', 10)), liked('x1', 'r2', 10), ...[1, 2, 3].map((u) => liked(`y${u}`, 'c1', 10)),
  liked('me', 'jm', 200), liked('me', 'rm', 1),
];

async function recalled(ctx: RecommendContext): Promise<Array<[string, number]>> {
  const out = await categoryChannel.run({ k: 10, signal }, ctx);
  if (!Array.isArray(out)) throw new Error('channel degraded');
  return out.map((c) => [c.itemId, Math.round(c.score * 1000) / 1000]);
}

describe('category recall', () => {
  it('ranks items of the user\'s categories by time-decayed share × log(2 + popularity)', async () => {
    const f = await recallFixture({ items, events });
    // half-life 90 days: jazz (199 days older) weighs 2^(−199/90) of rock
    const jazz = 2 ** (-199 / 90) / (1 + 2 ** (-199 / 90));
    const rock = 1 - jazz;
    const round = (x: number) => Math.round(x * 1000) / 1000;
    expect(await recalled(await f.context('me'))).toEqual([
      ['r1', round(rock * Math.log(6))], ['r2', round(rock * Math.log(3))], ['j1', round(jazz * Math.log(7))], ['j2', round(jazz * Math.log(4))],
    ]);
  });

  it('without decay both categories count alike, so the more popular jazz item leads', async () => {
    const f = await recallFixture({ items, events, pipeline: { recall: { category: { quota: 3, pad: 0, deadlineMs: 1000, halfLifeDays: 0 } } } });
    expect((await recalled(await f.context('me'))).map(([id]) => id)).toEqual(['j1', 'r1', 'j2', 'r2']);
  });

  it('says which of the user\'s categories the item is in', async () => {
    const f = await recallFixture({ items, events });
    const ctx = await f.context('me');
    const out = await categoryChannel.run({ k: 10, signal }, ctx);
    if (!Array.isArray(out)) throw new Error('channel degraded');
    const recs = await explainStage(Object.values(RECALL_CHANNELS)).run(out.slice(0, 3), ctx);
    expect(Array.isArray(recs) && recs.map((r) => r.reasons[0].text)).toEqual([
      'In Rock, which you often pick', 'In Rock, which you often pick', 'In Jazz, which you often pick',
    ]);
    expect(labelReason({ kind: 'tag', name: 'piano' }, 0.25)).toEqual({ kind: 'tag', text: 'Tagged "piano", which you often pick', evidence: [{ kind: 'tag', id: 'piano', value: 0.25 }] });
  });

  it('reads the catalogue once per bundle; items added later are read by id', async () => {
    const f = await recallFixture({ items, events });
    let scans = 0;
    const store = Object.assign(Object.create(f.store) as typeof f.store, {
      scanItems: (opts?: { batchSize?: number }) => {
        scans++;
        return f.store.scanItems(opts);
      },
    });
    const ctx = { ...(await f.context('me')), store };
    await recalled(ctx);
    await f.store.upsertItems([item('r3', ['Rock'])]);
    const log = new AppendedIds(f.bundle.items); // what serving does for an item added after training
    log.append('r3');
    const again = { ...(await f.context('me')), store, bundle: { ...f.bundle, items: log.snapshot(), trained: f.bundle } };
    expect((await recalled(again)).map(([id]) => id)).toContain('r3');
    expect(scans).toBe(1);
  });

  it('a catalogue that cannot be read degrades the channel, and the request goes on', async () => {
    const f = await recallFixture({ items, events });
    const store = Object.assign(Object.create(f.store) as typeof f.store, {
      scanItems: () => { throw new Error('catalogue unreadable'); },
    });
    const ctx = { ...(await f.context('me')), store };
    const { items: list } = await runPipeline(stagesFromConfig(ctx.config.pipeline), ctx);
    expect(list.length).toBe(3);
    expect(ctx.trace.find((t) => t.stage === 'category')?.degraded).toBe('catalogue unreadable');
  });
});
