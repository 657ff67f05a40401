import { EngineError } from '../core/errors.js';
import type { UserId } from '../core/types.js';
import type { Store } from './store.js';

/**
 * NOT_FOUND unless the store knows the user: a user record, or at least one event (users need not be upserted before
 * their events). The record is read first; the history only when there is none.
 *
 * @example await requireKnownUser(store, 'u1')
 */
export async function requireKnownUser(store: Store, userId: UserId): Promise<void> {
  if (await store.getUser(userId)) return;
  if ((await store.history(userId, { limit: 1 })).length > 0) return;
  throw new EngineError('NOT_FOUND', 'unknown user', { id: userId });
}
