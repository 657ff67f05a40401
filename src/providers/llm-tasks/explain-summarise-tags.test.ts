import { describe, expect, it } from 'vitest';
import { createScriptedLlm, llmProviderConformanceSuite } from '../../testkit/llm-conformance.js';
import { explainWithLlm, firstSentence } from './explain.js';
import { cleanTags, extractTags } from './extract-tags.js';
import { summariseInterests, templateInterestSummary } from './summarise-interests.js';

const scripted = createScriptedLlm((req) => (req.format === 'json' ? '{"ok": true}' : `Echo ${req.prompt.length}`));
llmProviderConformanceSuite('scripted test double', async () => scripted, { slowNextRequest: () => scripted.delayNext(5000) });

const item = { id: 'm1', title: 'Alien', text: 'A crew meets a deadly creature in space.' };

describe('explainWithLlm', () => {
  it('returns the first sentence of the answer, without quotes or labels', async () => {
    const llm = createScriptedLlm(() => 'Explanation: "Because you loved tense space thrillers like Gravity. Also it is a classic."');
    const why = await explainWithLlm(llm, { userSummary: 'Enjoys sci-fi thrillers', item, reasons: ['similar to Gravity'], deadlineMs: 1000 });
    expect(why).toBe('Because you loved tense space thrillers like Gravity.');
    expect(llm.calls[0].prompt).toContain('Known reasons: similar to Gravity');
  });

  it('returns undefined at the deadline, on errors and on empty answers', async () => {
    expect(await explainWithLlm(createScriptedLlm(() => 'late.', { delayMs: 5000 }), { userSummary: 's', item, deadlineMs: 30 })).toBeUndefined();
    expect(await explainWithLlm(createScriptedLlm(() => { throw new Error('x'); }), { userSummary: 's', item, deadlineMs: 1000 })).toBeUndefined();
    expect(await explainWithLlm(createScriptedLlm(() => '  '), { userSummary: 's', item, deadlineMs: 1000 })).toBeUndefined();
  });

  it('caps very long sentences', () => {
    expect(firstSentence('word '.repeat(100))?.length).toBeLessThanOrEqual(241);
  });
});

describe('summariseInterests', () => {
  it('builds a readable template from top tags and recent titles', () => {
    expect(templateInterestSummary(['science fiction', 'thriller', 'drama'], ['Alien', 'Heat', 'Up', 'Cars'])).toBe('Enjoys science fiction, thriller and drama; recently: Alien, Heat, Up.');
    expect(templateInterestSummary(['sci-fi'], [])).toBe('Enjoys sci-fi.');
    expect(templateInterestSummary([], ['Alien'])).toBe('Recently: Alien.');
    expect(templateInterestSummary([], [])).toBe('No interests known yet.');
  });

  it('uses the model sentence when it answers in time, else the template', async () => {
    const tags = ['space opera', 'heist'];
    const titles = ['Dune'];
    const llm = createScriptedLlm(() => 'Enjoys sweeping space operas and clever heists.\nAnything else?');
    expect(await summariseInterests(llm, { tags, titles, deadlineMs: 1000 })).toBe('Enjoys sweeping space operas and clever heists.');
    expect(llm.calls[0].prompt).toContain('Top tags: space opera, heist');
    const slow = createScriptedLlm(() => 'too late', { delayMs: 5000 });
    expect(await summariseInterests(slow, { tags, titles, deadlineMs: 30 })).toBe('Enjoys space opera and heist; recently: Dune.');
    expect(await summariseInterests(undefined, { tags, titles, deadlineMs: 30 })).toBe('Enjoys space opera and heist; recently: Dune.');
  });
});

describe('extractTags', () => {
  it('cleans tags: lowercase, trimmed, unique, short, strings only', () => {
    expect(cleanTags([' Space Opera!', 'space opera', 7, 'a very long tag with far too many words', 'Ｓｃｉ-Ｆｉ'], 5)).toEqual(['space opera', 'sci-fi']);
    expect(cleanTags(['a', 'b', 'c'], 2)).toEqual(['a', 'b']);
  });

  it('asks for JSON and returns the cleaned list', async () => {
    const llm = createScriptedLlm(() => '```json\n{"tags": ["Space Horror", "alien", "crew", "Alien"]}\n```');
    expect(await extractTags(llm, { title: 'Alien', text: item.text, maxTags: 3, deadlineMs: 1000 })).toEqual(['space horror', 'alien', 'crew']);
    expect(llm.calls[0].format).toBe('json');
  });

  it('returns no tags on failure or for empty text', async () => {
    expect(await extractTags(createScriptedLlm(() => 'no idea'), { text: item.text, deadlineMs: 1000 })).toEqual([]);
    expect(await extractTags(createScriptedLlm(() => '[]', { delayMs: 5000 }), { text: item.text, deadlineMs: 30 })).toEqual([]);
    const llm = createScriptedLlm(() => '["x"]');
    expect(await extractTags(llm, { text: '  ', deadlineMs: 1000 })).toEqual([]);
    expect(llm.calls).toHaveLength(0);
  });
});
