/** Derived, rebuildable lists (precomputed recommendations); losing the cache never loses data. */
export interface CacheKey {
  /** Which list: 'recommend', 'similar', 'popular', ... */
  list: string;
  /** The user or item the list is for ('' for global lists). */
  subject: string;
  /** Digest of the config and model version that produced the list; a change invalidates exactly its lists. */
  digest: string;
}

export interface CachedList {
  /** `via`: the pipeline channel that placed the item (its provenance, from which reasons are built on a hit). */
  items: Array<{ itemId: string; score: number; via?: string }>;
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
