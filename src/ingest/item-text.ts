/**
 * The item-text join: MovieLens links.csv (movieId -> tmdbId) joined to the TMDB 5000 movies CSV (`id`), giving
 * each linked film its overview (+ tagline) as text and its TMDB genres and keywords as tags.
 */
import { basename } from 'node:path';
import { statSync } from 'node:fs';
import { EngineError } from '../core/errors.js';
import { csvTable, fieldCountProblem, requireColumns } from './formats/csv-table.js';
import type { DatasetFile } from './formats/files.js';
import type { ItemTextSource, ReadContext, SourceRow } from './source.js';

export interface ItemTextEntry {
  text?: string;
  /** TMDB genre names, then keywords (not yet normalised). */
  tags: string[];
}

export interface ItemTextJoin {
  /** By MovieLens movieId. */
  byItem: Map<string, ItemTextEntry>;
  /** Rows of links.csv or the TMDB file that could not be read. */
  invalid: SourceRow[];
}

/** The TMDB file as a dataset file; throws INVALID_INPUT when it does not exist. */
export function itemTextFile(source: ItemTextSource): DatasetFile {
  if (source.format !== undefined && source.format !== 'tmdb') {
    throw new EngineError('INVALID_INPUT', `unknown item text format "${String(source.format)}"; supported: tmdb`);
  }
  let bytes: number;
  try {
    bytes = statSync(source.path).size;
  } catch {
    throw new EngineError('INVALID_INPUT', `item text file ${source.path} not found`, { path: source.path });
  }
  return { path: source.path, name: basename(source.path), bytes };
}

/** Names of a TMDB JSON list ('[{"id": 28, "name": "Action"}]'), or undefined when it is not one. */
export function tmdbNames(json: string): string[] | undefined {
  if (json.trim() === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed)) return undefined;
  const names: string[] = [];
  for (const entry of parsed) {
    const name = (entry as { name?: unknown } | null)?.name;
    if (typeof name !== 'string') return undefined;
    names.push(name);
  }
  return names;
}

/** Overview and tagline as one text: "Overview. Tagline." */
export function joinOverview(overview: string, tagline: string): string | undefined {
  const parts = [overview.trim(), tagline.trim()].filter((p) => p !== '');
  return parts.length === 0 ? undefined : parts.join(' ');
}

async function readLinks(links: DatasetFile, ctx: ReadContext, invalid: SourceRow[]): Promise<Map<string, string[]>> {
  const moviesByTmdb = new Map<string, string[]>();
  for await (const { header, records } of csvTable(links, ctx)) {
    const [movieCol, tmdbCol] = requireColumns(header, ['movieId', 'tmdbId'], links);
    for (const r of records) {
      const problem = fieldCountProblem(r, header);
      if (problem) {
        invalid.push({ kind: 'invalid', reason: problem, file: links.name, line: r.line });
        continue;
      }
      const tmdbId = r.fields[tmdbCol].trim();
      if (tmdbId === '') continue; // a few films have no TMDB id: nothing to join
      const list = moviesByTmdb.get(tmdbId);
      if (list) list.push(r.fields[movieCol].trim());
      else moviesByTmdb.set(tmdbId, [r.fields[movieCol].trim()]);
    }
  }
  return moviesByTmdb;
}

/**
 * Streams links.csv and the TMDB file, keeping only the fields of films that MovieLens links to.
 *
 * @example const { byItem } = await loadTmdbItemText(tmdbFile, linksFile, ctx); byItem.get('1')?.text
 */
export async function loadTmdbItemText(tmdb: DatasetFile, links: DatasetFile, ctx: ReadContext): Promise<ItemTextJoin> {
  const invalid: SourceRow[] = [];
  const moviesByTmdb = await readLinks(links, ctx, invalid);
  const byItem = new Map<string, ItemTextEntry>();
  for await (const { header, records } of csvTable(tmdb, ctx)) {
    const [idCol, overviewCol, taglineCol, genresCol, keywordsCol] =
      requireColumns(header, ['id', 'overview', 'tagline', 'genres', 'keywords'], tmdb);
    for (const r of records) {
      const problem = fieldCountProblem(r, header);
      const movieIds = problem ? undefined : moviesByTmdb.get(r.fields[idCol].trim());
      if (problem) invalid.push({ kind: 'invalid', reason: problem, file: tmdb.name, line: r.line });
      if (!movieIds) continue;
      const genres = tmdbNames(r.fields[genresCol]);
      const keywords = tmdbNames(r.fields[keywordsCol]);
      if (!genres || !keywords) {
        const field = genres ? 'keywords' : 'genres';
        invalid.push({ kind: 'invalid', reason: `${field} is not a JSON list of {id, name}`, file: tmdb.name, line: r.line });
        continue;
      }
      const entry: ItemTextEntry = { tags: [...genres, ...keywords] };
      const text = joinOverview(r.fields[overviewCol], r.fields[taglineCol]);
      if (text !== undefined) entry.text = text;
      for (const movieId of movieIds) byItem.set(movieId, entry);
    }
  }
  return { byItem, invalid };
}
