import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/config.js';
import { IdIndex } from '../core/ids.js';
import type { Item, ItemId } from '../core/types.js';
import type { ModelBundle } from '../models/model-bundle.js';
import type { Candidate } from '../pipeline/candidates.js';
import type { RecommendContext } from '../pipeline/request-context.js';
import { MemoryStore } from '../storage/memory/memory-store.js';
import { buildLiveProfile } from '../interests/live-profile.js';
import { DEFAULT_EVENT_TYPES } from '../config/schema.js';
import { demotedLabels, labelDemotion, labelFactor, showLessDemotion, type NegativeSettings } from './negative-feedback.js';
import { negativeFeedbackStage } from './negative-feedback-stage.js';

const S: NegativeSettings = { repeat: 2, fade: 0.5, showLessFade: 0.5 };

describe('negative-feedback arithmetic', () => {
  it('labelFactor: 1 below the threshold, then halves per negative (fade 0.5), never 0; repeat 0 turns it off', () => {
    expect([1, 2, 3, 4].map((n) => labelFactor(n, S))).toEqual([1, 0.5, 0.25, 0.125]);
    expect(labelFactor(3, { ...S, repeat: 3, fade: 0.3 })).toBeCloseTo(0.7, 12);
    expect(labelFactor(50, { ...S, fade: 0.99 })).toBeGreaterThan(0);
    expect(labelFactor(9, { ...S, repeat: 0 })).toBe(1);
  });

  it('demotedLabels counts distinct turned-down items per category and per tag, and keeps only those at the threshold', () => {
    const turnedDown: Item[] = [
      { id: 'a', categories: ['Drama'], tags: ['sad'] },
      { id: 'b', categories: ['Drama', 'War'], tags: ['sad'] },
      { id: 'c', categories: ['Drama'], tags: ['Drama'] },
    ];
    const demoted = demotedLabels(turnedDown, S);
    expect([...demoted.values()].map((d) => [d.label.kind, d.label.name, d.negatives, d.factor])).toEqual([
      ['category', 'Drama', 3, 0.25],
      ['tag', 'sad', 2, 0.5],
    ]);
  });

  it('labelDemotion takes the most demoted label of a candidate, not the product', () => {
    const demoted = demotedLabels([{ id: 'a', categories: ['Drama'], tags: ['sad'] }, { id: 'b', categories: ['Drama'], tags: ['sad'] }, { id: 'c', tags: ['sad'] }], S);
    expect(labelDemotion({ id: 'x', categories: ['Drama'], tags: ['sad'] }, demoted)).toBe(0.25); // sad: 3 → 0.25; Drama: 2 → 0.5
    expect(labelDemotion({ id: 'y', categories: ['Comedy'] }, demoted)).toBe(1);
    expect(labelDemotion(undefined, demoted)).toBe(1);
  });

  it('showLessDemotion: 1 − fade × similarity × strength for one item, a noisy-or over several', () => {
    expect(showLessDemotion([0.8], [1], S)).toBeCloseTo(0.6, 12);
    expect(showLessDemotion([0.8], [0.5], S)).toBeCloseTo(0.8, 12);
    expect(showLessDemotion([0.5, 0.5], [1, 1], S)).toBeCloseTo(0.625, 12); // d = 1 − 0.5 × 0.5 = 0.75
    expect(showLessDemotion([1, 1], [1, 1], S)).toBeCloseTo(0.5, 12); // never below 1 − showLessFade
    expect(showLessDemotion([], [], S)).toBe(1);
  });
});

// Eight candidates (list of 4: the pool is all 8), relevance by position 1, 0.875, ..., 0.125.
const genres = ['drama', 'drama', 'drama', 'comedy', 'drama', 'war', 'comedy', 'drama'];
const items: Item[] = genres.map((g, i) => ({ id: `m${i}`, categories: [g] }));
const fused: Candidate[] = items.map((item, i) => ({ itemId: item.id, via: 'cf', score: 10 - i, scores: {}, item }));
const said: Item[] = [
  { id: 'x1', categories: ['drama'] }, { id: 'x2', categories: ['drama'] }, { id: 'x3', categories: ['drama'] }, { id: 'w', categories: ['war'] },
];

async function ctx(negatives: ItemId[], lessLike: ItemId[] = []): Promise<RecommendContext> {
  const store = new MemoryStore();
  await store.upsertItems(said);
  const ids = IdIndex.from([...items, ...said].map((it) => it.id));
  return {
    count: 4, store,
    config: resolveConfig({}),
    profile: { negatives: new Set([...negatives, ...lessLike]), lessLike: new Map(lessLike.map((id) => [id, 1])) },
    bundle: { items: ids, models: { main: { name: 'itemknn' } } } as unknown as ModelBundle,
  } as unknown as RecommendContext;
}
const order = async (c: RecommendContext) => (await negativeFeedbackStage.run(fused, c) as Candidate[]).map((x) => x.itemId);

describe('negative-feedback stage (hand-checked orders)', () => {
  it('does not run without negative signals', async () => {
    expect(negativeFeedbackStage.applies?.(await ctx([]))).toBe(false);
    expect(negativeFeedbackStage.applies?.({ ...(await ctx([])), profile: undefined })).toBe(false);
    expect(negativeFeedbackStage.applies?.(await ctx(['x1']))).toBe(true);
  });

  it('one turned-down drama changes nothing (below care.negativeRepeat 2)', async () => {
    expect(await order(await ctx(['x1']))).toEqual(genres.map((_, i) => `m${i}`));
  });

  it('two turned-down dramas halve the dramas: comedy m3 (0.625) leads, m0 0.5, m1 0.4375, m2 and war m5 tie at 0.375', async () => {
    expect(await order(await ctx(['x1', 'x2']))).toEqual(['m3', 'm0', 'm1', 'm2', 'm5', 'm4', 'm6', 'm7']);
  });

  it('three quarter them: war m5 (0.375) and comedy m6 (0.25) pass the first dramas', async () => {
    expect(await order(await ctx(['x1', 'x2', 'x3']))).toEqual(['m3', 'm5', 'm0', 'm6', 'm1', 'm2', 'm4', 'm7']);
  });

  it('show less like a war film halves the war film (Jaccard similarity 1): m5 0.375 → 0.1875, below m6', async () => {
    expect(await order(await ctx([], ['w']))).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm6', 'm5', 'm7']);
  });

  it('keeps every candidate (demotes, never removes) and leaves the tail beyond 3 × count in order', async () => {
    const c = { ...(await ctx(['x1', 'x2'])), count: 2 }; // pool of 6: m6, m7 stay last
    const out = await order(c);
    expect(out.slice(6)).toEqual(['m6', 'm7']);
    expect([...out].sort()).toEqual(items.map((it) => it.id).sort());
  });
});

describe('live profile: lessLike', () => {
  it('an explicit show_less puts the item in negatives and in lessLike with strength 1; not_interested only in negatives', () => {
    const at = '2024-01-01T00:00:00.000Z';
    const p = buildLiveProfile([
      { id: '1', userId: 'u', itemId: 'a', type: 'show_less', timestamp: at },
      { id: '2', userId: 'u', itemId: 'b', type: 'not_interested', timestamp: at },
      { id: '3', userId: 'u', itemId: 'c', type: 'like', timestamp: at },
    ], undefined, DEFAULT_EVENT_TYPES);
    expect([...p.negatives].sort()).toEqual(['a', 'b']);
    expect([...p.lessLike]).toEqual([['a', 1]]);
  });
});
