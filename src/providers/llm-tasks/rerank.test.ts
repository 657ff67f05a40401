import { describe, expect, it } from 'vitest';
import { createScriptedLlm } from '../../testkit/llm-conformance.js';
import { orderFromAnswer, rerankWithLlm } from './rerank.js';

const candidates = [
  { id: 'a', title: 'Pride and Prejudice', text: 'A romance in Georgian England.' },
  { id: 'b', title: 'Alien', text: 'A crew meets a deadly creature in space.' },
  { id: 'c', title: 'Interstellar', text: 'Explorers travel through a wormhole.' },
  { id: 'd', title: 'Heat', text: 'A detective hunts a thief in Los Angeles.' },
];
const ids = candidates.map((c) => c.id);

describe('orderFromAnswer', () => {
  it('drops unknown and repeated ids and appends the missing ones in original order', () => {
    expect(orderFromAnswer('{"ranking": ["c", "zzz", "b", "c"]}', ids)).toEqual(['c', 'b', 'a', 'd']);
  });

  it('accepts numbers for numeric ids and objects with an id', () => {
    expect(orderFromAnswer('[3, 1]', ['1', '2', '3'])).toEqual(['3', '1', '2']);
    expect(orderFromAnswer('{"items": [{"id": "d"}, {"id": "a"}]}', ids)).toEqual(['d', 'a', 'b', 'c']);
  });

  it('recovers a truncated list and gives up on answers naming no candidate', () => {
    expect(orderFromAnswer('```json\n{"ranking": ["d", "b", "a', ids)).toEqual(['d', 'b', 'a', 'c']);
    expect(orderFromAnswer('{"ranking": ["x", "y"]}', ids)).toBeUndefined();
    expect(orderFromAnswer('I cannot help with that.', ids)).toBeUndefined();
  });
});

describe('rerankWithLlm', () => {
  it('reorders candidates by the model answer and shows it the user summary and candidates', async () => {
    const llm = createScriptedLlm(() => 'Sure! {"ranking": ["c", "b"]}');
    const result = await rerankWithLlm(llm, { userSummary: 'Enjoys space exploration films', candidates, deadlineMs: 1000 });
    expect(result).toEqual({ ids: ['c', 'b', 'a', 'd'], reranked: true });
    const [call] = llm.calls;
    expect(call.format).toBe('json');
    expect(call.prompt).toContain('Enjoys space exploration films');
    expect(call.prompt).toContain('id "c": Interstellar — Explorers travel through a wormhole.');
  });

  it('only shows maxCandidates and keeps the tail in its order', async () => {
    const llm = createScriptedLlm(() => '["b", "a"]');
    const result = await rerankWithLlm(llm, { userSummary: 's', candidates, deadlineMs: 1000, maxCandidates: 2 });
    expect(result.ids).toEqual(['b', 'a', 'c', 'd']);
    expect(llm.calls[0].prompt).not.toContain('Interstellar');
  });

  it('falls back to the original order at the deadline, without waiting for the model', async () => {
    const llm = createScriptedLlm(() => '["d", "c", "b", "a"]', { delayMs: 5000 });
    const started = performance.now();
    const result = await rerankWithLlm(llm, { userSummary: 's', candidates, deadlineMs: 60 });
    expect(result).toEqual({ ids, reranked: false, reason: 'deadline' });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('falls back on provider errors and unusable answers', async () => {
    const failing = createScriptedLlm(() => { throw new Error('HTTP 500'); });
    expect(await rerankWithLlm(failing, { userSummary: 's', candidates, deadlineMs: 1000 })).toEqual({ ids, reranked: false, reason: 'error' });
    const rambling = createScriptedLlm(() => 'They are all great choices!');
    expect(await rerankWithLlm(rambling, { userSummary: 's', candidates, deadlineMs: 1000 })).toEqual({ ids, reranked: false, reason: 'unparseable' });
  });

  it('does not call the model for fewer than two candidates', async () => {
    const llm = createScriptedLlm(() => '[]');
    expect(await rerankWithLlm(llm, { userSummary: 's', candidates: candidates.slice(0, 1), deadlineMs: 1000 })).toEqual({ ids: ['a'], reranked: false });
    expect(llm.calls).toHaveLength(0);
  });
});
