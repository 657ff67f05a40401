import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/config.js';
import { fixedClock } from '../core/clock.js';
import { silentLogger } from '../core/logger.js';
import { createEngine } from '../engine.js';
import type { Engine } from '../engine-types.js';
import type { LlmProvider } from '../providers/llm.js';
import { startShopServer } from '../server/test-server.js';
import { createScriptedLlm } from '../testkit/llm-conformance.js';
import { shopCatalogue } from '../testkit/shop-catalogue.js';
import { sentencesFromAnswer } from './explain-sentences.js';

const T0 = Date.parse('2024-02-01T00:00:00Z');

/** Answers with one sentence per id in the prompt, quoting the item's first reason. */
const writer = () => createScriptedLlm((req) => JSON.stringify({
  sentences: [...req.prompt.matchAll(/id "([^"]+)": [^;]*; reasons: ([^;\n]+)/g)].map((m) => ({ id: m[1], sentence: `Worth a look, as ${m[2].replace(/[.!?]/g, '')}. More text here.` })),
}));

describe('explain=true', () => {
  let engine: Engine | undefined;
  afterEach(async () => {
    await engine?.close();
    engine = undefined;
  });

  async function open(llm?: LlmProvider, deadlineMs = 1500): Promise<Engine> {
    const config = resolveConfig({ store: { url: 'sqlite://:memory:' }, embeddings: { provider: 'none' }, llm: { deadlineMs }, log: { level: 'silent' } });
    engine = await createEngine(config, { logger: silentLogger, clock: fixedClock(T0), ...(llm ? { llm } : {}) });
    const { items, events } = shopCatalogue({ items: 30, likes: 8, step: 3 });
    await engine.upsertItems(items);
    await engine.addEvents(events);
    await engine.train({ model: 'itemknn' });
    return engine;
  }

  it('adds one sentence per item in one call, built from the reasons; the prompt holds titles and reasons, not the events', async () => {
    const llm = writer();
    const e = await open(llm);
    const plain = await e.recommend('u0', { count: 4 });
    expect(llm.calls).toHaveLength(0); // only when asked
    const res = await e.recommend('u0', { count: 4, explain: true });
    expect(llm.calls).toHaveLength(1);
    expect(res.items.map((r) => r.itemId)).toEqual(plain.items.map((r) => r.itemId));
    for (const r of res.items) {
      expect(r.explanation).toBe(`Worth a look, as ${r.reasons[0].text.replace(/[.!?]/g, '')}.`);
      expect(r.reasons).toEqual(plain.items.find((p) => p.itemId === r.itemId)?.reasons);
    }
    const prompt = llm.calls[0].prompt;
    expect(prompt).toContain('Because you liked "Item');
    expect(prompt).not.toMatch(/2024-|u0|like\b/); // no timestamps, no user id, no raw event types
    expect(res.trace.find((t) => t.stage === 'llm-explain')).toMatchObject({ kind: 'explain', candidatesIn: 4, candidatesOut: 4 });
  });

  it('past the deadline the reasons stand alone and the trace says degraded', async () => {
    const slow = writer();
    slow.delayNext(2000);
    const e = await open(slow, 50);
    const res = await e.recommend('u0', { count: 4, explain: true });
    expect(res.items).toHaveLength(4);
    expect(res.items.every((r) => r.explanation === undefined && r.reasons.length > 0)).toBe(true);
    expect(res.trace.find((t) => t.stage === 'llm-explain')?.degraded).toBe('deadline');
  });

  it('an unusable answer or an error degrades the same way', async () => {
    const e = await open(createScriptedLlm(() => 'I cannot help with that'));
    const res = await e.recommend('u0', { count: 3, explain: true });
    expect(res.items.every((r) => r.explanation === undefined)).toBe(true);
    expect(res.trace.find((t) => t.stage === 'llm-explain')?.degraded).toBe('unparseable');
    await e.close();
    const failing = await open(createScriptedLlm(() => { throw new Error('boom'); }));
    expect((await failing.recommend('u0', { count: 3, explain: true })).trace.find((t) => t.stage === 'llm-explain')?.degraded).toBe('error');
  });

  it('without a provider the flag is accepted and does nothing, over HTTP too', async () => {
    const e = await open();
    const res = await e.recommend('u0', { count: 3, explain: true });
    expect(res.items.every((r) => r.explanation === undefined)).toBe(true);
    expect(res.trace.some((t) => t.stage === 'llm-explain')).toBe(false);
    const t = await startShopServer();
    try {
      const http = await fetch(`${t.server.url}/v1/users/u0/recommendations?count=3&explain=true`);
      expect(http.status).toBe(200);
      expect((await fetch(`${t.server.url}/v1/users/u0/recommendations?explain=maybe`)).status).toBe(400);
      expect((await t.client.recommend('u0', { count: 3, explain: true })).items).toHaveLength(3);
    } finally {
      await t.close();
    }
  });

  it('reads the sentences of known ids only, first sentence each', () => {
    const answer = '```json\n{"sentences": [{"id": "a", "sentence": "One. Two."}, {"id": "zz", "sentence": "Unknown."}, {"id": "b"}]}\n```';
    expect([...sentencesFromAnswer(answer, ['a', 'b'])]).toEqual([['a', 'One.']]);
  });
});
