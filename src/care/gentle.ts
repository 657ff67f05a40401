import type { Item, ItemId, StoredEvent } from '../core/types.js';
import { eventSentiment, textSentiment } from './sentiment.js';

/**
 * Emotion-aware care (gentle mode): the user's mood from their own recent texts, and which items' own texts are
 * distressing. Both are sentiment scores of care/sentiment.ts.
 */

/**
 * The mean sentiment of the user's texts (reviews, comments: every event with text) at or after `sinceMs`, or
 * undefined when none of them scores (no text, or only scripts the English model does not read).
 *
 * @example recentMood(ctx.history, now - 14 * 86_400_000) // -0.45
 */
export function recentMood(history: readonly StoredEvent[], sinceMs: number): number | undefined {
  let sum = 0;
  let n = 0;
  for (const e of history) {
    if (!e.text || !(Date.parse(e.timestamp) >= sinceMs)) continue;
    const s = eventSentiment(e);
    if (s === undefined) continue;
    sum += s;
    n++;
  }
  return n > 0 ? sum / n : undefined;
}

/**
 * An item's text as gentle mode reads it: its text (description, overview), else its title. Not both joined: wink
 * averages over sentences, so a neutral title sentence would halve the score of a grim description.
 */
function itemText(item: Item): string | undefined {
  return item.text?.trim() ? item.text : item.title;
}

/**
 * Item text sentiment, scored once per item and kept per model version (a WeakMap keyed by the bundle): a new
 * version, with item texts possibly changed since, starts a new memo.
 */
export class ItemToneMemo {
  private readonly byVersion = new WeakMap<object, Map<ItemId, number | null>>();

  /**
   * The sentiment of the item's text, else its title (undefined without either or without signal), memoised under `version`.
   *
   * @example memo.toneOf(ctx.bundle, candidate.item) // -0.6
   */
  toneOf(version: object, item: Item): number | undefined {
    let scores = this.byVersion.get(version);
    if (!scores) {
      scores = new Map();
      this.byVersion.set(version, scores);
    }
    const known = scores.get(item.id);
    if (known !== undefined) return known ?? undefined;
    const score = textSentiment(itemText(item));
    scores.set(item.id, score ?? null);
    return score;
  }
}

/**
 * Gentle order: the items that are not distressing first, then the distressing ones, each group in its own order
 * (a stable partition; nothing is removed).
 *
 * @example gentleOrder([a, b, c], (x) => x === b) // [a, c, b]
 */
export function gentleOrder<T>(list: readonly T[], distressing: (x: T) => boolean): T[] {
  const calm: T[] = [];
  const hard: T[] = [];
  for (const x of list) (distressing(x) ? hard : calm).push(x);
  return [...calm, ...hard];
}
