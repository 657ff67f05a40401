import type { Scored } from '../core/types.js';

/** How two vectors are compared: cosine similarity, or the raw inner product (dot). */
export type VectorMetric = 'cosine' | 'ip';

export interface VectorSearchOptions {
  /** Labels never returned (e.g. the items a user already consumed). */
  exclude?: ReadonlySet<number>;
  /** Only labels for which this returns true are returned (e.g. "in stock"). */
  filter?: (label: number) => boolean;
}

/** HNSW graph parameters (see hnswlib): more links and wider beams give better recall for more memory and time. */
export interface HnswOptions {
  /** Links per node (default 16). */
  m?: number;
  /** Beam width while building (default 200). */
  efConstruction?: number;
  /** Beam width while searching; raised to k when k is larger (default 64). */
  efSearch?: number;
  /** Seed of the level generator; a fixed seed and insertion order give the same graph (default 100). */
  seed?: number;
}

/**
 * Nearest-neighbour search over labelled vectors. Labels are non-negative integers chosen by the caller (a model's
 * item indexes); adding an existing label replaces its vector, so updated items and brand-new items are searchable
 * at once. Scores are similarities, higher is better: cosine in [-1, 1] for 'cosine', the dot product for 'ip'.
 */
export interface VectorIndex {
  /** Which implementation currently answers: brute force or an HNSW graph. */
  readonly kind: 'exact' | 'hnsw';
  readonly dims: number;
  readonly metric: VectorMetric;
  /** Number of labels in the index. */
  readonly size: number;
  add(label: number, vector: ArrayLike<number>): void;
  has(label: number): boolean;
  /** The k most similar labels, best first (fewer when fewer pass the options). */
  search(query: ArrayLike<number>, k: number, opts?: VectorSearchOptions): Scored[];
  /** Self-describing bytes; `loadVectorIndex` (src/vectors/index.ts) turns them back into an index. */
  save(): Uint8Array;
}
