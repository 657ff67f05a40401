/**
 * `ngram`: a dependency-free hashed encoder for any language. Features are word unigrams, character 2-4-grams of
 * each word (fastText-style, with `<` `>` boundary marks) and, for scripts written without spaces (Chinese,
 * Japanese, Korean), character unigrams and bigrams. Each feature is hashed into `dimensions` buckets with a
 * hashed sign (so collisions cancel in expectation), weighted TF-IDF-style and the vector is L2-normalised.
 *
 * Without a corpus there is no document frequency, so the "IDF" part is a fixed prior by feature kind: longer
 * n-grams are rarer (more informative) than short ones, and English stopwords get a small weight.
 */
import type { EmbeddingProvider } from '../embedding.js';
import { EngineError } from '../../core/errors.js';
import { hash32 } from '../text/hash.js';
import { ENGLISH_STOPWORDS } from '../text/stopwords.js';
import { splitCjkRuns, wordTokens } from '../text/tokenize.js';
import { encodeInSlices } from '../embed-batches.js';
import { l2Normalize } from '../vectors.js';

export interface NgramEncoderOptions {
  /** Output dimensions (default 256). */
  dimensions?: number;
}

const WORD_PRIOR = 1;
const STOPWORD_PRIOR = 0.2;
const CHAR_GRAM_PRIOR: Record<number, number> = { 2: 0.3, 3: 0.5, 4: 0.7 };
const CJK_UNIGRAM_PRIOR = 0.5;
const CJK_BIGRAM_PRIOR = 1;
const BATCH = 512;

function addFeature(features: Map<string, { count: number; prior: number }>, key: string, prior: number): void {
  const f = features.get(key);
  if (f) f.count++;
  else features.set(key, { count: 1, prior });
}

function collectFeatures(text: string): Map<string, { count: number; prior: number }> {
  const features = new Map<string, { count: number; prior: number }>();
  for (const token of wordTokens(text)) {
    for (const run of splitCjkRuns(token)) {
      const chars = Array.from(run.text);
      if (run.cjk) {
        for (let i = 0; i < chars.length; i++) {
          addFeature(features, `c:${chars[i]}`, CJK_UNIGRAM_PRIOR);
          if (i + 1 < chars.length) addFeature(features, `b:${chars[i]}${chars[i + 1]}`, CJK_BIGRAM_PRIOR);
        }
        continue;
      }
      addFeature(features, `w:${run.text}`, ENGLISH_STOPWORDS.has(run.text) ? STOPWORD_PRIOR : WORD_PRIOR);
      const padded = ['<', ...chars, '>'];
      for (let n = 2; n <= 4; n++) {
        for (let i = 0; i + n <= padded.length; i++) {
          addFeature(features, `g:${padded.slice(i, i + n).join('')}`, CHAR_GRAM_PRIOR[n]);
        }
      }
    }
  }
  return features;
}

/**
 * The hashed n-gram vector of one text: deterministic, unit length, or all zeros for a text without letters/digits.
 *
 * @example ngramVector('东京的夜晚', 256).length // 256
 */
export function ngramVector(text: string, dimensions: number): Float32Array {
  const v = new Float32Array(dimensions);
  for (const [key, { count, prior }] of collectFeatures(text)) {
    const h = hash32(key, 0);
    const sign = hash32(key, 0x9e3779b9) & 1 ? 1 : -1;
    v[h % dimensions] += sign * prior * (1 + Math.log(count));
  }
  l2Normalize(v);
  return v;
}

/**
 * Opens the hashed n-gram encoder.
 *
 * @example const enc = createNgramEncoder({ dimensions: 256 }); const [v] = await enc.embed(['hello world']);
 */
export function createNgramEncoder(opts: NgramEncoderOptions = {}): EmbeddingProvider {
  const dimensions = opts.dimensions ?? 256;
  if (!Number.isInteger(dimensions) || dimensions < 8 || dimensions > 8192) {
    throw new EngineError('INVALID_CONFIG', 'ngram encoder dimensions must be an integer in 8..8192', { path: 'dimensions' });
  }
  return {
    id: `ngram:hash-${dimensions}d`,
    dimensions,
    local: true,
    embed: (texts: string[], signal?: AbortSignal) => encodeInSlices(texts, (text) => ngramVector(text, dimensions), BATCH, signal),
  };
}
