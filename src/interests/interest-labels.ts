import type { Item } from '../core/types.js';

/** How many catalogue items carry each term (the "document frequency" of a TF-IDF label). */
export interface CatalogueTerms {
  items: number;
  counts: Map<string, number>;
}

/** One distinctive term of an interest, with its score (weighted share in the interest × rarity in the catalogue). */
export interface LabelTerm {
  term: string;
  score: number;
}

const TERMS_PER_LABEL = 3;
/** A term must be carried by at least this share of the interest's weight to describe it. */
const MIN_SHARE = 0.2;
/** Lift over the user's whole history is capped: a term rare for the user must still be common in the interest. */
const MAX_LIFT = 3;

/**
 * The terms an item is described by: its categories, tags and `attributes.keywords` (a string or a list), trimmed,
 * case-folded for counting (the first spelling seen is shown), each counted once per item.
 *
 * @example itemTerms({ id: 'm1', categories: ['Sci-Fi'], tags: ['space'] }) // ['Sci-Fi', 'space']
 */
export function itemTerms(item: Item): string[] {
  const keywords = item.attributes?.keywords;
  const raw = [
    ...(item.categories ?? []),
    ...(item.tags ?? []),
    ...(typeof keywords === 'string' ? [keywords] : Array.isArray(keywords) ? keywords.filter((k): k is string => typeof k === 'string') : []),
  ];
  const seen = new Map<string, string>();
  for (const t of raw) {
    const term = t.trim();
    if (term && !seen.has(term.toLowerCase())) seen.set(term.toLowerCase(), term);
  }
  return [...seen.values()];
}

/**
 * Counts terms over a stream of item batches (the catalogue).
 *
 * @example const terms = await catalogueTerms(store.scanItems())
 */
export async function catalogueTerms(batches: AsyncIterable<Item[]>): Promise<CatalogueTerms> {
  const counts = new Map<string, number>();
  let items = 0;
  for await (const batch of batches) {
    for (const item of batch) {
      items++;
      for (const t of itemTerms(item)) counts.set(t.toLowerCase(), (counts.get(t.toLowerCase()) ?? 0) + 1);
    }
  }
  return { items, counts };
}

/**
 * The most distinctive terms of one interest. A term's score is
 * `share_in_interest × ln(N / df) × min(3, share_in_interest / share_in_user)`: how much of the interest's weight
 * carries it, how rare it is in the catalogue (TF-IDF), and its lift over the user's whole history (so a term all of
 * the user's interests share, like "Drama" for a drama lover, does not label each of them). Terms below a 20 % share
 * are not used.
 *
 * @example distinctiveTerms([{ item, weight: 2 }], allUserItems, catalogue) // [{ term: 'Sci-Fi', score: 1.9 }, ...]
 */
export function distinctiveTerms(
  members: ReadonlyArray<{ item: Item; weight: number }>,
  userItems: ReadonlyArray<{ item: Item; weight: number }>,
  catalogue: CatalogueTerms,
): LabelTerm[] {
  const inInterest = termShares(members);
  const inUser = termShares(userItems);
  const out: LabelTerm[] = [];
  for (const [key, { share, spelling }] of inInterest.shares) {
    if (share < MIN_SHARE) continue;
    const df = Math.max(1, catalogue.counts.get(key) ?? 1);
    const idf = Math.log(Math.max(catalogue.items, df) / df);
    const lift = Math.min(MAX_LIFT, share / Math.max(1e-9, inUser.shares.get(key)?.share ?? share));
    out.push({ term: spelling, score: share * idf * lift });
  }
  return out.sort((a, b) => b.score - a.score || a.term.localeCompare(b.term)).slice(0, TERMS_PER_LABEL);
}

/**
 * A readable label: the distinctive terms joined by " · " ("Sci-Fi · Space · Adventure"), or, for items without
 * terms, "like " and the titles of the two heaviest items.
 *
 * @example interestLabel(terms, ['Star Wars (1977)']) // 'Sci-Fi · War · Adventure'
 */
export function interestLabel(terms: readonly LabelTerm[], topTitles: readonly string[]): string {
  const useful = terms.filter((t) => t.score > 0);
  if (useful.length > 0) return useful.map((t) => t.term).join(' · ');
  if (topTitles.length > 0) return `like ${topTitles.slice(0, 2).join(', ')}`;
  return 'items without categories or tags';
}

function termShares(members: ReadonlyArray<{ item: Item; weight: number }>): { shares: Map<string, { share: number; spelling: string }> } {
  const total = members.reduce((s, m) => s + m.weight, 0);
  const shares = new Map<string, { share: number; spelling: string }>();
  if (total <= 0) return { shares };
  for (const { item, weight } of members) {
    for (const term of itemTerms(item)) {
      const key = term.toLowerCase();
      const cur = shares.get(key);
      shares.set(key, { share: (cur?.share ?? 0) + weight / total, spelling: cur?.spelling ?? term });
    }
  }
  return { shares };
}
