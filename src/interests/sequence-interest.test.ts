import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_EVENT_TYPES } from '../config/schema.js';
import { fixedClock } from '../core/clock.js';
import { silentLogger } from '../core/logger.js';
import type { Item, StoredEvent } from '../core/types.js';
import { InteractionsBuilder } from '../models/interactions-builder.js';
import { itemKnnDefinition } from '../models/itemknn/itemknn.js';
import type { ModelBundle } from '../models/model-bundle.js';
import { popularDefinition } from '../models/popular/popular.js';
import { transformerDefinition } from '../models/transformer/transformer.js';
import { catalogueTerms } from './interest-labels.js';
import { buildInterestProfile, type ProfileInput } from './profile.js';
import type { InterestPreferences } from './profile-preferences.js';
import { DEFAULT_INTEREST_OPTIONS } from './profile-types.js';
import { predictFromSequence, SEQUENCE_ITEMS, sequenceWithPreferences, SHOWN_SEQUENCE_ITEMS } from './sequence-interest.js';

const ctx = { logger: silentLogger, clock: fixedClock(0), seed: 5 };
const T0 = Date.UTC(2024, 0, 1);
const N = 12;
/** Even items are space films, odd ones romances: the cycle alternates, so the label says which comes next. */
const ITEMS: Item[] = Array.from({ length: N }, (_, i) => (i % 2 === 0
  ? { id: `i${i}`, title: `Space ${i}`, categories: ['Sci-Fi'] }
  : { id: `i${i}`, title: `Love ${i}`, categories: ['Romance'] }));

/** Users walking the cycle i0 → i1 → … → i11 → i0 (item i is always followed by i + 1 mod 12), each from elsewhere. */
async function bundleWith(main: 'transformer' | 'itemknn'): Promise<ModelBundle> {
  const b = new InteractionsBuilder({ items: ITEMS.map((it) => it.id) });
  for (let u = 0; u < 30; u++) for (let step = 0; step < 10; step++) b.add(`u${u}`, `i${(u * 5 + step) % N}`, 1, T0 + step * 60_000);
  const data = b.build();
  // the plain next-item loss (targetWindow 1): the prediction, and so its label, is the next item's alone
  const model = main === 'transformer'
    ? transformerDefinition.create(transformerDefinition.parseParams({ width: 16, heads: 2, blocks: 1, maxLength: 8, epochs: 40, batchSize: 8, learningRate: 0.01, dropout: 0.1, negatives: 0, targetWindow: 1 }))
    : itemKnnDefinition.create(itemKnnDefinition.defaults);
  await model.fit(data, ctx);
  const popular = popularDefinition.create(popularDefinition.defaults);
  await popular.fit(data, ctx);
  return { version: 1, trainedAt: new Date(T0).toISOString(), users: data.users, items: data.items, trainedItems: N, models: { main: model, popular } };
}

/** A history of ratings on `items` in that order (returned newest first, as Store.history gives it). */
function history(...items: string[]): StoredEvent[] {
  return items.map((itemId, n) => ({ id: `e${n}`, userId: 'u', itemId, type: 'rating', value: 5, timestamp: new Date(T0 + n * 3_600_000).toISOString() })).reverse();
}

async function input(bundle: ModelBundle, events: StoredEvent[]): Promise<ProfileInput> {
  async function* batches(): AsyncIterable<Item[]> { yield ITEMS; }
  return {
    userId: 'u', history: events, bundle, items: new Map(ITEMS.map((it) => [it.id, it])), catalogue: await catalogueTerms(batches()),
    types: DEFAULT_EVENT_TYPES, options: DEFAULT_INTEREST_OPTIONS,
  };
}

