/**
 * Opens the `builtin` encoder: SIF over the optional GloVe-derived word vectors, or, when that npm package is not
 * installed, the hashed n-gram encoder with a warning (so a slim install still works offline).
 */
import { EngineError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { EmbeddingProvider } from '../embedding.js';
import { createNgramEncoder } from './ngram-encoder.js';
import { DEFAULT_SIF_PARAMS, type SifParams } from './sif.js';
import { createSifEncoder, type SifEncoder } from './sif-encoder.js';
import { DEFAULT_MAX_WORDS, loadWordVectors } from './word-vectors.js';
import { WINK_PACKAGE, type WinkPackageInfo } from './wink-source.js';

export interface BuiltinEncoderOptions {
  /** Folder of the word-vector cache. */
  cacheDir: string;
  logger: Logger;
  /** Most frequent words kept (default 200,000). */
  maxWords?: number;
  /** SIF smoothing and Zipf exponent (defaults a = 1e-3, s = 1). */
  sif?: Partial<SifParams>;
  /** Common component: default the persisted reference one; a corpus-fitted one; or null for none. */
  commonComponent?: Float32Array | null;
  /** Dimensions of the n-gram fallback (default 256). */
  fallbackDimensions?: number;
  /** Finds the word-vector package (tests inject a missing one). */
  locate?: () => Promise<WinkPackageInfo | undefined>;
  signal?: AbortSignal;
}

/** True for the SIF encoder (not its n-gram fallback). */
export function isSifEncoder(p: EmbeddingProvider): p is SifEncoder {
  return typeof (p as Partial<SifEncoder>).fitCorpusComponent === 'function';
}

/**
 * Opens the builtin encoder; the first start converts the word vectors into the cache (a few seconds).
 *
 * @example const enc = await openBuiltinEncoder({ cacheDir: join(homedir(), '.cache', 'kindred'), logger });
 */
export async function openBuiltinEncoder(opts: BuiltinEncoderOptions): Promise<EmbeddingProvider> {
  const sif = { ...DEFAULT_SIF_PARAMS, ...opts.sif };
  if (!(sif.a > 0) || !(sif.zipfExponent > 0)) throw new EngineError('INVALID_CONFIG', 'builtin SIF parameters a and zipfExponent must be positive', { path: 'sif' });
  if (opts.maxWords !== undefined && (!Number.isInteger(opts.maxWords) || opts.maxWords < 1)) {
    throw new EngineError('INVALID_CONFIG', 'builtin maxWords must be a positive integer', { path: 'maxWords' });
  }
  const vectors = await loadWordVectors({ cacheDir: opts.cacheDir, logger: opts.logger, maxWords: opts.maxWords, sif, locate: opts.locate, signal: opts.signal });
  if (!vectors) {
    opts.logger.warn(`optional package ${WINK_PACKAGE} is not installed: the builtin encoder falls back to hashed character n-grams (ngram); install it for semantic English embeddings`, {
      provider: 'builtin',
    });
    return createNgramEncoder({ dimensions: opts.fallbackDimensions });
  }
  const suffix = [
    opts.maxWords !== undefined && opts.maxWords !== DEFAULT_MAX_WORDS ? `;words=${opts.maxWords}` : '',
    sif.a !== DEFAULT_SIF_PARAMS.a ? `;a=${sif.a}` : '',
    sif.zipfExponent !== DEFAULT_SIF_PARAMS.zipfExponent ? `;s=${sif.zipfExponent}` : '',
  ].join('');
  return createSifEncoder(vectors, { commonComponent: opts.commonComponent, idSuffix: suffix });
}
