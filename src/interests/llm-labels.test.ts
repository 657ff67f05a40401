import { describe, expect, it } from 'vitest';
import type { LlmProvider, LlmRequest } from '../providers/llm.js';
import { cleanLabel } from '../providers/llm-tasks/label-interest.js';
import { withLlmLabels } from './llm-labels.js';
import type { Interest } from './profile-types.js';
import type { ProfileState } from './profile-state.js';
import { profileStateOf } from '../testkit/profile-state.js';

const interest = (id: string, label: string): Interest => ({
  id, label, terms: [{ term: label, score: 1 }], weight: 0.5, recentWeight: 0.5, size: 2, items: [{ itemId: `${id}a`, title: `Film ${id}`, weight: 1 }], muted: false, boost: 1,
});

function state(labels: string[]): ProfileState {
  const interests = labels.map((l, n) => interest(String(n + 1), l));
  return profileStateOf(interests, Object.fromEntries(interests.map((i) => [i.id, { centroid: [1, 0], mass: 1, recentMass: 1, radius: 0.5, members: [] }])));
}

/** Answers "<first tag> lovers" and counts its calls; throws for tags starting with "x". */
function fakeLlm(): LlmProvider & { calls: LlmRequest[] } {
  const calls: LlmRequest[] = [];
  return {
    id: 'fake', calls,
    async complete(req) {
      calls.push(req);
      const tag = /Distinctive tags: ([^,\n]+)/.exec(req.prompt)?.[1] ?? '';
      if (tag.startsWith('x')) throw new Error('provider down');
      return { text: `"${tag} lovers."\n` };
    },
  };
}

describe('withLlmLabels', () => {
  it('names each interest from its terms and titles, marking labelBy and keeping the built-in label for later', async () => {
    const llm = fakeLlm();
    const s = await withLlmLabels(state(['Sci-Fi', 'Romance']), undefined, llm, 1000);
    expect(s.profile.interests.map((i) => [i.label, i.labelBy])).toEqual([['Sci-Fi lovers', 'llm'], ['Romance lovers', 'llm']]);
    expect(s.geometry['1'].builtinLabel).toBe('Sci-Fi');
    expect(llm.calls[0].prompt).toContain('Film 1');
  });

  it('asks again only when the built-in label changed', async () => {
    const llm = fakeLlm();
    const first = await withLlmLabels(state(['Sci-Fi', 'Romance']), undefined, llm, 1000);
    const again = await withLlmLabels(state(['Sci-Fi', 'Drama']), structuredClone(first), llm, 1000);
    expect(again.profile.interests.map((i) => i.label)).toEqual(['Sci-Fi lovers', 'Drama lovers']);
    expect(llm.calls).toHaveLength(3);
  });

  it('keeps the built-in label when the model fails', async () => {
    const s = await withLlmLabels(state(['xenon', 'Romance']), undefined, fakeLlm(), 1000);
    expect(s.profile.interests.map((i) => [i.label, i.labelBy])).toEqual([['xenon', undefined], ['Romance lovers', 'llm']]);
  });
});

describe('cleanLabel', () => {
  it('takes the first line without quotes, prefix or full stop, and refuses empty, long or letterless answers', () => {
    expect(cleanLabel('Label: "Space adventures."\nBecause...')).toBe('Space adventures');
    expect(cleanLabel('   ')).toBeUndefined();
    expect(cleanLabel('1234')).toBeUndefined();
    expect(cleanLabel('a'.repeat(49))).toBeUndefined();
  });
});