describe('short-term interest from the transformer', () => {
  let transformer: ModelBundle;
  beforeAll(async () => {
    transformer = await bundleWith('transformer');
  });

  it('points at what the sequence predicts: after i6, i7, i8 the next item is i9, a romance', async () => {
    const profile = buildInterestProfile(await input(transformer, history('i6', 'i7', 'i8')));
    const next = profile.shortTerm.next;
    expect(next).toBeDefined();
    expect(next?.model).toBe('transformer');
    expect(next?.items[0]).toMatchObject({ itemId: 'i9', title: 'Love 9' });
    expect(next?.items.map((i) => i.itemId)).not.toContain('i8'); // consumed items are not predicted
    expect(next?.items.length).toBe(Math.min(SEQUENCE_ITEMS, N - 3)); // every item not consumed, up to 10
    expect(next?.items[0].weight).toBeGreaterThan(0.5); // the model is sure of the cycle
    expect(next?.label).toBe('Romance');
    expect(profile.shortTerm.vectors.sequence).toHaveLength(16);
    // the same state the model serves: its dot product with i9's embedding is i9's score
    const row = { indices: Int32Array.of(6, 7, 8), values: Float32Array.of(1, 1, 1) };
    const vector = (transformer.models.main as unknown as { interestVector(r: typeof row): Float32Array }).interestVector(row);
    expect(profile.shortTerm.vectors.sequence?.[0]).toBeCloseTo(vector[0], 5);
  });

  it('follows the latest events: the same items in another order predict another next item', async () => {
    const profile = buildInterestProfile(await input(transformer, history('i7', 'i8', 'i3')));
    expect(profile.shortTerm.next?.items[0].itemId).toBe('i4');
    expect(profile.shortTerm.next?.label).toBe('Sci-Fi');
  });

  it('falls back to the window of recent events without a sequence model, and without a positive event', async () => {
    const knn = await bundleWith('itemknn');
    const plain = buildInterestProfile(await input(knn, history('i6', 'i7', 'i8')));
    expect(plain.shortTerm.next).toBeUndefined();
    expect(plain.shortTerm.vectors.sequence).toBeUndefined();
    expect(plain.shortTerm.top.map((t) => t.itemId)).toEqual(['i8', 'i7', 'i6']);
    const impressionsOnly = history('i6').map((e) => ({ ...e, type: 'impression' }));
    expect(predictFromSequence(transformer, impressionsOnly, DEFAULT_EVENT_TYPES)).toBeUndefined();
    expect(buildInterestProfile(await input(transformer, [])).shortTerm.next).toBeUndefined();
  });

  it('serves the prediction with the user\'s mutes and boosts: muted interests\' items out, boosted ones up', async () => {
    const profile = buildInterestProfile(await input(transformer, history('i6', 'i7', 'i8')));
    const ids = profile.shortTerm.next?.items.map((i) => i.itemId) ?? [];
    const genreOf = (id: string): string => (Number(id.slice(1)) % 2 === 0 ? 'space' : 'love');
    const prefs = (muted: string[], boosts: Array<[string, number]> = []): InterestPreferences => ({ interestOf: genreOf, muted: new Set(muted), boosts: new Map(boosts) });

    const asIs = sequenceWithPreferences(profile, undefined).shortTerm.next?.items.map((i) => i.itemId);
    expect(asIs).toEqual(ids.slice(0, SHOWN_SEQUENCE_ITEMS));
    const noLove = sequenceWithPreferences(profile, prefs(['love'])).shortTerm.next?.items.map((i) => i.itemId) ?? [];
    expect(noLove.length).toBeGreaterThan(0);
    expect(noLove.every((id) => genreOf(id) === 'space')).toBe(true);
    // a boost multiplies the weight the order goes by: space items × 10 overtake the romances they trailed
    const spaceUp = sequenceWithPreferences(profile, prefs([], [['space', 10]])).shortTerm.next?.items.map((i) => i.itemId);
    const items = profile.shortTerm.next?.items ?? [];
    const boosted = [...items].sort((a, b) => b.weight * (genreOf(b.itemId) === 'space' ? 10 : 1) - a.weight * (genreOf(a.itemId) === 'space' ? 10 : 1));
    expect(spaceUp).toEqual(boosted.slice(0, SHOWN_SEQUENCE_ITEMS).map((i) => i.itemId));
    expect(spaceUp).not.toEqual(asIs);
    // the stored profile keeps every predicted item: unmuting shows them again
    expect(profile.shortTerm.next?.items.map((i) => i.itemId)).toEqual(ids);
  });
});
