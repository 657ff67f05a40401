import { describe, expect, it } from 'vitest';
import type { Item } from '../core/types.js';
import { explainCandidates, quoteTitles, type CandidateEvidence as Candidate } from './explain.js';

const lookup = new Map<string, Item>([
  ['sw', { id: 'sw', title: 'Star Wars (1977)' }],
  ['al', { id: 'al', title: 'Alien (1979)' }],
  ['x', { id: 'x' }],
]);
const cand = (over: Partial<Candidate>): Candidate => ({ itemId: 'r', score: 1, channel: 'cf', because: [], reasons: [], ...over });

describe('explainCandidates', () => {
  it('names the history item and what the user did with it', () => {
    const [r] = explainCandidates([cand({ because: [{ itemId: 'sw', weight: 2 }] })], { lookup, typeOf: new Map([['sw', 'view']]) });
    expect(r.reasons[0]).toMatchObject({ kind: 'similar-to', text: 'Because you viewed "Star Wars (1977)"', itemIds: ['sw'] });
  });

  it('groups items by what the user did, and shows an id where an item has no title', () => {
    const because = [{ itemId: 'sw', weight: 2 }, { itemId: 'al', weight: 1 }, { itemId: 'x', weight: 1 }];
    const typeOf = new Map([['sw', 'rating'], ['al', 'purchase'], ['x', 'rating']]);
    const [r] = explainCandidates([cand({ because })], { lookup, typeOf });
    expect(r.reasons[0].text).toBe('Because you rated "Star Wars (1977)" and "x" and bought "Alien (1979)"');
  });

  it('says when the history item was found by likeness rather than by the score itself', () => {
    const [r] = explainCandidates([cand({ because: [{ itemId: 'al', weight: 0.4, via: 'similar-items' }] })], { lookup, typeOf: new Map([['al', 'like']]) });
    expect(r.reasons[0].text).toBe('Because you liked "Alien (1979)": people who chose it often chose this too');
  });

  it('never falls back to naming a model: an unexplained collaborative item says what the evidence is', () => {
    const [r] = explainCandidates([cand({ channel: 'cf' })], { lookup });
    expect(r.reasons).toEqual([{ kind: 'similar-users', text: 'Chosen by people whose choices resemble yours' }]);
  });

  it('leads with the search for query matches, history items after', () => {
    const query = { kind: 'query', text: 'Matches your search "space"' };
    const [r] = explainCandidates([cand({ channel: 'query', reasons: [query], because: [{ itemId: 'sw', weight: 1 }] })], { lookup });
    expect(r.reasons.map((x) => x.text)).toEqual(['Matches your search "space"', 'Close in content to what you chose "Star Wars (1977)"']);
  });

  it('new items name the history item they are like; the general reason only stands in without one', () => {
    const general = { kind: 'new-item', text: 'New here, and close in content to what you like' };
    const [named, bare] = explainCandidates([
      cand({ channel: 'cold-items', reasons: [general], because: [{ itemId: 'al', weight: 1 }] }),
      cand({ channel: 'cold-items', reasons: [general] }),
    ], { lookup, typeOf: new Map([['al', 'rating']]) });
    expect(named.reasons).toHaveLength(1);
    expect(named.reasons[0].text).toBe('New item, close in content to what you rated "Alien (1979)"');
    expect(bare.reasons).toEqual([general]);
  });

  it('quotes titles as a list', () => {
    expect(quoteTitles(['A', 'B', 'C'])).toBe('"A", "B" and "C"');
  });
});
