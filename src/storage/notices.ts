/**
 * Notices between processes sharing one store: a server that learns at once of a new model version or new items
 * instead of waiting for its next poll. PostgreSQL has them (LISTEN/NOTIFY); a memory store has them within its
 * process; SQLite has none, and its engines poll (config models.pollSeconds).
 */
import type { Store } from './store.js';

/** A new artifact version was saved; payload `<name>:<version>`. Adapters publish it themselves on every save. */
export const ARTIFACTS_CHANNEL = 'artifacts';
/**
 * Items were upserted (their embeddings stored). The engine publishes it; payload: their ids (`itemsNotice`), or ''
 * when they are too many for one notice (a listener then looks at everything).
 */
export const ITEMS_CHANNEL = 'items';

/** PostgreSQL refuses a NOTIFY payload of 8000 bytes or more; ids beyond this say '' instead. */
const MAX_ITEMS_PAYLOAD = 7000;

/**
 * The ITEMS_CHANNEL payload for these item ids: a JSON array, or '' when it would be too long.
 *
 * @example itemsNotice(['i1', 'i2']) // '["i1","i2"]'
 */
export function itemsNotice(ids: readonly string[]): string {
  const payload = JSON.stringify(ids);
  return Buffer.byteLength(payload, 'utf8') < MAX_ITEMS_PAYLOAD ? payload : '';
}

/** The item ids of an ITEMS_CHANNEL payload, or undefined when it names none (''), or is malformed. */
export function parseItemsNotice(payload: string): string[] | undefined {
  if (payload === '') return undefined;
  try {
    const ids: unknown = JSON.parse(payload);
    return Array.isArray(ids) && ids.every((id) => typeof id === 'string') ? ids : undefined;
  } catch {
    return undefined;
  }
}

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
