import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/config.js';
import { fixedClock } from '../core/clock.js';
import { silentLogger } from '../core/logger.js';
import { createEngine } from '../engine.js';
import type { Engine } from '../engine-types.js';
import { createScriptedLlm, type ScriptedLlm } from '../testkit/llm-conformance.js';
import { DEFAULT_EVENT_TYPES } from '../config/schema.js';
import { IdIndex } from '../core/ids.js';
import type { StoredEvent } from '../core/types.js';
import { buildLiveProfile } from '../interests/live-profile.js';
import type { LlmProvider, LlmRequest } from '../providers/llm.js';
import { readScores, reviewSentiments } from '../providers/llm-tasks/review-sentiment.js';
import { scoreUnreadWithLlm } from './llm-sentiment.js';
import { eventToneOf } from './review-tone.js';
import { eventSentiment } from './sentiment.js';

/** A fake provider answering with `scores` (1-based n) and recording what it was asked. */
function fakeLlm(answer: (req: LlmRequest) => string | Promise<string>): LlmProvider & { asked: LlmRequest[] } {
  const asked: LlmRequest[] = [];
  return { id: 'fake', asked, complete: async (req) => { asked.push(req); return { text: await answer(req) }; } };
}

const ev = (id: string, itemId: string, text?: string): StoredEvent =>
  ({ id, userId: 'u', itemId, type: 'rating', value: 5, timestamp: '2024-01-01T00:00:00.000Z', ...(text ? { text } : {}) });

describe('reviewSentiments (LLM task)', () => {
  it('reads one clamped score per numbered text and ignores malformed entries', () => {
    expect(readScores({ reviews: [{ n: 2, sentiment: -3 }, { n: 1, sentiment: 0.4 }, { n: 9, sentiment: 1 }, { n: 1.5, sentiment: 0 }, 'x'] }, 3)).toEqual([0.4, -1, undefined]);
    expect(readScores('not json', 2)).toEqual([undefined, undefined]);
  });

  it('gives no scores past the deadline or on an error', async () => {
    const slow = fakeLlm(() => new Promise<string>((r) => setTimeout(() => r('{"reviews":[{"n":1,"sentiment":-1}]}'), 500)));
    expect(await reviewSentiments(slow, { texts: ['很糟糕'], deadlineMs: 50 })).toEqual([undefined]);
    const broken: LlmProvider = { id: 'broken', complete: () => Promise.reject(new Error('down')) };
    expect(await reviewSentiments(broken, { texts: ['很糟糕'], deadlineMs: 500 })).toEqual([undefined]);
  });
});

describe('scoreUnreadWithLlm', () => {
  it('asks only for texts the English model cannot read, once, and the live profile then uses the answer', async () => {
    const llm = fakeLlm(() => '{"reviews": [{"n": 1, "sentiment": -0.9}, {"n": 2, "sentiment": 0.8}]}');
    // Newest first: a Chinese complaint ("terrible, broke after a week"), a Japanese compliment, an English review.
    const history = [ev('llm-1', 'a', '太糟糕了，一周就坏了'), ev('llm-2', 'b', 'とても良い'), ev('llm-3', 'c', 'Great strings'), ev('llm-4', 'd')];
    expect(await scoreUnreadWithLlm(history, llm, 1000)).toBe(2);
    expect(llm.asked).toHaveLength(1);
    expect(llm.asked[0].prompt).toContain('太糟糕了');
    expect(llm.asked[0].prompt).not.toContain('Great strings');
    expect(eventSentiment(history[0])).toBe(-0.9);
    expect(eventSentiment(history[1])).toBe(0.8);
    // Asked once: a second request sends nothing.
    expect(await scoreUnreadWithLlm(history, llm, 1000)).toBe(0);
    expect(llm.asked).toHaveLength(1);
    const p = buildLiveProfile(history, IdIndex.from(['a', 'b', 'c', 'd']), DEFAULT_EVENT_TYPES, undefined, eventToneOf(resolveConfig({})));
    expect(p.lessLike.get('a')).toBeCloseTo(0.9, 6);
    expect(p.consumed.has('a')).toBe(true);
    expect(Array.from(p.row.indices).sort()).toEqual([1, 2, 3]);
  });

  it('remembers a text the model did not answer for as no signal, and never throws', async () => {
    const silent = fakeLlm(() => '{"reviews": []}');
    const history = [ev('llm-5', 'a', '很难过')];
    expect(await scoreUnreadWithLlm(history, silent, 1000)).toBe(1);
    expect(eventSentiment(history[0])).toBeUndefined();
    expect(await scoreUnreadWithLlm(history, silent, 1000)).toBe(0);
  });
});

describe('LLM sentiment through the engine (care.llmSentiment)', () => {
  const T0 = Date.parse('2024-03-01T00:00:00Z');
  const items = Array.from({ length: 8 }, (_, i) => ({ id: `i${i}`, title: `Item ${i}` }));
  // Eight items liked by overlapping users (as in engine-llm.test.ts), so item-kNN gives "me" a list.
  const likes = Array.from({ length: 80 }, (_, n) => ({ u: Math.floor(n / 8), i: n % 8 }))
    .filter(({ u, i }) => (u + i) % 3 !== 0)
    .map(({ u, i }) => ({ userId: `u${u}`, itemId: `i${i}`, type: 'like', timestamp: new Date(T0 + u * 100 + i).toISOString() }));

  async function open(llmSentiment: boolean, llm: ScriptedLlm): Promise<Engine> {
    const engine = await createEngine(
      resolveConfig({ store: { url: 'memory://' }, embeddings: { provider: 'none' }, care: { llmSentiment }, llm: { deadlineMs: 500 } }),
      { logger: silentLogger, clock: fixedClock(T0 + 86_400_000), llm },
    );
    await engine.upsertItems(items);
    await engine.addEvents(likes);
    await engine.train({ model: 'itemknn' });
    // "me" rated i1 five stars with a Chinese complaint ("terrible, it broke at once") and liked i2.
    await engine.addEvents([
      { userId: 'me', itemId: 'i2', type: 'like', timestamp: new Date(T0 + 5000).toISOString() },
      { userId: 'me', itemId: 'i1', type: 'rating', value: 5, timestamp: new Date(T0 + 6000).toISOString(), text: '太糟糕了，马上就坏了' },
    ]);
    return engine;
  }

  it('with the key on, a Chinese complaint is negative feedback; with it off, the text is never sent', async () => {
    const llm = createScriptedLlm(() => '{"reviews": [{"n": 1, "sentiment": -0.9}]}');
    // Other LLM tasks (interest labels) may call the provider too: count the calls that carry the review.
    const sentimentCalls = () => llm.calls.filter((c) => c.prompt.includes('太糟糕了'));
    const off = await open(false, llm);
    const before = await off.recommend('me', { count: 5 });
    expect(sentimentCalls()).toHaveLength(0);
    await off.close();
    const on = await open(true, llm);
    const after = await on.recommend('me', { count: 5 });
    expect(sentimentCalls()).toHaveLength(1);
    // Without the score the 5-star rating is evidence of a like; with it, i1 is evidence of nothing.
    const evidence = (res: typeof before) => res.items.flatMap((r) => r.reasons.flatMap((x) => x.itemIds ?? []));
    expect(evidence(before)).toContain('i1');
    expect(evidence(after)).not.toContain('i1');
    await on.recommend('me', { count: 5 });
    expect(sentimentCalls()).toHaveLength(1); // asked once per text
    await on.close();
  });
});
