import type { Evidence, Item, ItemId, Reason, Recommendation } from '../core/types.js';

/**
 * A fused candidate's provenance as the explain step reads it: the evidence kind of the channel that placed it, its
 * score, the history items behind it, and the reasons that need no history (popular, cold start, the search).
 */
export interface CandidateEvidence {
  itemId: ItemId;
  score: number;
  /** Evidence kind: cf, hybrid, semantic, query, cold-items, popular, or another recall channel's name. */
  channel: string;
  /** The channel (or ensemble model: als, bpr...) whose list placed it, when it differs from `channel`. */
  placedBy?: string;
  /**
   * History items that made the model propose this one, largest contribution first. `via: 'similar-items'` marks an
   * attribution made afterwards (the history item most like this one) for models whose score cannot be split.
   */
  because: Array<{ itemId: ItemId; weight: number; via?: 'similar-items' }>;
  /** Reasons that need no history (popular, cold start...). */
  reasons: Reason[];
  item?: Item;
  /** Moved up by the diversity stage: the reasons add "Chosen for variety". */
  variety?: boolean;
  /** Brought into the list by the long-tail stage: its popularity and the catalogue's largest (the reason's evidence). */
  lessKnown?: { popularity: number; most: number };
}

/** What a user did with an item, by event type, as the past tense a reason uses ("Because you rated …"). */
const VERBS: Readonly<Record<string, string>> = {
  view: 'viewed',
  click: 'looked at',
  cart: 'put in your cart',
  purchase: 'bought',
  rating: 'rated',
  like: 'liked',
  review: 'reviewed',
};

/** What the explain step knows beside the candidates: item records and what the user did with each history item. */
export interface ExplainContext {
  /** Item records by id (titles); ids are shown where an item has none. */
  lookup: Map<ItemId, Item>;
  /** The type of the user's latest positive event per history item (see LiveProfile.typeOf). */
  typeOf?: Map<ItemId, string>;
}

/**
 * '"A"' / '"A" and "B"' / '"A", "B" and "C"'.
 *
 * @example quoteTitles(['Alien', 'Heat']) // '"Alien" and "Heat"'
 */
export function quoteTitles(titles: string[]): string {
  const q = titles.map((t) => `"${t}"`);
  return q.length <= 1 ? q.join('') : `${q.slice(0, -1).join(', ')} and ${q[q.length - 1]}`;
}

/** 'rated "A" and "B"', or 'rated "A" and bought "B"' when the user did different things with them. */
function didWith(ids: ItemId[], ctx: ExplainContext): string {
  const verb = (id: ItemId): string => VERBS[ctx.typeOf?.get(id) ?? ''] ?? 'chose';
  const title = (id: ItemId): string => ctx.lookup.get(id)?.title ?? id;
  const groups = new Map<string, string[]>();
  for (const id of ids) groups.set(verb(id), [...(groups.get(verb(id)) ?? []), title(id)]);
  return [...groups].map(([v, titles]) => `${v} ${quoteTitles(titles)}`).join(' and ');
}

/**
 * The reason of an item recalled for one of the user's stored interests (the interests channel), with the interest's id.
 *
 * @example interestReason({ id: '2', label: 'Sci-Fi · space' }) // { kind: 'interest', text: 'Matches your interest "Sci-Fi · space"', evidence: [{ kind: 'interest', id: '2', label: 'Sci-Fi · space' }] }
 */
export function interestReason(interest: { id: string; label: string }): Reason {
  return { kind: 'interest', text: `Matches your interest "${interest.label}"`, evidence: [{ kind: 'interest', id: interest.id, label: interest.label }] };
}

/** Items as evidence, each with its title when known and its weight when given. */
function itemEvidence(items: Array<{ itemId: ItemId; weight?: number }>, titleOf: (id: ItemId) => string | undefined): Evidence[] {
  return items.map((b) => {
    const label = titleOf(b.itemId);
    return { kind: 'item', id: b.itemId, ...(label !== undefined ? { label } : {}), ...(b.weight !== undefined ? { value: b.weight } : {}) };
  });
}

