import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/config.js';
import { DEFAULT_EVENT_TYPES } from '../config/schema.js';
import { IdIndex } from '../core/ids.js';
import type { StoredEvent } from '../core/types.js';
import { buildLiveProfile } from '../interests/live-profile.js';
import { InteractionsBuilder } from '../models/interactions-builder.js';
import { eventToneOf, toneWeight } from './review-tone.js';
import { scoreEventTexts } from './scored-events.js';
import { eventSentiment, textSentiment } from './sentiment.js';

const SETTINGS = { negativeBelow: -0.3, warmBoost: 0.5 };
const NEGATIVE = 'Terrible. It broke after two days, a complete waste of money.';
const WARM = 'I love it, wonderful sound, excellent build.';

describe('toneWeight', () => {
  it('hand-checked: below the threshold the weight drops to 0 and the item is wanted less by −score', () => {
    expect(toneWeight(-0.6, SETTINGS)).toEqual({ factor: 0, lessLike: 0.6 });
    expect(toneWeight(-1, SETTINGS)).toEqual({ factor: 0, lessLike: 1 });
  });

  it('hand-checked: a positive score multiplies by 1 + k · score', () => {
    expect(toneWeight(0.4, SETTINGS)).toEqual({ factor: 1.2, lessLike: 0 });
    expect(toneWeight(0.4, { ...SETTINGS, warmBoost: 0 })).toEqual({ factor: 1, lessLike: 0 });
  });

  it('leaves mildly negative, neutral and unknown scores alone, and −1 turns the negative rule off', () => {
    for (const s of [-0.3, -0.1, 0, undefined]) expect(toneWeight(s, SETTINGS)).toEqual({ factor: 1, lessLike: 0 });
    expect(toneWeight(-1, { ...SETTINGS, negativeBelow: -1 })).toEqual({ factor: 1, lessLike: 0 });
  });

  it('is undefined (no work) when config turns both rules off; the defaults keep the negative rule and no warm boost', () => {
    expect(eventToneOf(resolveConfig({ care: { negativeReviewBelow: -1, warmReviewBoost: 0 } }))).toBeUndefined();
    const byDefault = eventToneOf(resolveConfig({}));
    expect(byDefault?.({ text: 'Terrible. It broke after two days, a complete waste of money.' })?.factor).toBe(0);
    expect(byDefault?.({ text: 'I love it, wonderful sound, excellent build.' })).toEqual({ factor: 1, lessLike: 0 });
  });
});

const ev = (id: string, itemId: string, day: number, text?: string, type = 'rating', value = 5): StoredEvent =>
  ({ id, userId: 'u', itemId, type, value, timestamp: new Date(Date.UTC(2024, 0, day)).toISOString(), ...(text ? { text } : {}) });

describe('live profile with review tone', () => {
  const items = IdIndex.from(['a', 'b', 'c']);
  const tone = eventToneOf(resolveConfig({ care: { warmReviewBoost: 0.5 } }));

  it('a five-star rating with a clearly negative review is no like: out of the row, consumed, in lessLike', () => {
    const history = [ev('e3', 'c', 3, WARM), ev('e2', 'b', 2, NEGATIVE), ev('e1', 'a', 1)]; // newest first
    const p = buildLiveProfile(history, items, DEFAULT_EVENT_TYPES, undefined, tone);
    expect(Array.from(p.row.indices).sort()).toEqual([0, 2]); // a and c; b is gone
    expect(p.consumed.has('b')).toBe(true);
    expect(p.recentItems).not.toContain('b');
    expect(p.lessLike.get('b')).toBeGreaterThan(0.3);
    expect(p.lessLike.has('a')).toBe(false);
    // The warm review strengthens c: 5 stars = weight 5, times 1 + 0.5 · score.
    const c = p.row.values[Array.from(p.row.indices).indexOf(2)];
    const a = p.row.values[Array.from(p.row.indices).indexOf(0)];
    expect(a).toBe(5);
    expect(c).toBeGreaterThan(5.5);
    expect(c).toBeLessThanOrEqual(7.5);
  });

  it("the user's newest review of an item decides: a later warm review takes the item back", () => {
    const history = [ev('w', 'b', 5, WARM, 'review'), ev('n', 'b', 2, NEGATIVE)];
    const p = buildLiveProfile(history, items, DEFAULT_EVENT_TYPES, undefined, tone);
    expect(p.lessLike.size).toBe(0);
    expect(Array.from(p.row.indices)).toEqual([1]);
  });

  it('a negative review drops every positive event of the item (a purchase too), and text in Chinese changes nothing', () => {
    const history = [ev('n', 'b', 3, NEGATIVE, 'review'), ev('p', 'b', 2, undefined, 'purchase'), ev('z', 'a', 1, '这个很糟糕')];
    const p = buildLiveProfile(history, items, DEFAULT_EVENT_TYPES, undefined, tone);
    expect(Array.from(p.row.indices)).toEqual([0]);
    expect(p.row.values[0]).toBe(5); // a's rating, untouched by the unread text
  });

  it('without a tone reader the profile is as before (lessLike empty)', () => {
    const p = buildLiveProfile([ev('n2', 'b', 2, NEGATIVE)], items, DEFAULT_EVENT_TYPES);
    expect(Array.from(p.row.indices)).toEqual([1]);
    expect(p.lessLike.size).toBe(0);
  });
});

