import fc from 'fast-check';
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
    expect(r.reasons).toEqual([{ kind: 'similar-users', text: 'Chosen by people whose choices resemble yours', evidence: [{ kind: 'channel', id: 'cf', value: 1 }] }]);
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
    expect(bare.reasons).toEqual([{ ...general, evidence: [{ kind: 'channel', id: 'cold-items', value: 1 }] }]);
  });

  it('names the history items as evidence, with their titles and weights', () => {
    const [r] = explainCandidates([cand({ because: [{ itemId: 'sw', weight: 2 }, { itemId: 'x', weight: 0.5 }] })], { lookup });
    expect(r.reasons[0].evidence).toEqual([{ kind: 'item', id: 'sw', label: 'Star Wars (1977)', value: 2 }, { kind: 'item', id: 'x', value: 0.5 }]);
  });

  it('a variety pick names the items above it (the nearest five) as evidence', () => {
    const list = ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => cand({ itemId: id, because: [{ itemId: 'sw', weight: 1 }], item: { id, title: id.toUpperCase() } }));
    const out = explainCandidates([...list, cand({ itemId: 'g', variety: true, because: [{ itemId: 'al', weight: 1 }] })], { lookup });
    const variety = out[6].reasons.find((x) => x.kind === 'variety');
    expect(variety?.itemIds).toEqual(['b', 'c', 'd', 'e', 'f']);
    expect(variety?.evidence?.map((e) => e.label)).toEqual(['B', 'C', 'D', 'E', 'F']);
  });

  it('an item the long-tail stage gave a place says so, with its count against the most chosen item', () => {
    const [r] = explainCandidates([cand({ itemId: 'g', lessKnown: { popularity: 11.6, most: 583 }, because: [{ itemId: 'al', weight: 1 }] })], { lookup });
    expect(r.reasons.map((x) => x.kind)).toEqual(['similar-to', 'less-known']);
    expect(r.reasons[1].evidence).toEqual([{ kind: 'stat', id: 'popularity', value: 12, label: 'the most chosen item: 583' }]);
  });

  it('a reason another module made without evidence rests on the channel that placed the item', () => {
    const [r] = explainCandidates([cand({ channel: 'trending', score: 7, reasons: [{ kind: 'trending', text: 'Trending' }] })], { lookup });
    expect(r.reasons[0].evidence).toEqual([{ kind: 'channel', id: 'trending', value: 7 }]);
  });

  it('property: whatever the provenance, every item gets at least one reason and every reason has evidence', () => {
    const channel = fc.constantFrom('cf', 'hybrid', 'semantic', 'query', 'cold-items', 'fresh', 'popular', 'next-item', 'category', 'trending', 'interests');
    const reason = fc.record({ kind: fc.constantFrom('popular', 'query', 'category'), text: fc.string() }, { requiredKeys: ['kind', 'text'] });
    const candidate = fc.record({
      itemId: fc.string({ minLength: 1, maxLength: 4 }),
      score: fc.double({ noNaN: true }),
      channel,
      because: fc.array(fc.record({ itemId: fc.constantFrom('sw', 'al', 'x', 'zz'), weight: fc.double({ min: 0.01, max: 5, noNaN: true }) }), { maxLength: 3 }),
      reasons: fc.array(reason, { maxLength: 2 }),
      variety: fc.boolean(),
    });
    fc.assert(fc.property(fc.array(candidate, { maxLength: 12 }), (cands) => {
      const out = explainCandidates(cands, { lookup });
      expect(out).toHaveLength(cands.length);
      for (const r of out) {
        expect(r.reasons.length).toBeGreaterThan(0);
        for (const x of r.reasons) expect(x.evidence?.length ?? 0).toBeGreaterThan(0);
      }
    }));
  });

  it('quotes titles as a list', () => {
    expect(quoteTitles(['A', 'B', 'C'])).toBe('"A", "B" and "C"');
  });
});
