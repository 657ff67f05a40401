import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/config.js';
import { silentLogger } from '../core/logger.js';
import type { Recommendation } from '../core/types.js';
import type { Engine } from '../engine-types.js';
import { importDataset } from '../ingest/importer.js';
import { modelDefinitions } from '../models/registry.js';
import { testDataset } from '../testkit/datasets.js';
import { engineOnStore } from '../testkit/engine-on-store.js';

const ml = testDataset('ml-100k');
const USERS = ['1', '13', '196', '305', '450', '655', '880'];
// Any registered model name as a word: no reason may name the algorithm behind it.
const MODEL_WORDS = new RegExp(`\\b(${modelDefinitions().map((d) => d.name).join('|')}|cf|model)\\b`, 'i');

describe.skipIf(!ml)('honest answers on ml-100k', () => {
  let engine: Engine;
  const history = new Map<string, Set<string>>();
  const titles = new Map<string, string>();

  beforeAll(async () => {
    const opened = await engineOnStore(resolveConfig({ store: { url: 'sqlite://:memory:' }, embeddings: { provider: 'builtin' } }), { logger: silentLogger });
    engine = opened.engine;
    await importDataset(opened.store, { path: ml as string, format: 'movielens-100k', onError: 'abort' });
    for (const line of readFileSync(join(ml as string, 'u.data'), 'utf8').split('\n')) {
      const [u, i] = line.split('\t');
      if (USERS.includes(u)) history.set(u, (history.get(u) ?? new Set()).add(i));
    }
    for (const it of await opened.store.getItems([...new Set([...history.values()].flatMap((s) => [...s]))])) titles.set(it.id, it.title ?? it.id);
  }, 60_000);
  afterAll(() => engine?.close());

  /** Every item's first reason names an item of the user's history, by title, and no reason names a model. */
  function expectHistoryEvidence(user: string, items: Recommendation[]): void {
    expect(items.length).toBe(10);
    for (const r of items) {
      for (const reason of r.reasons) expect(reason.text).not.toMatch(MODEL_WORDS);
      const evidence = r.reasons[0];
      expect(evidence.itemIds?.length ?? 0).toBeGreaterThan(0);
      for (const id of evidence.itemIds ?? []) {
        expect(history.get(user)?.has(id)).toBe(true);
        expect(evidence.text).toContain(`"${titles.get(id)}"`);
      }
      expect(evidence.text).toMatch(/^Because you rated "/);
    }
  }

  // EASE splits its score over history items itself; BPR cannot, so its items are attributed to the most similar
  // history item (through the item-kNN model trained beside it) and the reason says it is a likeness. Fusion may place
  // an item by the ALS channel beside EASE: that one is attributed by likeness too.
  it.each([
    ['ease', {}, /^Because you rated "[^"]+"(( and "[^"]+"|, "[^"]+")*( and "[^"]+")?|: people who chose it often chose this too)$/],
    ['bpr', { iterations: 3 }, /^Because you rated "[^"]+": people who chose it often chose this too$/],
  ])('%s: each item says which history item it comes from', async (model, params, shape) => {
    await engine.train({ model, params });
    for (const user of USERS) {
      const res = await engine.recommend(user, { count: 10 });
      expect(res.personalised).toBe(true);
      expectHistoryEvidence(user, res.items);
      for (const r of res.items) expect(r.reasons[0].text).toMatch(shape);
    }
  }, 60_000);

  it('a popular main model says how many people chose each item, not which history item it is like', async () => {
    await engine.train({ model: 'popular' });
    const res = await engine.recommend('196', { count: 5 });
    expect(res.personalised).toBe(true);
    for (const r of res.items) {
      expect(r.reasons[0]).toEqual({
        kind: 'popular', text: expect.stringMatching(/^Popular: \d+ people chose it$/), evidence: [{ kind: 'stat', id: 'people', value: expect.any(Number), label: 'all time' }],
      });
      expect(r.reasons[0].text).toContain(`${r.reasons[0].evidence?.[0].value} people`); // the count said is the count given
      // the shipped diversity stage says when it moved an item up for variety (docs/care.md); no reason names a history item
      expect(r.reasons.slice(1).map((x) => x.kind)).toEqual(r.reasons.length > 1 ? ['variety'] : []);
    }
  }, 60_000);

  it('popular items for an unknown user say how many people chose them', async () => {
    const res = await engine.recommend('nobody', { count: 3 });
    expect(res.items[0].title).toBe('Star Wars (1977)');
    expect(res.items[0].reasons[0].text).toBe("Popular: 583 people chose it; we don't know your tastes yet");
  });

  it('a query that nothing matches returns fewer items (here none), and says so instead of padding', async () => {
    const res = await engine.recommend(undefined, { query: 'xkqz vbnm plorf', count: 10 });
    expect(res.items).toEqual([]);
    expect(res.notice).toBe('Nothing matched your search well.');
    const floor = res.trace.find((t) => t.stage === 'query-floor');
    expect(floor).toMatchObject({ candidatesOut: 0 });
  });

  it('a query with good matches fills the list, every item claiming the search, with no notice', async () => {
    const res = await engine.recommend(undefined, { query: 'war', count: 10 });
    expect(res.items).toHaveLength(10);
    expect(res.notice).toBeUndefined();
    for (const r of res.items) {
      expect(r.score).toBeGreaterThan(0);
      expect(r.reasons[0].text).toBe('Matches your search "war"');
    }
  });

  it('blended with a user, items below the floor do not claim to match the search', async () => {
    const res = await engine.recommend('196', { query: 'xkqz vbnm plorf', count: 10 });
    expect(res.items).toHaveLength(10);
    expect(res.notice).toBe('Nothing matched your search well; these items follow your tastes instead.');
    for (const r of res.items) {
      expect(r.reasons.map((x) => x.kind)).not.toContain('query');
      expect(r.reasons[0].text).toMatch(/^Close in content to what you rated "/);
    }
  });
});
