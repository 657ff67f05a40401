/**
 * The published model snapshot (`GET /v1/models/snapshot`, `engine.modelSnapshot()`): JSON whose numeric arrays are
 * base64 of little-endian float32 / int32, so one plain `fetch().json()` reads it in a browser or in Node. Shared by
 * the server (which encodes it) and the on-device client (which decodes it); imports nothing from Node.
 */

/** Format tag; a client refuses a snapshot whose format it does not know. */
export const SNAPSHOT_FORMAT = 'kindred-snapshot/1' as const;

interface SnapshotBase {
  format: typeof SNAPSHOT_FORMAT;
  /** The served model version the snapshot was taken from (also its ETag). */
  version: number;
  trainedAt: string;
  /** Trained item ids, index order: position i is item index i in every array below. */
  items: string[];
}

/**
 * ALS: what the server's exact fold-in needs. With Y the item factors (items x stride, zero-padded past `factors`),
 * a history's user vector is (YᵀY + λ(items + |h|) I + Σ α r y yᵀ)⁻¹ Σ (1 + α r) y, and scores are x·y_i.
 */
export interface AlsSnapshot extends SnapshotBase {
  model: 'als';
  factors: number;
  stride: number;
  alpha: number;
  regularization: number;
  /** base64 float32, items x stride. */
  itemFactors: string;
  /** base64 float32, stride x stride: YᵀY exactly as the server holds it. */
  itemGram: string;
}

/**
 * Item-kNN: the kept neighbour lists as a CSR matrix whose row i lists the items a history item i adds score to
 * (sim(i, j) kept by the model's pruning); score(j) = Σ_i w_i sim(i, j), divided by Σ_i sim(i, j) when `normalize`.
 */
export interface ItemKnnSnapshot extends SnapshotBase {
  model: 'itemknn';
  normalize: boolean;
  /** base64 int32, items + 1 row offsets. */
  indptr: string;
  /** base64 int32, column (scored item) of each kept pair. */
  indices: string;
  /** base64 float32, similarity of each kept pair. */
  data: string;
}

/**
 * BPR: the server's seeded SGD fold-in (epochs · |h| steps from x = 0 against fixed item factors), then x·y_i + b_i.
 * History weights do not matter to BPR, only which items are in it.
 */
export interface BprSnapshot extends SnapshotBase {
  model: 'bpr';
  factors: number;
  stride: number;
  learningRate: number;
  regularization: number;
  epochs: number;
  seed: number;
  /** base64 float32, items x stride. */
  itemFactors: string;
  /** base64 float32, one bias per item. */
  itemBias: string;
}

export type ModelSnapshot = AlsSnapshot | BprSnapshot | ItemKnnSnapshot;

/** Main models a snapshot can carry: their scoring is exactly reproducible from published item-side state. */
export const SNAPSHOT_MODELS: readonly string[] = ['als', 'bpr', 'itemknn'];

/**
 * Base64 of a Float32Array or Int32Array, little-endian whatever the platform.
 *
 * @example encodeArray(Float32Array.of(1)) // 'AACAPw=='
 */
export function encodeArray(values: Float32Array | Int32Array): string {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  if (values instanceof Float32Array) for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  else for (let i = 0; i < values.length; i++) view.setInt32(i * 4, values[i], true);
  let binary = '';
  // String.fromCharCode takes arguments: chunk so large arrays do not overflow the call stack
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function decodeBytes(text: string, what: string): DataView {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    throw new SnapshotError(`${what} is not base64`);
  }
  if (binary.length % 4 !== 0) throw new SnapshotError(`${what} is not a whole number of 4-byte values`);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new DataView(bytes.buffer);
}

/** Decodes a base64 float32 array of `length` values (SnapshotError when it is not one). */
export function decodeFloat32(text: string, length: number, what: string): Float32Array {
  const view = decodeBytes(text, what);
  if (view.byteLength !== length * 4) throw new SnapshotError(`${what} holds ${view.byteLength / 4} values, expected ${length}`);
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

/** Decodes a base64 int32 array (of `length` values when given). */
export function decodeInt32(text: string, length: number | undefined, what: string): Int32Array {
  const view = decodeBytes(text, what);
  const n = view.byteLength / 4;
  if (length !== undefined && n !== length) throw new SnapshotError(`${what} holds ${n} values, expected ${length}`);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = view.getInt32(i * 4, true);
  return out;
}

/**
 * A snapshot that cannot be read (wrong format, inconsistent arrays). The client module raises it instead of
 * EngineError so that it stays free of the server's error catalogue.
 */
export class SnapshotError extends Error {
  override readonly name = 'SnapshotError';
}
