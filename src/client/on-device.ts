/**
 * On-device personalisation, published as `kindred/on-device`: scores a history that never leaves the device against
 * a model snapshot downloaded from `GET /v1/models/snapshot`. Browser- and Node-safe (no `node:` imports, no I/O):
 * the caller fetches the snapshot. Its top-k equals the server's main-model scoring of the same history
 * (`engine.scoreHistory`) because both run the same kernels (ALS and BPR fold-in, factor top-k, item-kNN scoring, one
 * top-k with ties to the lower item index) over the same floats.
 */
import type { SparseRow } from '../core/sparse.js';
import { foldInUser } from '../models/als/fold-in.js';
import { foldInBpr } from '../models/bpr/fold-in.js';
import { ReachedScores, type NeighbourRows } from '../models/itemknn/score-history.js';
import { topByFactors } from '../models/linalg/factor-similarity.js';
import { topK } from '../models/topk.js';
import { historyRowOf, type LocalHistoryEntry } from '../privacy/on-device/local-history.js';
import { decodeFloat32, decodeInt32, SNAPSHOT_FORMAT, SnapshotError, type AlsSnapshot, type BprSnapshot, type ItemKnnSnapshot, type ModelSnapshot } from '../privacy/on-device/snapshot-format.js';

export { SnapshotError, SNAPSHOT_FORMAT };
export type { AlsSnapshot, BprSnapshot, ItemKnnSnapshot, LocalHistoryEntry, ModelSnapshot };

export interface OnDeviceRecommendation {
  itemId: string;
  score: number;
}

/** A parsed snapshot, ready to rank local histories. */
export interface OnDeviceScorer {
  /** The model version the snapshot was taken from: send it as If-None-Match to re-download only when it changed. */
  readonly version: number;
  readonly model: ModelSnapshot['model'];
  /** How many items the snapshot can recommend. */
  readonly itemCount: number;
  /** The top `k` items for a local history, consumed items excluded, best first (ties: lower item index first). */
  recommend(history: readonly LocalHistoryEntry[], k: number): OnDeviceRecommendation[];
}

/**
 * Reads a snapshot (the parsed JSON body of `GET /v1/models/snapshot`); throws SnapshotError when it is not one.
 *
 * @example
 * const scorer = parseSnapshot(await (await fetch(`${base}/v1/models/snapshot`)).json());
 * scorer.recommend([{ itemId: 'm1' }, { itemId: 'm7', weight: 2 }], 10);
 */
export function parseSnapshot(input: unknown): OnDeviceScorer {
  const s = input as Partial<ModelSnapshot> | null;
  if (typeof s !== 'object' || s === null || s.format !== SNAPSHOT_FORMAT) throw new SnapshotError(`not a ${SNAPSHOT_FORMAT} snapshot`);
  if (!Number.isInteger(s.version)) throw new SnapshotError('snapshot lacks its version');
  if (!Array.isArray(s.items) || !s.items.every((id) => typeof id === 'string')) throw new SnapshotError('snapshot lacks its item ids');
  const items = s.items;
  const indexOf = new Map(items.map((id, i) => [id, i]));
  const rank = s.model === 'als' ? alsRanker(s as AlsSnapshot)
    : s.model === 'bpr' ? bprRanker(s as BprSnapshot)
    : s.model === 'itemknn' ? itemKnnRanker(s as ItemKnnSnapshot)
    : undefined;
  if (!rank) throw new SnapshotError(`snapshot model ${String(s.model)} is not supported by this client`);
  return {
    version: s.version as number,
    model: s.model as ModelSnapshot['model'],
    itemCount: items.length,
    recommend(history, k) {
      if (!Number.isInteger(k) || k < 0) throw new RangeError('k must be a non-negative integer');
      const row = historyRowOf(history, (id) => indexOf.get(id));
      return rank(row, k).map((r) => ({ itemId: items[r.index], score: r.score }));
    },
  };
}

type Ranker = (row: SparseRow, k: number) => Array<{ index: number; score: number }>;

function alsRanker(s: AlsSnapshot): Ranker {
  const n = s.items.length;
  const { stride, factors, alpha, regularization } = s;
  if (!Number.isInteger(stride) || !Number.isInteger(factors) || factors < 1 || stride < factors) throw new SnapshotError('als snapshot has bad dimensions');
  if (!(Number.isFinite(alpha) && alpha >= 0 && Number.isFinite(regularization) && regularization > 0)) throw new SnapshotError('als snapshot has bad fold-in parameters');
  const side = {
    itemFactors: decodeFloat32(s.itemFactors, n * stride, 'itemFactors'),
    itemGram: decodeFloat32(s.itemGram, stride * stride, 'itemGram'),
    stride,
    alpha,
    regularization,
  };
  return (row, k) => topByFactors(foldInUser(row, side), side.itemFactors, stride, n, { k, exclude: row.indices });
}

function bprRanker(s: BprSnapshot): Ranker {
  const n = s.items.length;
  const { stride, factors, learningRate, regularization, epochs, seed } = s;
  if (!Number.isInteger(stride) || !Number.isInteger(factors) || factors < 1 || stride < factors) throw new SnapshotError('bpr snapshot has bad dimensions');
  if (![learningRate, regularization].every(Number.isFinite) || !Number.isInteger(epochs) || epochs < 0 || !Number.isInteger(seed)) {
    throw new SnapshotError('bpr snapshot has bad fold-in parameters');
  }
  const itemFactors = decodeFloat32(s.itemFactors, n * stride, 'itemFactors');
  const itemBias = decodeFloat32(s.itemBias, n, 'itemBias');
  const settings = { stride, learningRate, regularization, epochs, seed };
  return (row, k) => topByFactors(foldInBpr(row, itemFactors, settings), itemFactors, stride, n, { k, exclude: row.indices }, itemBias);
}

function itemKnnRanker(s: ItemKnnSnapshot): Ranker {
  const n = s.items.length;
  const indptr = decodeInt32(s.indptr, n + 1, 'indptr');
  const indices = decodeInt32(s.indices, undefined, 'indices');
  const data = decodeFloat32(s.data, indices.length, 'data');
  if (indptr[0] !== 0 || indptr[n] !== indices.length) throw new SnapshotError('itemknn snapshot has bad row offsets');
  for (let i = 0; i < n; i++) if (indptr[i + 1] < indptr[i]) throw new SnapshotError('itemknn snapshot has bad row offsets');
  for (const j of indices) if (j < 0 || j >= n) throw new SnapshotError('itemknn snapshot has an item index out of range');
  const scoring: NeighbourRows = { rows: n, indptr, indices, data };
  const scratch = new ReachedScores(scoring, s.normalize === true);
  // recall over reached items only (score above 0), as the model does without candidates
  return (row, k) => scratch.withScores(row, (scores, reached) => topK(scores, k, { candidates: reached, distinctCandidates: true, exclude: row.indices, above: 0 }));
}
