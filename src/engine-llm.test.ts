import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from './config/config.js';
import { fixedClock } from './core/clock.js';
import { silentLogger } from './core/logger.js';
import type { Event, Item } from './core/types.js';
import { createEngine } from './engine.js';
import type { Engine } from './engine-types.js';
import { createScriptedLlm, type ScriptedLlm } from './testkit/llm-conformance.js';

const T0 = Date.parse('2024-03-01T00:00:00Z');

/** Eight items liked by overlapping users, so item-kNN gives user "me" a list of several candidates. */
function data(): { items: Item[]; events: Event[] } {
  const items: Item[] = Array.from({ length: 8 }, (_, i) => ({ id: `i${i}`, title: `Item ${i}`, categories: ['c'] }));
  const events: Event[] = [];
  for (let u = 0; u < 10; u++) {
    for (let i = 0; i < 8; i++) if ((u + i) % 3 !== 0) events.push({ userId: `u${u}`, itemId: `i${i}`, type: 'like', timestamp: new Date(T0 + u * 100 + i).toISOString() });
  }
  events.push({ userId: 'me', itemId: 'i0', type: 'like', timestamp: new Date(T0 + 5000).toISOString() });
  return { items, events };
}

describe('LLM re-ranking inside a request', () => {
  let engine: Engine | undefined;
  afterEach(async () => {
    await engine?.close();
    engine = undefined;
  });

  async function open(llm: ScriptedLlm, rerank = true): Promise<Engine> {
    engine = await createEngine(
      resolveConfig({ store: { url: 'sqlite://:memory:' }, embeddings: { provider: 'none' }, llm: { rerank, deadlineMs: 200 } }),
      { logger: silentLogger, clock: fixedClock(T0 + 86_400_000), llm },
    );
    const { items, events } = data();
    await engine.upsertItems(items);
    await engine.addEvents(events);
    await engine.train({ model: 'itemknn' });
    return engine;
  }

  /** Answers with the candidate ids of the prompt in reverse order. */
  const reverser = () => createScriptedLlm((req) => JSON.stringify({ ranking: [...req.prompt.matchAll(/id "([^"]+)"/g)].map((m) => m[1]).reverse() }));

  it('applies the model\'s order to the head of the list and traces it', async () => {
    const llm = reverser();
    const baseline = (await (await open(createScriptedLlm(() => ''), false)).recommend('me', { count: 4 })).items.map((r) => r.itemId);
    await engine?.close();
    const e = await open(llm);
    const res = await e.recommend('me', { count: 4 });
    expect(llm.calls).toHaveLength(1);
    expect(llm.calls[0].prompt).toContain('Item 0'); // the summary names what the user liked
    const llmStage = res.trace.find((s) => s.stage === 'llm-rerank');
    expect(llmStage?.degraded).toBeUndefined();
    expect(res.items.map((r) => r.itemId)).not.toEqual(baseline);
    expect(new Set(res.items.map((r) => r.itemId)).size).toBe(4);
  });

  it('keeps the original order when the model misses its deadline, and says so', async () => {
    const slow = reverser();
    const baselineEngine = await open(createScriptedLlm(() => ''), false);
    const baseline = (await baselineEngine.recommend('me', { count: 4 })).items.map((r) => r.itemId);
    await engine?.close();
    const e = await open(slow);
    slow.delayNext(5_000);
    const t0 = performance.now();
    const res = await e.recommend('me', { count: 4 });
    expect(performance.now() - t0).toBeLessThan(2_000);
    expect(res.items.map((r) => r.itemId)).toEqual(baseline);
    expect(res.trace.find((s) => s.stage === 'llm-rerank')?.degraded).toBe('deadline');
  });

  it('is not called for users without history or when re-ranking is off', async () => {
    const llm = reverser();
    const e = await open(llm, false);
    await e.recommend('me', { count: 4 });
    await e.recommend('stranger', { count: 4 });
    expect(llm.calls).toHaveLength(0);
  });
});
