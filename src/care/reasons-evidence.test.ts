import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/config.js';
import { RECALL_CHANNEL_BUDGETS, RECALL_CHANNEL_NAMES, type RecallChannelName } from '../config/pipeline-section.js';
import { silentLogger } from '../core/logger.js';
import type { Recommendation } from '../core/types.js';
import type { Engine } from '../engine-types.js';
import { importDataset } from '../ingest/importer.js';
import { testDataset } from '../testkit/datasets.js';
import { openShopEngine } from '../testkit/shop-engine.js';
import { engineOnStore } from '../testkit/engine-on-store.js';

const T0 = Date.parse('2024-02-01T00:00:00Z');

/** Every item has a reason, and every reason names its evidence by id. Returns the reasons resting only on a channel. */
function expectEvidence(items: Recommendation[], where: string): number {
  let channelOnly = 0;
  for (const r of items) {
    expect(r.reasons.length, `${where}: ${r.itemId} has no reason`).toBeGreaterThan(0);
    for (const reason of r.reasons) {
      expect(reason.evidence?.length ?? 0, `${where}: ${r.itemId} reason "${reason.text}" has no evidence`).toBeGreaterThan(0);
      for (const e of reason.evidence ?? []) expect(e.id.length, `${where}: empty evidence id`).toBeGreaterThan(0);
      if (reason.evidence?.every((e) => e.kind === 'channel')) channelOnly++;
    }
  }
  return channelOnly;
}

describe('every reason of every response carries evidence (shop fixture)', () => {
  // Each channel alone, then the default channels together: personal users, an unknown user, a text query.
  const configs: Array<[string, Partial<Record<RecallChannelName, (typeof RECALL_CHANNEL_BUDGETS)[RecallChannelName]>> | undefined]> = [
    ['defaults', undefined],
    ...RECALL_CHANNEL_NAMES.filter((n) => n !== 'query').map((n): [string, Partial<Record<RecallChannelName, (typeof RECALL_CHANNEL_BUDGETS)[RecallChannelName]>>] => [n, { [n]: RECALL_CHANNEL_BUDGETS[n], query: RECALL_CHANNEL_BUDGETS.query }]),
  ];
  it.each(configs)('%s', async (name, recall) => {
    // One channel alone is fused by rrf: learned fusion falls back to the main model's order without the cf channel.
    const { engine } = await openShopEngine({ embeddings: { provider: 'ngram' }, ...(recall ? { pipeline: { recall, fuse: 'rrf' } } : {}) }, T0);
    try {
      // Texts, so the content channels (semantic, cold-items, interests) have something to read; then one item new since training.
      const WORDS = ['guitar strings', 'drum sticks', 'piano keys', 'violin bow', 'flute case'];
      const items = (await engine.listItems({ limit: 100 })).records;
      await engine.upsertItems(items.map((it, i) => ({ ...it, text: `${WORDS[i % WORDS.length]} for ${it.categories?.[0] ?? 'any'} budgets` })));
      await engine.train({ model: 'itemknn' });
      await engine.upsertItems([{ id: 'new1', title: 'Item 3 new edition', text: 'guitar strings for low budgets', createdAt: new Date(T0).toISOString() }]);
      for (const user of ['u0', 'u3', 'u7']) await engine.profile(user); // stored interests, for the interests channel
      for (const user of ['u0', 'u3', 'u7', 'nobody']) expectEvidence((await engine.recommend(user, { count: 8 })).items, `${name}/${user}`);
      expectEvidence((await engine.recommend('u2', { count: 8, query: 'Item 12' })).items, `${name}/u2+query`);
      expectEvidence((await engine.recommend(undefined, { count: 8, query: 'Item 12' })).items, `${name}/anonymous+query`);
      expectEvidence((await engine.recommend('u4', { count: 8, care: { diversity: 0.8 } })).items, `${name}/u4 diversity`);
      expectEvidence((await engine.similar('i5', { count: 5 })).items, `${name}/similar`);
    } finally {
      await engine.close();
    }
  });
});

const ml = testDataset('ml-100k');

describe.skipIf(!ml)('every reason of every response carries evidence (ml-100k through the engine)', () => {
  let engine: Engine;
  beforeAll(async () => {
    const opened = await engineOnStore(resolveConfig({ store: { url: 'sqlite://:memory:' }, embeddings: { provider: 'ngram' }, log: { level: 'silent' } }), { logger: silentLogger });
    engine = opened.engine;
    await importDataset(opened.store, { path: ml as string, format: 'movielens-100k', onError: 'abort' });
    await engine.train();
  }, 120_000);
  afterAll(() => engine?.close());

  it('300 users, anonymous, and with a query: every reason has evidence, and collaborative items name history items', async () => {
    let channelOnly = 0;
    let reasons = 0;
    for (let u = 1; u <= 300; u++) {
      const { items } = await engine.recommend(String(u), { count: 10 });
      channelOnly += expectEvidence(items, `user ${u}`);
      reasons += items.reduce((n, r) => n + r.reasons.length, 0);
    }
    expectEvidence((await engine.recommend('no-such-user', { count: 10 })).items, 'anonymous');
    for (const u of ['1', '42', '303']) expectEvidence((await engine.recommend(u, { count: 10, query: 'space adventure' })).items, `user ${u}+query`);
    expectEvidence((await engine.recommend(undefined, { count: 10, query: 'love story' })).items, 'anonymous+query');
    // The channel alone is the evidence of last resort; on a trained catalogue it stays rare.
    expect(channelOnly / reasons).toBeLessThan(0.01);
  }, 120_000);
});
