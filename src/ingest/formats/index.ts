/** The exact registry of import formats: chosen by name (`--format`), never guessed from the files. */
import { EngineError } from '../../core/errors.js';
import type { DatasetFormat, FormatOptionName, FormatOptions } from '../source.js';
import { csvFormat } from './csv.js';
import { jsonlFormat } from './jsonl.js';
import { movielens100kFormat } from './movielens-100k.js';
import { movielens1mFormat } from './movielens-1m.js';
import { movielensLatestFormat } from './movielens-latest.js';

const FORMATS: readonly DatasetFormat[] = [csvFormat, jsonlFormat, movielens100kFormat, movielensLatestFormat, movielens1mFormat];

/** Every format, for help texts: [{ name, description }]. */
export function listFormats(): Array<{ name: string; description: string }> {
  return FORMATS.map((f) => ({ name: f.name, description: f.description }));
}

/**
 * The format named `name`; throws INVALID_INPUT listing the formats when it is missing or unknown.
 *
 * @example getFormat('movielens-100k').open('./ml-100k', {})
 */
export function getFormat(name: string | undefined): DatasetFormat {
  const found = FORMATS.find((f) => f.name === name);
  if (found) return found;
  const list = FORMATS.map((f) => `  ${f.name.padEnd(18)} ${f.description}`).join('\n');
  const what = name === undefined || name === '' ? 'no import format given' : `unknown import format "${name}"`;
  throw new EngineError('INVALID_INPUT', `${what}; choose one with --format:\n${list}`, { format: name ?? null });
}

/** Throws INVALID_INPUT when an option is set that the format does not use (rather than silently ignoring it). */
export function checkFormatOptions(format: DatasetFormat, opts: FormatOptions): void {
  for (const [key, value] of Object.entries(opts)) {
    if (value === undefined || format.options.includes(key as FormatOptionName)) continue;
    const allowed = format.options.length > 0 ? format.options.join(', ') : 'none';
    throw new EngineError('INVALID_INPUT', `format ${format.name} does not use the option "${key}" (it uses: ${allowed})`);
  }
}
