import { describe, expect, it } from 'vitest';
import { DEFAULT_EVENT_TYPES } from '../config/schema.js';
import { fixedClock } from '../core/clock.js';
import { silentLogger } from '../core/logger.js';
import type { Event } from '../core/types.js';
import { createRandom } from '../eval/random.js';
import { validateRecords } from '../ingest/validate.js';
import { fromEvents } from '../models/interactions-builder.js';
import { itemKnnDefinition } from '../models/itemknn/itemknn.js';
import type { Model } from '../models/model.js';
import { popularDefinition } from '../models/popular/popular.js';
import { evaluateTopK, type Holdout } from '../testkit/quick-eval.js';
import { generateDemoData, generateDemoDataWithTruth } from './generate.js';

const NOW = Date.UTC(2025, 5, 1, 12);
const clock = fixedClock(NOW);
const { data, truth } = generateDemoDataWithTruth({ seed: 42, clock });
const DAY = 86_400_000;

describe('generateDemoData', () => {
  it('is reproducible for a seed and differs across seeds', () => {
    expect(generateDemoData({ seed: 42, clock, users: 30, items: 60 })).toEqual(generateDemoData({ seed: 42, clock, users: 30, items: 60 }));
    expect(generateDemoData({ seed: 43, clock, users: 30, items: 60 }).events).not.toEqual(generateDemoData({ seed: 42, clock, users: 30, items: 60 }).events);
  });

  it('makes ~600 items, 400 users and ~30k valid, synthetic, time-ordered events', () => {
    expect(data.items).toHaveLength(600);
    expect(data.users).toHaveLength(400);
    expect(data.events.length).toBeGreaterThan(25_000);
    expect(data.events.length).toBeLessThan(38_000);
    expect(() => validateRecords('item', data.items)).not.toThrow();
    expect(() => validateRecords('user', data.users)).not.toThrow();
    expect(() => validateRecords('event', data.events)).not.toThrow();
    expect(data.items.every((i) => i.attributes?.synthetic === true)).toBe(true);
    expect(data.users.every((u) => u.attributes?.synthetic === true)).toBe(true);
    expect(new Set(data.items.map((i) => i.title)).size).toBe(600);
    expect(new Set(data.items.map((i) => i.categories?.[0])).size).toBe(12);
    expect(data.items.every((i) => (i.text ?? '').split('. ').length >= 2 && (i.tags ?? []).length >= 3)).toBe(true);
  });

  it('keeps events inside the window, after publication, on known items and users, in time order', () => {
    const published = new Map(data.items.map((i) => [i.id, Date.parse(i.createdAt as string)]));
    const users = new Set(data.users.map((u) => u.id));
    const broken = data.events.filter((e, i) => {
      const t = Date.parse(e.timestamp);
      const publishedAt = published.get(e.itemId);
      return t < NOW - 90 * DAY || t > NOW || publishedAt === undefined || t < publishedAt || !users.has(e.userId)
        || (i > 0 && e.timestamp < data.events[i - 1].timestamp);
    });
    expect(broken).toEqual([]);
  });

  it('uses the configured event types, including negative feedback and reviews', () => {
    const types = new Map<string, number>();
    for (const e of data.events) types.set(e.type, (types.get(e.type) ?? 0) + 1);
    for (const t of types.keys()) expect(Object.keys(DEFAULT_EVENT_TYPES)).toContain(t);
    for (const t of ['view', 'click', 'cart', 'purchase', 'like', 'rating', 'review', 'not_interested']) expect(types.get(t)).toBeGreaterThan(50);
    expect(data.events.filter((e) => e.type === 'review').every((e) => (e.text ?? '').length > 5)).toBe(true);
    expect(data.events.filter((e) => e.type === 'rating').every((e) => e.value !== undefined && e.value >= 0.5 && e.value <= 5)).toBe(true);
  });

  it('is skewed by popularity: the top 10% of items draw over a quarter of the events', () => {
    const counts = new Map<string, number>();
    for (const e of data.events) counts.set(e.itemId, (counts.get(e.itemId) ?? 0) + 1);
    const sorted = [...counts.values()].sort((a, b) => b - a);
    const top = sorted.slice(0, 60).reduce((s, n) => s + n, 0);
    expect(top / data.events.length).toBeGreaterThan(0.25);
  });

  it('concentrates each reader in their taste genres and puts not_interested on disliked ones', () => {
    const positive = data.events.filter((e) => !DEFAULT_EVENT_TYPES[e.type]?.negative);
    const inTaste = positive.filter((e) => truth.tastesOf.get(e.userId)?.includes(truth.genreOf.get(e.itemId) as string));
    expect(inTaste.length / positive.length).toBeGreaterThan(0.8);
    const notInterested = data.events.filter((e) => e.type === 'not_interested');
    const onDisliked = notInterested.filter((e) => truth.dislikedOf.get(e.userId) === truth.genreOf.get(e.itemId));
    expect(onDisliked.length).toBe(notInterested.length);
  });

  it('is learnable: item-kNN beats popularity on held-out items', async () => {
    const holdout = holdOut(data.events, data.items.map((i) => i.id), 0.2);
    const ctx = { logger: silentLogger, clock };
    const knn = itemKnnDefinition.create(itemKnnDefinition.parseParams({}));
    const popular = popularDefinition.create(popularDefinition.parseParams({}));
    await knn.fit(holdout.train, ctx);
    await popular.fit(holdout.train, ctx);
    const knnQuality = evaluateTopK(knn as Model<object>, holdout, 10);
    const popularQuality = evaluateTopK(popular as Model<object>, holdout, 10);
    // Measured with seed 42: NDCG@10 0.32 for itemknn vs 0.057 for popular; hit rate 0.78 vs 0.33.
    expect(knnQuality.users).toBeGreaterThan(300);
    expect(knnQuality.ndcg).toBeGreaterThan(popularQuality.ndcg * 3);
    expect(knnQuality.hitRate).toBeGreaterThan(popularQuality.hitRate);
  });
});

/** Holds out a random share of each user's positively interacted items (all their events on those items). */
function holdOut(events: Event[], itemIds: string[], fraction: number): Holdout {
  const rng = createRandom(7);
  const itemsOf = new Map<string, Set<string>>();
  for (const e of events) {
    if (DEFAULT_EVENT_TYPES[e.type]?.negative || DEFAULT_EVENT_TYPES[e.type]?.weight === 0) continue;
    let set = itemsOf.get(e.userId);
    if (!set) itemsOf.set(e.userId, (set = new Set()));
    set.add(e.itemId);
  }
  const held = new Map<string, Set<string>>();
  for (const [user, items] of itemsOf) {
    const list = [...items];
    if (list.length < 5) continue;
    const n = Math.max(1, Math.round(list.length * fraction));
    for (let i = 0; i < n; i++) {
      const j = i + rng.int(list.length - i);
      [list[i], list[j]] = [list[j], list[i]];
    }
    held.set(user, new Set(list.slice(0, n)));
  }
  const users = [...itemsOf.keys()];
  const train = fromEvents(events.filter((e) => !held.get(e.userId)?.has(e.itemId)), DEFAULT_EVENT_TYPES, { items: itemIds, users });
  const test = users.map((u) => Int32Array.from([...(held.get(u) ?? [])].map((id) => train.items.indexOf(id) as number)));
  return { train, test };
}
