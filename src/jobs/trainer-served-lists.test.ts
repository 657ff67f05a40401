/**
 * The trainer tells the main model whether the lists it feeds leave consumed items out (recommend.excludeConsumed,
 * unless care.repeatAfterDays lets them come back): the Transformer then leaves each user's seen items out of its
 * training softmax, or keeps them in, whatever share of the log repeats items.
 */
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/config.js';
import { fixedClock } from '../core/clock.js';
import { createLogger } from '../core/logger.js';
import { MemoryStore } from '../storage/memory/memory-store.js';
import { trainBundle } from './trainer.js';

// 12 users each walking 8 steps round the same 5 films: 3 of every 8 events come back to a film
async function loopingStore(): Promise<MemoryStore> {
  const store = new MemoryStore();
  await store.upsertItems(Array.from({ length: 5 }, (_, i) => ({ id: `f${i}` })));
  const events = [];
  for (let u = 0; u < 12; u++) {
    for (let step = 0; step < 8; step++) events.push({ userId: `u${u}`, itemId: `f${(u + step) % 5}`, type: 'view', timestamp: new Date(Date.UTC(2024, 0, 1, u, step)).toISOString() });
  }
  await store.addEvents(events);
  return store;
}

/** The `maskSeen` the Transformer's fit logged when trained under these config overrides. */
async function maskSeenUnder(overrides: Record<string, unknown>): Promise<unknown> {
  const lines: string[] = [];
  const config = resolveConfig({ embeddings: { provider: 'none' }, train: { channels: {}, fusion: false }, ...overrides });
  const params = { width: 8, heads: 2, blocks: 1, maxLength: 4, epochs: 1, batchSize: 8, negatives: 0 };
  await trainBundle(await loopingStore(), config, { model: 'transformer', params }, { logger: createLogger('info', (l) => lines.push(l)), clock: fixedClock(Date.UTC(2024, 1, 1)) });
  const trained = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'transformer trained');
  return trained?.maskSeen;
}

describe('trainer: the lists served decide whether the Transformer trains against seen items', () => {
  it('leaves seen items out when lists exclude consumed items (the default), keeps them in when items may come back', async () => {
    expect(await maskSeenUnder({})).toBe(true);
    expect(await maskSeenUnder({ care: { repeatAfterDays: 30 } })).toBe(false);
    expect(await maskSeenUnder({ recommend: { excludeConsumed: false } })).toBe(false);
  });
});
