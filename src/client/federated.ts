/**
 * Federated learning, device side, published as `kindred/federated`: from a round's model (item factors and what the
 * ALS fold-in needs) and a history kept on the device, computes the user's vector locally (never sent) and the
 * gradient of the user's share of the implicit-ALS loss with respect to every item factor, clipped to an L2 bound and,
 * when the round asks for it, with Gaussian noise added. Only that update is sent (federated collaborative filtering,
 * Ammad-ud-din et al. 2019). Browser- and Node-safe like `kindred/on-device`: no `node:` imports, no I/O; the user
 * vector comes from the same fold-in the device ranks with.
 *
 * The update is dense (a row for every item of the round, including items the user never touched): the loss gives
 * every item a non-zero gradient, and a sparse update would name the touched items outright. A dense update without
 * noise still lets whoever reads it recover the history (docs/privacy.md, "Federated learning").
 */
import type { SparseRow } from '../core/sparse.js';
import { foldInUser, type ItemSide } from '../models/als/fold-in.js';
import { alsItemGradient } from '../models/als/item-gradient.js';
import { topByFactors } from '../models/linalg/factor-similarity.js';
import { historyRowOf, type LocalHistoryEntry } from '../privacy/on-device/local-history.js';

export type { LocalHistoryEntry };

/** What the server publishes for one round. Arrays are typed here; a transport encodes them (e.g. base64). */
export interface FederatedRound {
  /** Round number; the update carries it back so a late update for an older round can be refused. */
  round: number;
  /** Item ids, index order: item i is row i of `itemFactors` and of the update. */
  items: readonly string[];
  factors: number;
  /** Row length of `itemFactors` (≥ factors; columns past `factors` are zero). */
  stride: number;
  alpha: number;
  regularization: number;
  /** items × stride float32, row-major. */
  itemFactors: Float32Array;
  /** stride × stride float32: YᵀY of `itemFactors`. */
  itemGram: Float32Array;
  /** L2 bound C of each client's update; absent: not clipped (then no noise either). */
  clipNorm?: number;
  /** σ: each coordinate of the update gets Gaussian noise of standard deviation σ·C; 0 for none. */
  noiseMultiplier: number;
}

/** What a device sends: the round it answers and items × factors float32 (dense, row-major). */
export interface FederatedUpdate {
  round: number;
  gradient: Float32Array;
}

/** Uniform numbers in [0, 1); the device default draws from `crypto.getRandomValues`. */
export type UniformSource = () => number;

export interface UpdateOptions {
  /** Noise randomness: by default a cryptographic source. Seeded sources are for simulations only. */
  random?: UniformSource;
}

/**
 * The update for one device's history. Unknown item ids are ignored; repeated ids add their weights.
 *
 * @example
 * const update = federatedUpdate(round, [{ itemId: 'm1' }, { itemId: 'm7', weight: 2 }]);
 * // send { round: update.round, gradient: update.gradient } to the server
 */
export function federatedUpdate(model: FederatedRound, history: readonly LocalHistoryEntry[], opts: UpdateOptions = {}): FederatedUpdate {
  const indexOf = new Map(model.items.map((id, i) => [id, i]));
  return federatedUpdateOfRow(model, historyRowOf(history, (id) => indexOf.get(id)), opts);
}

/**
 * The update for a history row already in item indices (sorted, no repeats), as `federatedUpdate` builds it.
 *
 * @example federatedUpdateOfRow(round, { indices: Int32Array.of(0, 7), values: Float32Array.of(1, 2) })
 */
export function federatedUpdateOfRow(model: FederatedRound, row: SparseRow, opts: UpdateOptions = {}): FederatedUpdate {
  const side = checkedSide(model);
  const x = foldInUser(row, side);
  const gradient = alsItemGradient(row, side, x, model.factors);
  if (model.clipNorm !== undefined) clipToNorm(gradient, model.clipNorm);
  if (model.noiseMultiplier > 0) {
    const clip = model.clipNorm ?? 0;
    addGaussianNoise(gradient, model.noiseMultiplier * clip, opts.random ?? cryptoUniform());
  }
  return { round: model.round, gradient: Float32Array.from(gradient) };
}

