import type { Item, ItemId, Reason } from '../core/types.js';

/** A candidate moving through the pipeline: which channel found it, with what score, and why. */
export interface Candidate {
  itemId: ItemId;
  score: number;
  channel: string;
  /** History items that made the model propose this one, largest contribution first. */
  because: Array<{ itemId: ItemId; weight: number }>;
  /** Reasons that need no history (popular, cold start...). */
  reasons: Reason[];
  item?: Item;
}

/** True when the item may be shown at `nowMs`: not hidden, not expired. */
export function isAvailable(item: Item, nowMs: number): boolean {
  if (item.hidden) return false;
  if (item.expiresAt && Date.parse(item.expiresAt) <= nowMs) return false;
  return true;
}
