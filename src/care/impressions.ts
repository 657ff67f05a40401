import { EngineError } from '../core/errors.js';
import type { Event, ItemId, UserId } from '../core/types.js';
import { normaliseTimestamp } from '../storage/event-id.js';
import { IMPRESSION } from './engagement.js';

/** One list shown to a user: the items in it and when (ISO-8601; default now). */
export interface ImpressionList {
  userId: UserId;
  itemIds: ItemId[];
  timestamp?: string;
}

/** What recording impressions answers. */
export interface ImpressionsReport {
  /** Impressions written now. */
  recorded: number;
  /** Impressions already stored (same user, item and timestamp) or repeated in the request: written once. */
  duplicates: number;
}

function invalid(message: string, path: string): EngineError {
  return new EngineError('INVALID_INPUT', message, { path });
}

/**
 * The `impression` events of shown lists, checked (INVALID_INPUT naming the field: `/0/itemIds/2`), each at its list's
 * timestamp or `nowIso`. Their ids are derived from user, item, type and time, so posting the same list with the same
 * timestamp again writes nothing new.
 *
 * @example impressionEvents([{ userId: 'u1', itemIds: ['a', 'b'] }], '2024-01-01T00:00:00.000Z') // two impression events
 */
export function impressionEvents(lists: readonly ImpressionList[], nowIso: string): Event[] {
  return lists.flatMap((list, row) => {
    const at = `/${row}`;
    if (typeof list !== 'object' || list === null) throw invalid('an impression list must be an object { userId, itemIds, timestamp? }', at);
    if (typeof list.userId !== 'string' || list.userId.length === 0) throw invalid('userId must be a non-empty string', `${at}/userId`);
    if (!Array.isArray(list.itemIds) || list.itemIds.length === 0) throw invalid('itemIds must be a non-empty list of item ids', `${at}/itemIds`);
    list.itemIds.forEach((id, i) => {
      if (typeof id !== 'string' || id.length === 0) throw invalid('each item id must be a non-empty string', `${at}/itemIds/${i}`);
    });
    const timestamp = list.timestamp === undefined ? nowIso : normaliseTimestamp(list.timestamp);
    if (timestamp === undefined) throw invalid('timestamp must be an ISO-8601 time', `${at}/timestamp`);
    return list.itemIds.map((itemId) => ({ userId: list.userId, itemId, type: IMPRESSION, timestamp }));
  });
}
