import type { IdLookup } from '../../../core/ids.js';
import type { Scored } from '../../../core/types.js';
import { fromChannel, type Candidate } from '../../candidates.js';

/**
 * A model's scored item indexes as one channel's candidates (score and rank in that channel).
 *
 * @example fromScored('cf', model.recommend({ user: row, k: 50, exclude }), bundle.items)
 */
export function fromScored(channel: string, scored: Scored[], items: IdLookup, as?: string | ((index: number) => string)): Candidate[] {
  return fromChannel(channel, scored.map((s) => ({
    itemId: items.idAt(s.index), score: s.score, as: typeof as === 'function' ? as(s.index) : as,
  })));
}
