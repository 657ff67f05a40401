import { describe, expect, it } from 'vitest';
import { DEFAULT_EVENT_TYPES } from '../config/schema.js';
import { fixedClock } from '../core/clock.js';
import { silentLogger } from '../core/logger.js';
import type { Item, StoredEvent } from '../core/types.js';
import type { ModelBundle } from '../models/model-bundle.js';
import { itemKnnDefinition } from '../models/itemknn/itemknn.js';
import { popularDefinition } from '../models/popular/popular.js';
import { SemanticModel, semanticDefinition } from '../models/semantic/semantic.js';
import { fromDense } from '../testkit/fixtures.js';
import { catalogueTerms } from './interest-labels.js';
import { buildInterestProfile, type ProfileInput } from './profile.js';
import { DEFAULT_INTEREST_OPTIONS } from './profile-types.js';

const ctx = { logger: silentLogger, clock: fixedClock(0) };
const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);

/** Items i0..i3 are space films (vectors near x), i4..i7 romances (near y); 8 more catalogue items are dramas. */
const ITEMS: Item[] = [
  ...[0, 1, 2, 3].map((i) => ({ id: `i${i}`, title: `Space ${i}`, categories: i === 0 ? ['Sci-Fi', 'Drama'] : ['Sci-Fi'], tags: ['space'] })),
  ...[4, 5, 6, 7].map((i) => ({ id: `i${i}`, title: `Love ${i}`, categories: ['Romance'], tags: ['paris'] })),
  ...[8, 9, 10, 11, 12, 13, 14, 15].map((i) => ({ id: `i${i}`, title: `Drama ${i}`, categories: ['Drama'] })),
];
const JITTER = [0.1, -0.1, 0.05, -0.05];

/** A bundle whose text space holds exactly the vectors above (semantic model, no centring). */
async function textBundle(): Promise<ModelBundle> {
  const data = fromDense([Array.from({ length: 8 }, () => 1)]);
  const embeddings = Float32Array.from(Array.from({ length: 8 }, (_, i) => (i < 4 ? [1, 0, JITTER[i % 4]] : [0, 1, JITTER[i % 4]])).flat());
  const semantic = new SemanticModel(semanticDefinition.parseParams({ center: false }));
  await semantic.fit(data, { ...ctx, content: { embeddings, dimensions: 3 } });
  const popular = popularDefinition.create(popularDefinition.defaults);
  await popular.fit(data, ctx);
  return { version: 1, trainedAt: new Date(T0).toISOString(), users: data.users, items: data.items, trainedItems: 8, models: { main: semantic, popular, semantic } };
}

/** A bundle with no vectors at all: item-kNN over two disjoint groups of users (i0..i3 and i4..i7). */
async function knnBundle(): Promise<ModelBundle> {
  const rows = Array.from({ length: 8 }, (_, u) => Array.from({ length: 8 }, (_, i) => ((i < 4) === (u < 4) && (i + u) % 4 !== 0 ? 1 : 0)));
  const data = fromDense(rows);
  const main = itemKnnDefinition.create(itemKnnDefinition.defaults);
  await main.fit(data, ctx);
  const popular = popularDefinition.create(popularDefinition.defaults);
  await popular.fit(data, ctx);
  return { version: 2, trainedAt: new Date(T0).toISOString(), users: data.users, items: data.items, trainedItems: 8, models: { main, popular } };
}

const rating = (n: number, item: string, day: number, value: number): StoredEvent => ({
  id: `e${n}`, userId: 'u', itemId: item, type: 'rating', value, timestamp: new Date(T0 + day * DAY).toISOString(),
});

async function input(bundle: ModelBundle, history: StoredEvent[], shortWindow = DEFAULT_INTEREST_OPTIONS.shortWindow): Promise<ProfileInput> {
  async function* batches(): AsyncIterable<Item[]> { yield ITEMS; }
  return {
    userId: 'u', history, bundle, items: new Map(ITEMS.map((it) => [it.id, it])), catalogue: await catalogueTerms(batches()),
    types: DEFAULT_EVENT_TYPES, options: { ...DEFAULT_INTEREST_OPTIONS, shortWindow },
  };
}

/** Every item once, same day: space films rated 5, romances 3. */
const bothGroups = (): StoredEvent[] => Array.from({ length: 8 }, (_, i) => rating(i, `i${i}`, 0, i < 4 ? 5 : 3));
const itemsOf = (p: { items: Array<{ itemId: string }> }): string[] => p.items.map((i) => i.itemId).sort();

describe('interest profile on a hand-made catalogue', () => {
  it('splits two clear groups into two interests with the right items, weights and labels', async () => {
    const profile = buildInterestProfile(await input(await textBundle(), bothGroups()));
    expect(profile.space).toEqual({ kind: 'text', source: 'semantic' });
    expect(profile.interests).toHaveLength(2);
    const [space, love] = profile.interests;
    expect(itemsOf(space)).toEqual(['i0', 'i1', 'i2', 'i3']);
    expect(itemsOf(love)).toEqual(['i4', 'i5', 'i6', 'i7']);
    // 4 × 5 against 4 × 3 rating weight
    expect(space.weight).toBeCloseTo(20 / 32, 6);
    expect(love.weight).toBeCloseTo(12 / 32, 6);
    // Sci-Fi and space carry the whole interest and are rare in the catalogue; Drama (1 of 4, common) comes last.
    expect(space.label).toBe('Sci-Fi · space · Drama');
    expect(love.label).toBe('paris · Romance');
    expect(profile.longTerm.vectors.text).toHaveLength(3);
    expect(profile.longTerm.vectors.factors).toBeUndefined();
  });

  it('is deterministic: the same history, in any order, gives the same profile', async () => {
    const bundle = await textBundle();
    const a = buildInterestProfile(await input(bundle, bothGroups()));
    const b = buildInterestProfile(await input(bundle, bothGroups().reverse()));
    expect(b).toEqual(a);
  });

  it('gives a user who switched genres a high drift and a steady user a low one', async () => {
    const bundle = await textBundle();
    // 12 months of space films, then the last 4 events are romances.
    const switcher = [...Array.from({ length: 12 }, (_, n) => rating(n, `i${n % 4}`, n * 30, 5)), ...[4, 5, 6, 7].map((i, n) => rating(20 + n, `i${i}`, 361 + n, 5))];
    // The same dates, alternating space film and romance.
    const steady = Array.from({ length: 16 }, (_, n) => rating(n, `i${n % 2 === 0 ? n % 4 : 4 + (n % 4)}`, n < 12 ? n * 30 : 349 + n, 5));
    const switched = buildInterestProfile(await input(bundle, switcher, 4));
    const stayed = buildInterestProfile(await input(bundle, steady, 4));
    expect(switched.drift).toBeGreaterThan(0.5);
    expect(stayed.drift).toBeLessThan(0.05);
    const romance = switched.interests.find((i) => i.label.includes('Romance'));
    expect(romance?.recentWeight).toBe(1);
    expect(switched.shortTerm).toMatchObject({ events: 4, items: 4, window: 4 });
  });

  it('falls back to item-kNN neighbourhoods when the bundle has no vectors, and returns no vectors', async () => {
    const profile = buildInterestProfile(await input(await knnBundle(), bothGroups()));
    expect(profile.space).toEqual({ kind: 'neighbours', source: 'itemknn' });
    expect(profile.interests.map(itemsOf)).toEqual([['i0', 'i1', 'i2', 'i3'], ['i4', 'i5', 'i6', 'i7']]);
    expect(profile.longTerm.vectors).toEqual({});
    expect(profile.drift).not.toBeNull();
  });
});
