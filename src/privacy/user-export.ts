import { EngineError } from '../core/errors.js';
import type { StoredEvent, User, UserId } from '../core/types.js';
import type { Store } from '../storage/store.js';

/**
 * Everything the store holds about one user (GET /v1/users/{id}/export, `kindred export-user`). Feedback
 * (`not_interested`, `show_less`) and impressions are events of those types, so `events` carries them with the rest.
 */
export interface UserExport {
  userId: UserId;
  /** ISO-8601 time the export was read. */
  exportedAt: string;
  /** The user record (attributes, consent), or null when only events or settings exist. */
  user: User | null;
  /** Every stored event of the user, newest first, with review text and its stored sentiment. */
  events: StoredEvent[];
  /** The stored interest profile state (mutes, boosts, stable interest ids), or null. */
  profile: Record<string, unknown> | null;
  /** Stored care preferences, or null. */
  carePreferences: Record<string, number | boolean> | null;
}

/**
 * Reads one user's data from the store. Throws EngineError NOT_FOUND when the store holds nothing about the id.
 *
 * @example const data = await exportUser(store, 'u1', new Date().toISOString());
 */
export async function exportUser(store: Store, userId: UserId, exportedAt: string): Promise<UserExport> {
  const [user, events, profile, preferences] = await Promise.all([
    store.getUser(userId), store.history(userId), store.getProfile(userId), store.getCarePreferences(userId),
  ]);
  if (!user && events.length === 0 && !profile && !preferences) throw new EngineError('NOT_FOUND', 'unknown user', { id: userId });
  return {
    userId,
    exportedAt,
    user: user ?? null,
    events,
    profile: profile?.state ?? null,
    carePreferences: preferences?.preferences ?? null,
  };
}
