import { EngineError } from '../../core/errors.js';
import { csrFromArtifact, metaCount } from '../../models/csr-artifact.js';
import { trainedBundleOf, type ModelBundle } from '../../models/model-bundle.js';
import type { ModelArtifact } from '../../models/model.js';
import { historyRowOf, type LocalHistoryEntry } from './local-history.js';
import { encodeArray, SNAPSHOT_FORMAT, SNAPSHOT_MODELS, type AlsSnapshot, type BprSnapshot, type ItemKnnSnapshot, type ModelSnapshot } from './snapshot-format.js';

// A bundle never changes once built, so its snapshot is encoded once and kept as long as the bundle lives.
const snapshots = new WeakMap<ModelBundle, ModelSnapshot>();

/**
 * The on-device snapshot of a served bundle's main model: item-side state only (item factors and the fold-in
 * settings for ALS and BPR, the kept neighbour lists for item-kNN), never a user's row. Items stored after training are
 * not in it (the main model cannot score them either). EngineError CONFLICT for other main models.
 *
 * @example const snap = modelSnapshot(serving.current); // snap.version === serving.current.version
 */
export function modelSnapshot(bundle: ModelBundle): ModelSnapshot {
  const trained = trainedBundleOf(bundle);
  const cached = snapshots.get(trained);
  if (cached) return cached;
  const artifact = trained.models.main.save();
  const base: Base = { format: SNAPSHOT_FORMAT, version: trained.version, trainedAt: trained.trainedAt };
  let snapshot: ModelSnapshot;
  if (artifact.name === 'als') snapshot = alsSnapshot(artifact, base, trained);
  else if (artifact.name === 'bpr') snapshot = bprSnapshot(artifact, base, trained);
  else if (artifact.name === 'itemknn') snapshot = itemKnnSnapshot(artifact, base, trained);
  else {
    // 409, not 501: the server can publish snapshots, only the model it serves now has none
    throw new EngineError('CONFLICT', `main model ${artifact.name} has no on-device snapshot (train one of: ${SNAPSHOT_MODELS.join(', ')})`, { model: artifact.name });
  }
  snapshots.set(trained, snapshot);
  return snapshot;
}

type Base = Pick<ModelSnapshot, 'format' | 'version' | 'trainedAt'>;

function trainedItemIds(artifact: ModelArtifact, bundle: ModelBundle): string[] {
  const items = metaCount(artifact, 'items');
  if (items !== bundle.trainedItems) throw new EngineError('INTERNAL', `main model has ${items} items, bundle trained ${bundle.trainedItems}`);
  return bundle.items.ids().slice(0, items);
}

function alsSnapshot(a: ModelArtifact, base: Base, bundle: ModelBundle): AlsSnapshot {
  const { itemFactors, itemGram } = a.arrays;
  if (!(itemFactors instanceof Float32Array) || !(itemGram instanceof Float32Array)) throw new EngineError('INTERNAL', 'als artifact lacks its item factors');
  return {
    ...base,
    model: 'als',
    items: trainedItemIds(a, bundle),
    factors: Number(a.params.factors),
    stride: metaCount(a, 'stride'),
    alpha: Number(a.params.alpha),
    regularization: Number(a.params.regularization),
    itemFactors: encodeArray(itemFactors),
    itemGram: encodeArray(itemGram),
  };
}

function bprSnapshot(a: ModelArtifact, base: Base, bundle: ModelBundle): BprSnapshot {
  const { itemFactors, itemBias } = a.arrays;
  if (!(itemFactors instanceof Float32Array) || !(itemBias instanceof Float32Array)) throw new EngineError('INTERNAL', 'bpr artifact lacks its item factors');
  return {
    ...base,
    model: 'bpr',
    items: trainedItemIds(a, bundle),
    factors: Number(a.params.factors),
    stride: metaCount(a, 'stride'),
    learningRate: Number(a.params.learningRate),
    regularization: Number(a.params.regularization),
    // the fold-in runs the model's `iterations` epochs with the seed the fit used (meta.seed), as BprModel.foldIn
    epochs: Number(a.params.iterations),
    seed: metaCount(a, 'seed'),
    itemFactors: encodeArray(itemFactors),
    itemBias: encodeArray(itemBias),
  };
}

function itemKnnSnapshot(a: ModelArtifact, base: Base, bundle: ModelBundle): ItemKnnSnapshot {
  const items = trainedItemIds(a, bundle);
  const similarity = csrFromArtifact(a, 'sim', items.length);
  // the rows the model scores with: for pruning per scored item, row i must list the j that kept i (see itemknn.ts)
  const scoring = a.params.prune === 'scored' ? similarity.transpose() : similarity;
  return {
    ...base,
    model: 'itemknn',
    items,
    normalize: a.params.normalize === true,
    indptr: encodeArray(scoring.indptr),
    indices: encodeArray(scoring.indices),
    data: encodeArray(scoring.data),
  };
}

/** One scored item of `scoreHistory`. */
export interface HistoryScore {
  itemId: string;
  score: number;
}

/**
 * The server's scoring of a history, the reference the on-device client must equal: the main model's
 * `recommend({ user: history row, k, exclude: the history's items })`, without the request pipeline (fusion, care
 * re-ranking, filters), which reorders. Unknown item ids are dropped, as on the device.
 *
 * @example scoreHistory(bundle, [{ itemId: 'm1' }], 10)
 */
export function scoreHistory(bundle: ModelBundle, history: readonly LocalHistoryEntry[], k: number): HistoryScore[] {
  if (!Number.isInteger(k) || k < 0) throw new EngineError('INVALID_INPUT', 'k must be a non-negative integer', { path: '/k' });
  history.forEach((entry, row) => {
    if (entry.weight !== undefined && !Number.isFinite(entry.weight)) throw new EngineError('INVALID_INPUT', 'history weights must be finite numbers', { row, path: `/${row}/weight` });
  });
  const trained = trainedBundleOf(bundle);
  const row = historyRowOf(history, (id) => {
    const i = trained.items.indexOf(id);
    return i !== undefined && i < trained.trainedItems ? i : undefined;
  });
  return trained.models.main.recommend({ user: row, k, exclude: row.indices }).map((r) => ({ itemId: trained.items.idAt(r.index), score: r.score }));
}
