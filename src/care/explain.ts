import type { Item, ItemId, Reason, Recommendation } from '../core/types.js';
import type { Candidate } from '../pipeline/candidates.js';

/** '"A"', '"A" and "B"', '"A", "B" and "C"'. */
function quote(titles: string[]): string {
  const q = titles.map((t) => `"${t}"`);
  return q.length <= 1 ? q.join('') : `${q.slice(0, -1).join(', ')} and ${q[q.length - 1]}`;
}

/**
 * Turns candidates into the response: every recommendation carries at least one human-readable reason. History
 * contributions become "Because you liked …" with the items' titles (ids when an item has no title).
 *
 * @example explainCandidates(cands, titlesById)
 */
export function explainCandidates(candidates: Candidate[], lookup: Map<ItemId, Item>): Recommendation[] {
  return candidates.map((c) => {
    const reasons: Reason[] = [];
    // Content channels (query, semantic, cold items) lead with their own reason; history items support it.
    const byContent = c.channel !== 'cf' && c.channel !== 'popular';
    if (c.because.length > 0) {
      const titles = quote(c.because.map((b) => lookup.get(b.itemId)?.title ?? b.itemId));
      reasons.push({
        kind: byContent ? 'similar-content' : 'similar-to',
        text: byContent ? `Close in content to ${titles}, which you liked` : `Because you liked ${titles}`,
        itemIds: c.because.map((b) => b.itemId),
        weight: c.because.reduce((s, b) => s + b.weight, 0),
      });
    }
    if (byContent) reasons.unshift(...c.reasons);
    else reasons.push(...c.reasons);
    if (reasons.length === 0) reasons.push({ kind: c.channel, text: `Recommended by the ${c.channel} model` });
    return { itemId: c.itemId, score: c.score, title: c.item?.title, reasons };
  });
}
