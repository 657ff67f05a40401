import type { Store } from '../storage/store.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/config.js';
import { silentLogger } from '../core/logger.js';
import type { Engine } from '../engine-types.js';
import { importDataset } from '../ingest/importer.js';
import { testDataset } from '../testkit/datasets.js';
import { engineOnStore } from '../testkit/engine-on-store.js';

const ml = testDataset('ml-100k');

describe.skipIf(!ml)('interest profiles on ml-100k (ALS + semantic with the builtin encoder)', () => {
  let engine: Engine;
  let store: Store;
  let genres: Set<string>;

  beforeAll(async () => {
    const config = resolveConfig({ store: { url: 'memory://' }, embeddings: { provider: 'builtin' }, train: { thread: 'main' } });
    ({ engine, store } = await engineOnStore(config, { logger: silentLogger }));
    await importDataset(store, { path: ml as string, format: 'movielens-100k', onError: 'abort' });
    await engine.train({ model: 'als', params: { factors: 16, iterations: 5 } });
    genres = new Set(readFileSync(join(ml as string, 'u.genre'), 'latin1').split('\n').map((l) => l.split('|')[0]).filter(Boolean));
  }, 60_000);
  afterAll(() => engine?.close());

  it('gives a heavy user several genre-labelled interests whose items carry those genres', async () => {
    const profile = await engine.profile('13'); // 636 ratings
    expect(profile.events).toBe(636);
    expect(profile.space.kind).toBe('text');
    expect(profile.longTerm.vectors.factors).toHaveLength(16);
    expect(profile.longTerm.vectors.text?.length).toBeGreaterThan(0);
    expect(profile.interests.length).toBeGreaterThanOrEqual(2);
    expect(profile.interests.reduce((s, i) => s + i.weight, 0)).toBeCloseTo(1, 6);
    const labels = new Set<string>();
    for (const interest of profile.interests) {
      expect(interest.terms.length).toBeGreaterThan(0);
      for (const { term } of interest.terms) expect(genres.has(term), term).toBe(true);
      labels.add(interest.label);
      const records = await store.getItems(interest.items.map((i) => i.itemId));
      const carrying = records.filter((r) => r.categories?.some((c) => interest.terms.some((t) => t.term === c)));
      expect(carrying.length, interest.label).toBeGreaterThanOrEqual(Math.ceil(records.length * 0.6));
    }
    expect(labels.size).toBe(profile.interests.length); // each interest reads differently
    expect(profile.drift).toBeGreaterThanOrEqual(0);
  });

  it('answers NOT_FOUND for a user with neither a record nor events', async () => {
    await expect(engine.profile('no-such-user')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
