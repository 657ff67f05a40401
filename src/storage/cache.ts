import type { Credit } from '../core/types.js';

/** Derived, rebuildable lists (precomputed recommendations); losing the cache never loses data. */
export interface CacheKey {
  /** Which list: 'recommend', 'similar', 'popular', ... */
  list: string;
  /** The user or item the list is for ('' for global lists). */
  subject: string;
  /** Digest of the config and model version that produced the list; a change invalidates exactly its lists. */
  digest: string;
}

/** One item of a cached list: what a hit needs to build the item's reasons as the live run did. */
export interface CachedListItem {
  itemId: string;
  score: number;
  /** The pipeline channel that placed the item (its provenance, from which reasons are built on a hit). */
  via?: string;
  /** The history items the model credited for it when the list was made (shown items only). */
  because?: Credit[];
  /** Moved up by the diversity stage for variety. */
  variety?: true;
  /** Brought in by the long-tail stage. */
  lessKnown?: true;
}

export interface CachedList {
  items: CachedListItem[];
  createdAt: string;
}

export interface Cache {
  readonly kind: string;
  get(key: CacheKey): Promise<CachedList | undefined>;
  put(key: CacheKey, list: CachedList, ttlSeconds?: number): Promise<void>;
  /** Removes every entry matching all given fields; returns how many were removed. */
  invalidate(match: Partial<CacheKey>): Promise<number>;
  close(): Promise<void>;
}