/**
 * The device's own top `k` under a round's model, consumed items excluded: the same fold-in and scoring as
 * `kindred/on-device` with an ALS snapshot of the same factors, so training and ranking use one user vector.
 *
 * @example recommendFromRound(round, [{ itemId: 'm1' }], 10) // [{ itemId: 'm50', score: 0.8 }, ...]
 */
export function recommendFromRound(model: FederatedRound, history: readonly LocalHistoryEntry[], k: number): Array<{ itemId: string; score: number }> {
  if (!Number.isInteger(k) || k < 0) throw new RangeError('k must be a non-negative integer');
  const side = checkedSide(model);
  const indexOf = new Map(model.items.map((id, i) => [id, i]));
  const row = historyRowOf(history, (id) => indexOf.get(id));
  const top = topByFactors(foldInUser(row, side), side.itemFactors, side.stride, model.items.length, { k, exclude: row.indices });
  return top.map((r) => ({ itemId: model.items[r.index], score: r.score }));
}

/**
 * Scales `v` in place so that its L2 norm is at most `bound`; returns the norm it had.
 *
 * @example clipToNorm(Float64Array.of(3, 4), 1) // 5; v is now (0.6, 0.8)
 */
export function clipToNorm(v: Float64Array, bound: number): number {
  let sq = 0;
  for (let a = 0; a < v.length; a++) sq += v[a] * v[a];
  const norm = Math.sqrt(sq);
  if (norm > bound) {
    const scale = bound / norm;
    for (let a = 0; a < v.length; a++) v[a] *= scale;
  }
  return norm;
}

/** Adds N(0, sd²) to every entry (Box-Muller, both outputs used). */
function addGaussianNoise(v: Float64Array, sd: number, random: UniformSource): void {
  for (let a = 0; a < v.length; a += 2) {
    const radius = sd * Math.sqrt(-2 * Math.log(1 - random()));
    const angle = 2 * Math.PI * random();
    v[a] += radius * Math.cos(angle);
    if (a + 1 < v.length) v[a + 1] += radius * Math.sin(angle);
  }
}

/** Uniform [0, 1) from the platform's cryptographic generator (browsers and Node ≥ 19 expose `globalThis.crypto`). */
function cryptoUniform(): UniformSource {
  const source = (globalThis as { crypto?: { getRandomValues<T extends Uint32Array>(a: T): T } }).crypto;
  if (!source) throw new RangeError('no cryptographic random source: pass opts.random');
  const buffer = new Uint32Array(8192);
  let next = buffer.length;
  return () => {
    if (next === buffer.length) {
      source.getRandomValues(buffer);
      next = 0;
    }
    return buffer[next++] / 4294967296;
  };
}

function checkedSide(m: FederatedRound): ItemSide {
  const n = m.items.length;
  if (!Number.isInteger(m.round) || m.round < 0) throw new RangeError('round must be a non-negative integer');
  if (!Number.isInteger(m.factors) || m.factors < 1 || !Number.isInteger(m.stride) || m.stride < m.factors) throw new RangeError('round has bad dimensions');
  if (m.itemFactors.length !== n * m.stride || m.itemGram.length !== m.stride * m.stride) throw new RangeError('round arrays do not match its dimensions');
  if (!(Number.isFinite(m.alpha) && m.alpha >= 0 && Number.isFinite(m.regularization) && m.regularization > 0)) throw new RangeError('round has bad fold-in parameters');
  if (m.clipNorm !== undefined && !(Number.isFinite(m.clipNorm) && m.clipNorm > 0)) throw new RangeError('clipNorm must be a positive number');
  if (!(Number.isFinite(m.noiseMultiplier) && m.noiseMultiplier >= 0)) throw new RangeError('noiseMultiplier must be a non-negative number');
  if (m.noiseMultiplier > 0 && m.clipNorm === undefined) throw new RangeError('noise needs a clipNorm: it is scaled to the clipping bound');
  return { itemFactors: m.itemFactors, itemGram: m.itemGram, stride: m.stride, alpha: m.alpha, regularization: m.regularization };
}
