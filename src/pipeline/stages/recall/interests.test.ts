import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../../core/clock.js';
import { silentLogger } from '../../../core/logger.js';
import type { ModelBundle } from '../../../models/model-bundle.js';
import { requestInterestsOf } from '../../../interests/request-interests.js';
import type { Interest } from '../../../interests/profile-types.js';
import { semanticDefinition, SemanticModel } from '../../../models/semantic/semantic.js';
import { InteractionsBuilder } from '../../../models/interactions-builder.js';
import { createModel } from '../../../models/registry.js';
import { MemoryStore } from '../../../storage/memory/memory-store.js';
import { profileStateOf } from '../../../testkit/profile-state.js';
import type { Candidate } from '../../candidates.js';
import type { RecommendContext } from '../../request-context.js';
import { RECALL_CHANNELS } from '../../registry.js';
import { explainStage } from '../explain.js';
import { interestsChannel, splitBudget } from './interests.js';

const signal = new AbortController().signal;

/**
 * Items on known unit vectors: x1..x3 at cosine 1, 0.8, 0.6 from axis 0 (interest "A"), y1..y3 the same from axis 2
 * (interest "B"), and c, the user's consumed item, at cosine 0.96 from axis 0.
 */
const ITEMS: Array<[string, number[]]> = [
  ['x1', [1, 0, 0]], ['x2', [0.8, 0.6, 0]], ['x3', [0.6, 0.8, 0]],
  ['y1', [0, 0, 1]], ['y2', [0, 0.6, 0.8]], ['y3', [0, 0.8, 0.6]],
  ['c', [0.96, 0, 0.28]],
];
const ids = ITEMS.map(([id]) => id);

async function bundleOnKnownVectors(): Promise<ModelBundle> {
  const builder = new InteractionsBuilder({ items: ids });
  ids.forEach((id, i) => builder.add(`u${i % 2}`, id, 1, i));
  const data = builder.build();
  const content = { embeddings: Float32Array.from(ITEMS.flatMap(([, v]) => v)), dimensions: 3 };
  const fit = { logger: silentLogger, clock: fixedClock(0), content };
  const semantic = new SemanticModel(semanticDefinition.parseParams({ center: false }));
  await semantic.fit(data, fit);
  const popular = createModel('popular', {});
  await popular.fit(data, fit);
  return { version: 1, trainedAt: '2024-01-01T00:00:00.000Z', users: data.users, items: data.items, trainedItems: data.items.size, models: { main: popular, popular, semantic } };
}

function interest(id: string, label: string, weight: number, change: Partial<Interest> = {}): Interest {
  return { id, label, terms: [], weight, recentWeight: weight, size: 3, items: [], muted: false, boost: 1, ...change };
}

/** The request of a user who consumed c, with stored interests A (weight 0.75, on axis 0) and B (0.25, on axis 2). */
async function contextWith(changeA: Partial<Interest> = {}, changeB: Partial<Interest> = {}): Promise<RecommendContext> {
  const bundle = await bundleOnKnownVectors();
  const state = profileStateOf(
    [interest('1', 'Sci-Fi · space', 0.75, changeA), interest('2', 'Romance · wedding', 0.25, changeB)],
    {
      '1': { centroid: [1, 0, 0], mass: 3, recentMass: 3, radius: 0.5, members: [] },
      '2': { centroid: [0, 0, 1], mass: 1, recentMass: 1, radius: 0.5, members: [] },
    },
  );
  state.profile.space = { kind: 'text', source: 'semantic' };
  const stored = requestInterestsOf(state, () => undefined, true);
  const consumed = Int32Array.of(ids.indexOf('c'));
  return {
    clock: fixedClock(0), logger: silentLogger, trace: [], count: 4, bundle, store: new MemoryStore(),
    row: { indices: consumed, values: Float32Array.of(1) }, cfRow: { indices: consumed, values: Float32Array.of(1) },
    blocked: new Set(['c']), blockedIndexes: { all: consumed, trained: consumed },
    interests: stored.interests, interestSpace: stored.space, interestPreferences: stored.preferences,
  } as unknown as RecommendContext;
}

async function recall(ctx: RecommendContext, k: number): Promise<Candidate[]> {
  const out = await interestsChannel.run({ k, signal }, ctx);
  if (!Array.isArray(out)) throw new Error('channel degraded');
  return out;
}

