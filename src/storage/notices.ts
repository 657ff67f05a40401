/**
 * Notices between processes sharing one store: a server that learns at once of a new model version or new items
 * instead of waiting for its next poll. PostgreSQL has them (LISTEN/NOTIFY); a memory store has them within its
 * process; SQLite has none, and its engines poll (config models.pollSeconds).
 */
import type { Store } from './store.js';

/** A new artifact version was saved; payload `<name>:<version>`. Adapters publish it themselves on every save. */
export const ARTIFACTS_CHANNEL = 'artifacts';
/** Items were upserted (their embeddings stored); payload ''. The engine publishes it. */
export const ITEMS_CHANNEL = 'items';

/** Optional Store capability, checked with `hasNotices`; never a stub that throws. */
export interface StoreNotices {
  /** Tells every listener of `channel` (in any process on this store, this one included). Best effort: a lost notice is caught by the next poll. */
  notify(channel: string, payload: string): Promise<void>;
  /** Calls `onMessage` for each notice on `channel` until the returned function is called. */
  listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>>;
}

/** Type guard: can this store pass notices between processes? */
export function hasNotices(store: Store): store is Store & StoreNotices {
  const s = store as Partial<StoreNotices>;
  return typeof s.notify === 'function' && typeof s.listen === 'function';
}

/** The `<name>:<version>` payload of an ARTIFACTS_CHANNEL notice, or undefined when malformed. */
export function parseArtifactNotice(payload: string): { name: string; version: number } | undefined {
  const at = payload.lastIndexOf(':');
  const version = Number(payload.slice(at + 1));
  return at > 0 && Number.isInteger(version) && version > 0 ? { name: payload.slice(0, at), version } : undefined;
}
