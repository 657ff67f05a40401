import { EngineError } from '../core/errors.js';
import type { ModelArtifact, TypedArray } from './model.js';

/**
 * Binary form of a ModelArtifact: "KNDR" magic, u32 header length, JSON header, then each typed array's bytes
 * 8-byte aligned. Compact, and loads without parsing numbers as text.
 */
const MAGIC = 0x52444e4b; // "KNDR" little-endian
const KINDS = { Float32Array, Float64Array, Int32Array, Uint8Array, Uint32Array } as const;
type KindName = keyof typeof KINDS;

interface Header {
  name: string;
  params: Record<string, unknown>;
  meta: Record<string, unknown>;
  arrays: Array<{ key: string; kind: KindName; offset: number; length: number }>;
}

const align8 = (n: number) => (n + 7) & ~7;

export function encodeArtifact(a: ModelArtifact): Uint8Array {
  const arrays: Header['arrays'] = [];
  let offset = 0;
  for (const [key, arr] of Object.entries(a.arrays)) {
    arrays.push({ key, kind: arr.constructor.name as KindName, offset, length: arr.length });
    offset = align8(offset + arr.byteLength);
  }
  const header = new TextEncoder().encode(JSON.stringify({ name: a.name, params: a.params, meta: a.meta, arrays } satisfies Header));
  const start = align8(8 + header.length);
  const out = new Uint8Array(start + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, header.length, true);
  out.set(header, 8);
  for (const [i, arr] of Object.values(a.arrays).entries()) {
    out.set(new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength), start + arrays[i].offset);
  }
  return out;
}

/**
 * The meta of an encoded artifact, read from its header only (no array is copied): cheap enough to look through every
 * stored version.
 *
 * @example artifactMeta(encodeArtifact({ name: 'x', params: {}, meta: { a: 1 }, arrays: {} })) // { a: 1 }
 */
export function artifactMeta(bytes: Uint8Array): Record<string, unknown> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 8 || view.getUint32(0, true) !== MAGIC) throw new EngineError('INVALID_INPUT', 'not a Kindred model artifact');
  const len = view.getUint32(4, true);
  return (JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + len))) as Header).meta;
}

export function decodeArtifact(bytes: Uint8Array): ModelArtifact {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 8 || view.getUint32(0, true) !== MAGIC) throw new EngineError('INVALID_INPUT', 'not a Kindred model artifact');
  const len = view.getUint32(4, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + len))) as Header;
  const start = align8(8 + len);
  const arrays: Record<string, TypedArray> = {};
  for (const { key, kind, offset, length } of header.arrays) {
    const Ctor = KINDS[kind];
    if (!Ctor) throw new EngineError('INVALID_INPUT', `artifact array ${key} has unknown kind ${kind}`);
    // copy so the array is aligned and independent of the source buffer
    const bytesLen = length * Ctor.BYTES_PER_ELEMENT;
    const copy = bytes.slice(start + offset, start + offset + bytesLen);
    arrays[key] = new Ctor(copy.buffer, 0, length);
  }
  return { name: header.name, params: header.params, meta: header.meta, arrays };
}
