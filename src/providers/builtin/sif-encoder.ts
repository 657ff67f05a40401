/**
 * `builtin`: SIF sentence vectors over GloVe-derived word vectors (see sif.ts for the method and its sources).
 * Texts are lowercased, punctuation-stripped and tokenised (text/tokenize.ts); English stopwords are dropped;
 * hyphenated words unknown as a whole are looked up part by part, accented ones also without accents. A text with content but no known word (another
 * language, e.g. Chinese) gets the hashed n-gram vector of the same size, so it is still deterministic and
 * comparable with other such texts, though not with English ones.
 */
import { createHash } from 'node:crypto';
import type { EmbeddingProvider } from '../embedding.js';
import { ENGLISH_STOPWORDS } from '../text/stopwords.js';
import { hasNoContent, wordTokens } from '../text/tokenize.js';
import { encodeInSlices } from '../embed-batches.js';
import { l2Normalize } from '../vectors.js';
import { ngramVector } from './ngram-encoder.js';
import { fitFirstComponent, removeComponent, weightedAverage } from './sif.js';
import type { WordVectors } from './word-vectors.js';
import { lookupWord } from './word-index.js';

export interface SifEncoderOptions {
  /**
   * Common component to remove: the persisted reference component (default), a component fitted on a corpus with
   * `fitCorpusComponent` (persist it yourself and pass it on every start), or null for none.
   */
  commonComponent?: Float32Array | null;
  /** Extra id suffix describing non-default word-vector settings (set by openBuiltinEncoder). */
  idSuffix?: string;
}

/** The builtin encoder: an EmbeddingProvider plus SIF-specific helpers. */
export interface SifEncoder extends EmbeddingProvider {
  /** Rows of known content words in a text (for diagnostics and tests). */
  knownWords(text: string): string[];
  /**
   * Fits a common component on a corpus (e.g. the item catalogue), as in the SIF paper. Use it with
   * `createSifEncoder(vectors, { commonComponent })` for every later text, queries included.
   */
  fitCorpusComponent(texts: string[]): Float32Array;
}

const BATCH = 256;

function componentTag(u: Float32Array | null, reference: Float32Array): string {
  if (u === reference) return '';
  if (u === null) return ';pc=none';
  const digest = createHash('sha256').update(Buffer.from(u.buffer, u.byteOffset, u.byteLength)).digest('hex');
  return `;pc=${digest.slice(0, 12)}`;
}

/**
 * Creates the SIF encoder over loaded word vectors.
 *
 * @example const enc = createSifEncoder(await loadWordVectors({ cacheDir, logger })); await enc.embed(['a space opera']);
 */
export function createSifEncoder(vectors: WordVectors, opts: SifEncoderOptions = {}): SifEncoder {
  const { table, weights } = vectors;
  const dimensions = table.dimensions;
  const component = opts.commonComponent === undefined ? vectors.referenceComponent : opts.commonComponent;
  const rowOf = (word: string): number | undefined => lookupWord(vectors.index, table.words, word);

  const rowsOf = (text: string): number[] => {
    const rows: number[] = [];
    const add = (word: string): boolean => {
      if (ENGLISH_STOPWORDS.has(word)) return true;
      // "fiancé" -> "fiance": GloVe's vocabulary mostly spells loanwords without accents
      const row = rowOf(word) ?? rowOf(word.normalize('NFD').replace(/\p{M}/gu, ''));
      if (row !== undefined) rows.push(row);
      return row !== undefined;
    };
    for (const token of wordTokens(text)) {
      if (!add(token) && token.includes('-')) for (const part of token.split('-')) add(part);
    }
    return rows;
  };

  const rawVector = (text: string): Float32Array | undefined => {
    const rows = rowsOf(text);
    return rows.length > 0 ? weightedAverage(table, weights, rows) : undefined;
  };

  const encode = (text: string): Float32Array => {
    const v = rawVector(text);
    if (!v) return hasNoContent(text) ? new Float32Array(dimensions) : ngramVector(text, dimensions);
    if (component) removeComponent(v, component);
    l2Normalize(v);
    return v;
  };

  return {
    id: `builtin:sif-glove-${dimensions}d${opts.idSuffix ?? ''}${componentTag(component, vectors.referenceComponent)}`,
    dimensions,
    local: true,
    embed: (texts: string[], signal?: AbortSignal) => encodeInSlices(texts, encode, BATCH, signal),
    knownWords: (text) => rowsOf(text).map((row) => table.words[row]),
    fitCorpusComponent(texts: string[]): Float32Array {
      const sample = texts.map(rawVector).filter((v): v is Float32Array => v !== undefined);
      return sample.length > 0 ? fitFirstComponent(sample) : vectors.referenceComponent;
    },
  };
}
