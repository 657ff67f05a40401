import { beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../config/config.js';
import { RECALL_CHANNEL_BUDGETS } from '../../../config/pipeline-section.js';
import { fixedClock } from '../../../core/clock.js';
import { silentLogger } from '../../../core/logger.js';
import { importDataset } from '../../../ingest/importer.js';
import type { ModelBundle } from '../../../models/model-bundle.js';
import { trainBundle } from '../../../jobs/trainer.js';
import { MemoryStore } from '../../../storage/memory/memory-store.js';
import { testDataset } from '../../../testkit/datasets.js';
import { buildRecommendContext } from '../../request-context.js';
import { itemToItemChannel, similarModelOf } from './item-to-item.js';

const ml = testDataset('ml-100k');
const USERS = Array.from({ length: 30 }, (_, i) => String(1 + i * 31));
const signal = new AbortController().signal;

describe.skipIf(!ml)('item-to-item on ml-100k', () => {
  const config = resolveConfig({ store: { url: 'memory://' }, embeddings: { provider: 'none' }, pipeline: { recall: { 'item-to-item': RECALL_CHANNEL_BUDGETS['item-to-item'] } } });
  const store = new MemoryStore();
  let bundle: ModelBundle;

  beforeAll(async () => {
    await importDataset(store, { path: ml as string, format: 'movielens-100k', onError: 'abort' });
    ({ bundle } = await trainBundle(store, config, { model: 'itemknn', params: {} }, { logger: silentLogger, clock: fixedClock(Date.parse('1998-05-01')) }));
  }, 120_000);

  it('recalls the neighbours of the last event more than those of the tenth-last', async () => {
    const similar = similarModelOf(bundle);
    if (!similar) throw new Error('no item likeness in the bundle');
    let nearLast = 0;
    let nearTenth = 0;
    let namesLast = 0;
    for (const user of USERS) {
      const ctx = await buildRecommendContext(user, { count: 10 }, {
        config, store, bundle, clock: fixedClock(Date.parse('1998-05-01')), logger: silentLogger, embeddings: async () => undefined, llmProvider: async () => undefined,
      });
      const recent = ctx.profile?.recentItems ?? [];
      const neighbours = (id: string) => new Set(similar.similarItems(bundle.items.indexOf(id) ?? -1, 50).map((s) => bundle.items.idAt(s.index)));
      const [last, tenth] = [neighbours(recent[0]), neighbours(recent[9])];
      const out = await itemToItemChannel.run({ k: 10, signal }, ctx);
      if (!Array.isArray(out)) throw new Error('channel degraded');
      expect(out).toHaveLength(10);
      nearLast += out.filter((c) => last.has(c.itemId)).length;
      nearTenth += out.filter((c) => tenth.has(c.itemId)).length;
      const top = itemToItemChannel.because?.(ctx, bundle.items.indexOf(out[0].itemId) ?? -1) ?? [];
      if (top.length > 0 && bundle.items.idAt(top[0].item) === recent[0]) namesLast++;
    }
    expect(nearLast).toBeGreaterThan(1.5 * nearTenth);
    expect(nearLast / (USERS.length * 10)).toBeGreaterThan(0.5);
    expect(namesLast).toBeGreaterThan(USERS.length / 3);
  }, 60_000);
});