/** The reason a candidate's history evidence gives, worded by the channel that found it. */
function historyReason(c: CandidateEvidence, ctx: ExplainContext): Reason | undefined {
  if (c.because.length === 0) return undefined;
  const ids = c.because.map((b) => b.itemId);
  const did = didWith(ids, ctx);
  const evidence = itemEvidence(c.because, (id) => ctx.lookup.get(id)?.title);
  const base = { itemIds: ids, weight: c.because.reduce((s, b) => s + b.weight, 0), evidence };
  switch (c.channel) {
    case 'cold-items':
      return { kind: 'new-item', text: `New item, close in content to what you ${did}`, ...base };
    case 'fresh':
      return { kind: 'fresh', text: `New, like items you ${did}`, ...base };
    case 'next-item':
      return { kind: 'next-item', text: `Because you ${did}: people often pick this next`, ...base };
    case 'semantic':
    case 'query':
      return { kind: 'similar-content', text: `Close in content to what you ${did}`, ...base };
    case 'hybrid':
      return { kind: 'similar-to', text: `Close, by content and by who chose them, to what you ${did}`, ...base };
    default:
      return c.because[0].via === 'similar-items'
        ? { kind: 'similar-to', text: `Because you ${did}: people who chose it often chose this too`, ...base }
        : { kind: 'similar-to', text: `Because you ${did}`, ...base };
  }
}

/** How many of the items above a variety pick its reason names (the nearest ones). */
const VARIETY_EVIDENCE = 5;

/**
 * The reason of an item the long-tail stage gave a place: how often it was chosen against the most chosen item.
 *
 * @example lessKnownReason({ popularity: 12, most: 583 }).text // 'Less known: a place for it so your list is not only the best-known items'
 */
export function lessKnownReason(counts: { popularity: number; most: number }): Reason {
  return {
    kind: 'less-known',
    text: 'Less known: a place for it so your list is not only the best-known items',
    evidence: [{ kind: 'stat', id: 'popularity', value: Math.round(counts.popularity), label: `the most chosen item: ${Math.round(counts.most)}` }],
  };
}

/** The recall channel and its score: the evidence of last resort, for a reason no fact more specific backs. */
function channelEvidence(c: CandidateEvidence): Evidence {
  return { kind: 'channel', id: c.channel, value: c.score };
}

/**
 * Turns candidates (in list order) into the response: every recommendation carries at least one reason naming its
 * evidence in plain words: an item of the user's history ("Because you rated "Star Wars (1977)""), the search, or
 * how many people chose it; and every reason carries that evidence by id (`Reason.evidence`). A query's reason
 * leads, the history items it was blended with follow.
 *
 * @example explainCandidates(cands, { lookup: itemsById, typeOf: profile.typeOf })
 */
export function explainCandidates(candidates: CandidateEvidence[], ctx: ExplainContext): Recommendation[] {
  const titleOf = (id: ItemId): string | undefined => ctx.lookup.get(id)?.title ?? candidates.find((c) => c.itemId === id)?.item?.title;
  return candidates.map((c, position) => {
    const fromHistory = historyReason(c, ctx);
    const own = fromHistory ? [fromHistory] : [];
    let reasons: Reason[];
    if (c.channel === 'query') reasons = [...c.reasons, ...own];
    // The channel's general reason ("close in content to what you like") only stands in when no history item is named.
    else if (c.channel === 'semantic' || c.channel === 'cold-items' || c.channel === 'fresh') reasons = own.length > 0 ? own : c.reasons;
    else reasons = [...own, ...c.reasons];
    // A collaborative score with no history item to show for it (no item-item model to attribute it through).
    if (reasons.length === 0) reasons.push({ kind: 'similar-users', text: 'Chosen by people whose choices resemble yours', evidence: [channelEvidence(c)] });
    if (c.variety) {
      const above = candidates.slice(Math.max(0, position - VARIETY_EVIDENCE), position).map((a) => ({ itemId: a.itemId }));
      reasons.push({ kind: 'variety', text: 'Chosen for variety: unlike the items above it', itemIds: above.map((a) => a.itemId), evidence: itemEvidence(above, titleOf) });
    }
    if (c.lessKnown) reasons.push(lessKnownReason(c.lessKnown));
    // A reason made elsewhere without evidence (a stage of another module) rests at least on the channel that placed it.
    const backed = reasons.map((r) => (r.evidence && r.evidence.length > 0 ? r : { ...r, evidence: [channelEvidence(c)] }));
    return { itemId: c.itemId, score: c.score, title: c.item?.title, reasons: backed };
  });
}