describe('training with review tone (events.sentimentWeighting)', () => {
  const events = [ev('t1', 'a', 1, WARM), ev('t2', 'b', 2, NEGATIVE), ev('t3', 'c', 3), ev('t4', 'b', 1, undefined, 'purchase')];
  const tone = eventToneOf(resolveConfig({ care: { warmReviewBoost: 0.5 } }));
  const build = (withTone: boolean) => {
    const builder = new InteractionsBuilder();
    builder.addEvents(events, DEFAULT_EVENT_TYPES, false, withTone ? tone : undefined);
    return builder.build();
  };
  const cell = (data: ReturnType<typeof build>, id: string) => {
    const i = data.items.indexOf(id) ?? -1;
    const p = Array.from(data.matrix.rowIndices(0)).indexOf(i);
    return p < 0 ? undefined : data.matrix.rowData(0)[p];
  };

  it('without tone every positive event counts as before', () => {
    const plain = build(false);
    expect(cell(plain, 'a')).toBe(5);
    expect(cell(plain, 'b')).toBe(10); // rating 5 + purchase 5
    expect(cell(plain, 'c')).toBe(5);
  });

  it("leaves out a cell whose newest review is clearly negative (the purchase too), strengthens a warm one, keeps the rest", () => {
    const data = build(true);
    expect(cell(data, 'b')).toBeUndefined();
    expect(cell(data, 'a')).toBeGreaterThan(5.5);
    expect(cell(data, 'c')).toBe(5);
    const bIndex = data.items.indexOf('b');
    expect(Array.from(data.sequences?.[0] ?? [])).not.toContain(bIndex);
    expect(data.sequences?.[0]).toHaveLength(2);
  });
});

describe('stored scores (SQLite migration 6)', () => {
  const config = resolveConfig({});
  const base = { userId: 'w', itemId: 'x', type: 'review', timestamp: '2024-01-01T00:00:00.000Z' };

  it('scoreEventTexts sets each text\'s score, leaves events without text or signal bare, and never trusts a client score', async () => {
    const input = [
      { ...base, id: 'st-1', text: WARM },
      { ...base, id: 'st-2' },
      { ...base, id: 'st-3', text: '这个产品很好' },
      { ...base, id: 'st-4', text: NEGATIVE, sentiment: 1 },
    ];
    const { events, report } = await scoreEventTexts(input);
    expect(events[0].sentiment).toBe(textSentiment(WARM));
    expect(events[0].sentiment).toBeGreaterThan(0);
    expect('sentiment' in events[1]).toBe(false);
    expect('sentiment' in events[2]).toBe(false);
    expect(events[3].sentiment).toBeLessThan(-0.3); // the forged +1 is replaced by the text's own score
    expect(report).toEqual({ texts: 3, scored: 2 });
    expect(input[0]).not.toHaveProperty('sentiment'); // copies: the caller's objects are untouched
  });

  it('the stored score wins over the text, in live profiles and in training', () => {
    // A warm text whose stored score says clearly negative: only the stored score can have made the item drop out.
    const stored: StoredEvent = { ...base, id: 'st-5', itemId: 'b', type: 'rating', value: 5, text: WARM, sentiment: -0.8 };
    expect(eventSentiment(stored)).toBe(-0.8);
    const tone = eventToneOf(config);
    const items = IdIndex.from(['a', 'b']);
    const p = buildLiveProfile([stored], items, DEFAULT_EVENT_TYPES, undefined, tone);
    expect(p.lessLike.get('b')).toBeCloseTo(0.8, 6);
    expect(p.row.indices).toHaveLength(0);
    const builder = new InteractionsBuilder();
    builder.addEvents([stored, { ...base, id: 'st-6', itemId: 'a', type: 'rating', value: 5 }], DEFAULT_EVENT_TYPES, false, tone);
    const data = builder.build();
    expect(Array.from(data.matrix.rowIndices(0))).toEqual([data.items.indexOf('a')]);
  });
});