describe('splitBudget', () => {
  it('splits k in proportion to the weights, the parts summing to k', () => {
    expect(splitBudget([0.75, 0.25], 4)).toEqual([3, 1]);
    expect(splitBudget([3, 1], 10)).toEqual([8, 2]);
    expect(splitBudget([1, 1, 1], 10)).toEqual([4, 3, 3]);
    expect(splitBudget([1, 0], 5)).toEqual([5, 0]);
    expect(splitBudget([0, 0], 5)).toEqual([0, 0]);
  });
});

describe('interests recall', () => {
  it('recalls the items nearest each interest, the budget split by weight, ranked by cosine to the centre', async () => {
    const out = await recall(await contextWith(), 4);
    // A (3 of 4): x1, x2, x3 (c is consumed); B (1 of 4): y1. x1 and y1 tie at 1 (item order breaks the tie).
    expect(out.map((c) => c.itemId)).toEqual(['x1', 'y1', 'x2', 'x3']);
    expect(out.map((c) => c.score)).toEqual([1, 1, 0.8, 0.6].map((x) => expect.closeTo(x, 5)));
    expect(out[0].scores.interests).toMatchObject({ rank: 0 });
  });

  it('multiplies an interest\'s weight by its boost', async () => {
    const out = await recall(await contextWith({}, { boost: 3 }), 4);
    expect(out.map((c) => c.itemId)).toEqual(['x1', 'y1', 'x2', 'y2']);
  });

  it('recalls nothing for a muted interest (and no item orthogonal to the one left)', async () => {
    const ctx = await contextWith({ muted: true });
    expect(ctx.interests?.map((i) => i.id)).toEqual(['2']);
    // B gets all 4 places, but only y1..y3 have a positive cosine to its centre.
    expect((await recall(ctx, 4)).map((c) => c.itemId)).toEqual(['y1', 'y2', 'y3']);
  });

  it('names the interest in each item\'s reason', async () => {
    const ctx = await contextWith();
    const out = await recall(ctx, 4);
    const recs = await explainStage(Object.values(RECALL_CHANNELS)).run(out, ctx);
    if (!Array.isArray(recs)) throw new Error('explain degraded');
    expect(recs.map((r) => [r.itemId, r.reasons[0]])).toMatchObject([
      ['x1', { kind: 'interest', text: 'Matches your interest "Sci-Fi · space"', evidence: [{ kind: 'interest', label: 'Sci-Fi · space' }] }],
      ['y1', { kind: 'interest', text: 'Matches your interest "Romance · wedding"', evidence: [{ kind: 'interest', label: 'Romance · wedding' }] }],
      ['x2', { kind: 'interest', text: 'Matches your interest "Sci-Fi · space"', evidence: [{ kind: 'interest', label: 'Sci-Fi · space' }] }],
      ['x3', { kind: 'interest', text: 'Matches your interest "Sci-Fi · space"', evidence: [{ kind: 'interest', label: 'Sci-Fi · space' }] }],
    ]);
  });

  it('names the nearest interest for an item it did not recall this request (a list served from the cache)', async () => {
    const ctx = await contextWith();
    expect(interestsChannel.reasons?.(ctx, ids.indexOf('y2'), 0.8)).toMatchObject([{ kind: 'interest', text: 'Matches your interest "Romance · wedding"', evidence: [{ kind: 'interest', label: 'Romance · wedding' }] }]);
  });

  it('leaves out centres placed in another model version\'s factors, keeping the settings', () => {
    const state = profileStateOf([interest('1', 'A', 1, { boost: 2 })], { '1': { centroid: [1, 0], mass: 1, recentMass: 1, radius: 0.5, members: [] } });
    const stale = requestInterestsOf(state, () => undefined, false);
    expect(stale.interests).toEqual([]);
    expect(stale.preferences?.boosts.get('1')).toBe(2);
    expect(requestInterestsOf(state, () => undefined, true).interests).toMatchObject([{ id: '1', weight: 2 }]);
  });

  it('does not apply without a stored profile, nor with stale centres, nor to a text query', async () => {
    const ctx = await contextWith();
    expect(interestsChannel.applies(ctx)).toBe(true);
    expect(interestsChannel.applies({ ...ctx, interests: undefined, interestSpace: undefined })).toBe(false);
    expect(interestsChannel.applies({ ...ctx, interests: [] })).toBe(false);
    expect(interestsChannel.applies({ ...ctx, query: { text: 'space', vector: new Float32Array(3) } })).toBe(false);
    // A profile in a space the bundle cannot search (collaborative factors, and the main model has none).
    expect(interestsChannel.applies({ ...ctx, interestSpace: 'factors' })).toBe(false);
  });
});
