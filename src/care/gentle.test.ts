import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/config.js';
import type { Item, StoredEvent } from '../core/types.js';
import type { ModelBundle } from '../models/model-bundle.js';
import type { Candidate } from '../pipeline/candidates.js';
import type { RecommendContext } from '../pipeline/request-context.js';
import { httpRejection, startTestServer, type TestServer } from '../server/test-server.js';
import { shopCatalogue } from '../testkit/shop-catalogue.js';
import { gentleOrder, ItemToneMemo, recentMood } from './gentle.js';
import { gentleStage } from './gentle-stage.js';
import { textSentiment } from './sentiment.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2025, 5, 30);
const SAD = 'I feel awful and hopeless, everything is terrible and sad.';
const GRIM = 'A horrifying story of murder, torture and death: brutal, hopeless and devastating.';
const HAPPY = 'A delightful, warm and funny comedy.';

const text = (id: string, daysAgo: number, t?: string): StoredEvent =>
  ({ id, userId: 'u', itemId: `i-${id}`, type: 'review', timestamp: new Date(NOW - daysAgo * DAY).toISOString(), ...(t ? { text: t } : {}) });

describe('recentMood', () => {
  it('hand-checked: the mean score of the texts inside the window; events without text or signal are skipped', () => {
    const history = [text('a', 1, SAD), text('b', 2), text('c', 3, '我很难过'), text('d', 4, HAPPY), text('e', 30, SAD)];
    const expected = ((textSentiment(SAD) ?? 0) + (textSentiment(HAPPY) ?? 0)) / 2;
    expect(recentMood(history, NOW - 14 * DAY)).toBeCloseTo(expected, 10);
  });

  it('is undefined without a scored text in the window', () => {
    expect(recentMood([text('f', 1), text('g', 2, '很难过'), text('h', 40, SAD)], NOW - 14 * DAY)).toBeUndefined();
  });
});

describe('gentleOrder and the item tone memo', () => {
  it('moves the distressing items after the others, each group keeping its order', () => {
    expect(gentleOrder(['a', 'B', 'c', 'D', 'e'], (x) => x === x.toUpperCase())).toEqual(['a', 'c', 'e', 'B', 'D']);
  });

  it('scores an item once per model version', () => {
    const memo = new ItemToneMemo();
    const v1 = {};
    const item: Item = { id: 'x', title: 'War', text: GRIM };
    const first = memo.toneOf(v1, item);
    expect(first).toBeLessThan(-0.4);
    // Same version: the memo answers, even if the record changed since; a new version reads the new text.
    expect(memo.toneOf(v1, { ...item, text: HAPPY })).toBe(first);
    expect(memo.toneOf({}, { ...item, title: 'Fun', text: HAPPY })).toBeGreaterThan(0);
  });
});

const items: Item[] = [
  { id: 'm0', title: 'Grim', text: GRIM }, { id: 'm1', title: 'Happy', text: HAPPY }, { id: 'm2', title: 'Catalogue item' },
  { id: 'm3', title: 'Grim too', text: GRIM }, { id: 'm4', title: 'Happy too', text: HAPPY }, { id: 'm5', title: 'Grim three', text: GRIM },
];
const fused: Candidate[] = items.map((item, i) => ({ itemId: item.id, via: 'cf', score: 10 - i, scores: {}, item }));

function ctx(care: Record<string, unknown>, history: StoredEvent[], override?: RecommendContext['care'], count = 1): RecommendContext {
  return {
    count, care: override, history, trace: [],
    clock: { now: () => NOW },
    config: resolveConfig({ care }),
    bundle: {} as unknown as ModelBundle,
  } as unknown as RecommendContext;
}
const sad = [text('s1', 1, SAD), text('s2', 3, SAD)];
const cheerful = [text('c1', 1, HAPPY)];

