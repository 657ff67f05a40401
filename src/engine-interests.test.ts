import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from './config/config.js';
import { RECALL_CHANNEL_BUDGETS } from './config/pipeline-section.js';
import { silentLogger } from './core/logger.js';
import { createEngine } from './engine.js';
import type { Engine } from './engine-types.js';
import { genreOf, twoGenres } from './testkit/two-genres.js';

describe('the interests recall channel through the engine', () => {
  let engine: Engine;
  beforeAll(async () => {
    // Only the interests channel recalls (fused by rrf, which ranks every channel), so every item shown is its candidate.
    const config = resolveConfig({
      store: { url: 'memory://' }, embeddings: { provider: 'none' }, train: { thread: 'main' }, log: { level: 'silent' },
      pipeline: { recall: { interests: RECALL_CHANNEL_BUDGETS.interests }, fuse: 'rrf', rerank: [] },
    });
    engine = await createEngine(config, { logger: silentLogger });
    const { items, events } = twoGenres();
    await engine.upsertItems(items);
    await engine.addEvents(events);
    // λ pinned: the data-scaled default (0.36 on this 25 × 20 toy log of density 0.5) blurs its two genres
    await engine.train({ model: 'als', params: { factors: 8, iterations: 10, regularization: 0.02 } });
  });
  afterAll(() => engine.close());

  it('does not run for a user without a stored profile', async () => {
    // fan's events came in one batch with 24 other users': no profile was built for them yet.
    const { items, trace } = await engine.recommend('fan', { count: 6 });
    expect(trace.some((t) => t.stage === 'interests')).toBe(false);
    expect(items).toEqual([]);
  });

  it('gives a user with two interests candidates from both, each reason naming its interest', async () => {
    const labels = (await engine.profile('fan')).interests.map((i) => i.label).sort();
    expect(labels).toEqual(['Romance · wedding', 'Sci-Fi · space']);
    // Not the list cached before the profile was built: the cache key holds the interests the channel read.
    const { items, trace } = await engine.recommend('fan', { count: 6 });
    expect(trace.find((t) => t.stage === 'interests')?.candidatesOut).toBeGreaterThan(0);
    const byGenre = (g: string) => items.filter((r) => genreOf(r.itemId) === g);
    expect(byGenre('sf').length).toBeGreaterThan(0);
    expect(byGenre('ro').length).toBeGreaterThan(0);
    for (const r of byGenre('sf')) expect(r.reasons[0]).toMatchObject({ kind: 'interest', text: 'Matches your interest "Sci-Fi · space"', evidence: [{ kind: 'interest', label: 'Sci-Fi · space' }] });
    for (const r of byGenre('ro')) expect(r.reasons[0]).toMatchObject({ kind: 'interest', text: 'Matches your interest "Romance · wedding"', evidence: [{ kind: 'interest', label: 'Romance · wedding' }] });
    // fan rated sf0-4 and ro0-4: none of them comes back.
    expect(items.map((r) => r.itemId).filter((id) => Number(id.slice(2)) < 5)).toEqual([]);
    // Served again from the cache (no recall this time), each item still names its interest.
    const again = await engine.recommend('fan', { count: 6 });
    expect(again.trace.some((t) => t.stage === 'cached-list' && t.cached === true)).toBe(true);
    expect(again.items).toEqual(items);
  });

  it('leaves a muted interest\'s items out of the channel', async () => {
    const sciFi = (await engine.profile('fan')).interests.find((i) => i.label.startsWith('Sci-Fi'));
    await engine.updateProfile('fan', { interests: [{ id: sciFi?.id ?? '', mute: true }] });
    const { items } = await engine.recommend('fan', { count: 6 });
    expect(items.length).toBeGreaterThan(0);
    expect(items.map((r) => genreOf(r.itemId))).not.toContain('sf');
  });
});
