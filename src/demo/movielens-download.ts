/**
 * Downloads a MovieLens zip from GroupLens and unpacks it safely (no entry may escape the destination folder).
 * The network is touched only when this is called; an already unpacked dataset is reused.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { unzipSync } from 'fflate';
import { EngineError, errorMessage } from '../core/errors.js';
import { silentLogger, type Logger } from '../core/logger.js';

export type MovieLensVariant = 'ml-100k' | 'ml-latest-small' | 'ml-1m';

/** The ratings file that shows a variant is already unpacked. */
const RATINGS_FILE: Record<MovieLensVariant, string> = {
  'ml-100k': 'u.data',
  'ml-latest-small': 'ratings.csv',
  'ml-1m': 'ratings.dat',
};

export const MOVIELENS_BASE_URL = 'https://files.grouplens.org/datasets/movielens';

export interface DownloadOptions {
  fetch?: typeof fetch;
  logger?: Logger;
  signal?: AbortSignal;
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

function isZip(bytes: Uint8Array): boolean {
  return ZIP_MAGIC.every((b, i) => bytes[i] === b);
}

/** Throws INVALID_INPUT for an entry name that is absolute or climbs out of the folder (zip-slip). */
export function checkEntryName(name: string): void {
  const parts = name.split(/[\\/]/);
  if (name === '' || isAbsolute(name) || /^[A-Za-z]:/.test(name) || name.startsWith('\\') || parts.includes('..')) {
    throw new EngineError('INVALID_INPUT', `zip entry "${name}" would be written outside the destination folder`, { entry: name });
  }
}

/**
 * Unpacks zip bytes into destDir after checking every entry name; writes nothing when any entry is unsafe.
 * Returns the number of files written.
 *
 * @example unpackZip(bytes, './datasets')
 */
export function unpackZip(bytes: Uint8Array, destDir: string): number {
  const entries = unzipSync(bytes);
  const root = resolve(destDir);
  const names = Object.keys(entries);
  for (const name of names) {
    checkEntryName(name);
    const target = resolve(root, name);
    if (target !== root && !target.startsWith(root + sep)) checkEntryName('..');
  }
  let files = 0;
  for (const name of names) {
    const target = resolve(root, name);
    if (name.endsWith('/')) {
      mkdirSync(target, { recursive: true });
      continue;
    }
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, entries[name]);
    files++;
  }
  return files;
}

/**
 * Downloads <variant>.zip from GroupLens into destDir and returns the unpacked folder (destDir/<variant>).
 * Reuses a folder that already holds the variant's ratings file.
 *
 * @example const dir = await downloadMovieLens('ml-100k', '.kindred/datasets');
 */
export async function downloadMovieLens(variant: MovieLensVariant, destDir: string, opts: DownloadOptions = {}): Promise<string> {
  const ratings = RATINGS_FILE[variant];
  if (ratings === undefined) {
    throw new EngineError('INVALID_INPUT', `unknown MovieLens variant "${String(variant)}"; one of ${Object.keys(RATINGS_FILE).join(', ')}`);
  }
  const logger = opts.logger ?? silentLogger;
  const folder = join(destDir, variant);
  if (existsSync(join(folder, ratings))) {
    logger.info('MovieLens already downloaded', { variant, folder });
    return folder;
  }
  const url = `${MOVIELENS_BASE_URL}/${variant}.zip`;
  logger.info('downloading MovieLens', { variant, url });
  const fetchFn = opts.fetch ?? fetch;
  let response: Response;
  try {
    response = await fetchFn(url, { signal: opts.signal });
  } catch (e) {
    throw new EngineError('PROVIDER_FAILED', `download of ${variant} failed: ${errorMessage(e)}`, { url });
  }
  if (!response.ok) throw new EngineError('PROVIDER_FAILED', `download of ${variant} failed: HTTP ${response.status}`, { url, status: response.status });
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (!isZip(bytes)) throw new EngineError('PROVIDER_FAILED', `download of ${variant} is not a zip file`, { url, bytes: bytes.length });
  mkdirSync(destDir, { recursive: true });
  const files = unpackZip(bytes, destDir);
  if (!existsSync(join(folder, ratings))) {
    throw new EngineError('PROVIDER_FAILED', `the ${variant} zip holds no ${variant}/${ratings}`, { url });
  }
  logger.info('MovieLens unpacked', { variant, files, bytes: bytes.length });
  return folder;
}