describe('gentle stage', () => {
  it('is not run when off (the default), nor when the recent mood is not low, nor without texts', () => {
    expect(gentleStage.applies?.(ctx({}, sad))).toBe(false);
    expect(gentleStage.applies?.(ctx({ gentle: true }, cheerful))).toBe(false);
    expect(gentleStage.applies?.(ctx({ gentle: true }, []))).toBe(false);
    expect(gentleStage.applies?.(ctx({ gentle: true }, [text('old', 30, SAD)]))).toBe(false); // outside the 14-day window
    expect(gentleStage.applies?.(ctx({ gentle: true }, sad))).toBe(true);
  });

  it("a request's own gentle flag overrides config", () => {
    expect(gentleStage.applies?.(ctx({}, sad, { gentle: true }))).toBe(true);
    expect(gentleStage.applies?.(ctx({ gentle: true }, sad, { gentle: false }))).toBe(false);
  });

  it('moves distressing items below the others within the first 3 × count candidates, adds no reason, removes nothing', async () => {
    const out = await gentleStage.run(fused, ctx({ gentle: true }, sad, undefined, 1)) as Candidate[];
    // Pool of 3: m0 (grim) goes below m1 and m2; m3..m5 are outside the pool and keep their places.
    expect(out.map((c) => c.itemId)).toEqual(['m1', 'm2', 'm0', 'm3', 'm4', 'm5']);
    const all = await gentleStage.run(fused, ctx({ gentle: true }, sad, undefined, 2)) as Candidate[];
    expect(all.map((c) => c.itemId)).toEqual(['m1', 'm2', 'm4', 'm0', 'm3', 'm5']);
    expect(all.every((c) => c.variety === undefined)).toBe(true);
  });

  it('a stricter threshold finds nothing distressing and keeps the order', async () => {
    const out = await gentleStage.run(fused, ctx({ gentle: true, distressingBelow: -1 }, sad, undefined, 2)) as Candidate[];
    expect(out.map((c) => c.itemId)).toEqual(fused.map((c) => c.itemId));
  });
});

describe('gentle mode over HTTP', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({});
    const { items: shop, events } = shopCatalogue({ items: 30, likes: 8, step: 3 });
    // Every third item's text is grim; the rest are cheerful.
    await t.client.upsertItems(shop.map((it, i) => ({ ...it, text: i % 3 === 0 ? GRIM : HAPPY })));
    await t.client.addEvents(events);
    await t.client.train({ model: 'itemknn' });
    // u0 wrote two sad comments today (about items they had liked).
    const now = new Date().toISOString();
    await t.client.addEvents([
      { userId: 'u0', itemId: 'i0', type: 'review', timestamp: now, text: SAD },
      { userId: 'u0', itemId: 'i1', type: 'review', timestamp: now, text: SAD },
    ]);
  });
  afterAll(async () => t.close());

  it('?gentle=true moves grim items down for a user whose recent texts are sad, and traces the stage', async () => {
    const plain = await t.client.recommend('u0', { count: 6 });
    expect(plain.trace.map((s) => s.stage)).not.toContain('gentle');
    const grimShown = (ids: string[]) => ids.filter((id) => Number(id.slice(1)) % 3 === 0).length;
    expect(grimShown(plain.items.map((r) => r.itemId))).toBeGreaterThan(0);
    const gentle = await t.client.recommend('u0', { count: 6, care: { gentle: true } });
    expect(gentle.trace.filter((s) => s.kind === 'rerank').map((s) => s.stage)).toContain('gentle');
    expect(grimShown(gentle.items.map((r) => r.itemId))).toBeLessThan(grimShown(plain.items.map((r) => r.itemId)));
    // A user without sad texts is left alone.
    const other = await t.client.recommend('u5', { count: 6, care: { gentle: true } });
    expect(other.trace.map((s) => s.stage)).not.toContain('gentle');
  });

  it('answers 400 when gentle is not true or false', async () => {
    const res = await fetch(`${t.server.url}/v1/users/u0/recommendations?gentle=maybe`);
    expect(res.status).toBe(400);
    const err = await httpRejection(t.client.recommend('u0', { care: { gentle: 'yes' as unknown as boolean } }));
    expect(err.status).toBe(400);
    await expect(t.engine.recommend('u0', { care: { gentle: 'yes' as unknown as boolean } })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
