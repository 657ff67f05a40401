/**
 * MovieLens "latest" folders (ml-latest-small, ml-latest, ml-25m, ml-32m): ratings.csv (userId,movieId,rating,
 * timestamp), movies.csv (movieId,title,genres with "|"-separated genres), tags.csv (userId,movieId,tag,timestamp;
 * aggregated into item tags) and, for the item-text join, links.csv (movieId,imdbId,tmdbId).
 */
import { mergeTags, normaliseTag, splitList, yearFromTitle } from '../convert.js';
import { itemTextFile, loadTmdbItemText, type ItemTextEntry } from '../item-text.js';
import type { DatasetFormat, DatasetReader, FormatOptions, ReadContext, SourceRow } from '../source.js';
import { csvTable, fieldCountProblem, requireColumns } from './csv-table.js';
import { ratingEvent } from './delimited.js';
import { optionalFile, requireDirectory, requiredFile, type DatasetFile } from './files.js';

const NAME = 'movielens-latest';
const NO_GENRES = '(no genres listed)';

/**
 * Tags per movie from tags.csv, most often applied first (ties alphabetical). Held in memory: one entry per
 * distinct (movie, tag), far fewer than the tag applications in the file.
 */
async function aggregateTags(tags: DatasetFile, ctx: ReadContext, invalid: SourceRow[]): Promise<Map<string, string[]>> {
  const counts = new Map<string, Map<string, number>>();
  for await (const { header, records } of csvTable(tags, ctx)) {
    const [movieCol, tagCol] = requireColumns(header, ['movieId', 'tag'], tags);
    for (const r of records) {
      const problem = fieldCountProblem(r, header);
      if (problem) {
        invalid.push({ kind: 'invalid', reason: problem, file: tags.name, line: r.line });
        continue;
      }
      const tag = normaliseTag(r.fields[tagCol]);
      if (tag === undefined) continue;
      const movie = r.fields[movieCol].trim();
      let perMovie = counts.get(movie);
      if (!perMovie) counts.set(movie, (perMovie = new Map()));
      perMovie.set(tag, (perMovie.get(tag) ?? 0) + 1);
    }
  }
  const out = new Map<string, string[]>();
  for (const [movie, perMovie] of counts) {
    out.set(movie, [...perMovie].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([t]) => t));
  }
  return out;
}

function movieRecord(fields: string[], cols: number[], userTags: string[] | undefined, text: ItemTextEntry | undefined): unknown {
  const [idCol, titleCol, genresCol] = cols;
  const title = fields[titleCol];
  const record: Record<string, unknown> = {
    id: fields[idCol].trim(),
    title,
    categories: splitList(fields[genresCol]).filter((g) => g !== NO_GENRES),
  };
  const tags = mergeTags(text?.tags ?? [], userTags ?? []);
  if (tags.length > 0) record.tags = tags;
  if (text?.text !== undefined) record.text = text.text;
  const year = yearFromTitle(title);
  if (year !== undefined) record.attributes = { year };
  return record;
}

async function* movieRows(
  movies: DatasetFile, ctx: ReadContext, tagsByMovie: Map<string, string[]>, textByMovie: Map<string, ItemTextEntry>,
): AsyncIterable<SourceRow[]> {
  for await (const { header, records } of csvTable(movies, ctx)) {
    const cols = requireColumns(header, ['movieId', 'title', 'genres'], movies);
    const rows: SourceRow[] = records.map((r) => {
      const problem = fieldCountProblem(r, header);
      if (problem) return { kind: 'invalid', reason: problem, file: movies.name, line: r.line };
      const id = r.fields[cols[0]].trim();
      const record = movieRecord(r.fields, cols, tagsByMovie.get(id), textByMovie.get(id));
      return { kind: 'item', record, file: movies.name, line: r.line };
    });
    yield rows;
  }
}

async function* ratingRows(ratings: DatasetFile, ctx: ReadContext): AsyncIterable<SourceRow[]> {
  for await (const { header, records } of csvTable(ratings, ctx)) {
    const [u, m, s, t] = requireColumns(header, ['userId', 'movieId', 'rating', 'timestamp'], ratings);
    yield records.map((r): SourceRow => {
      const problem = fieldCountProblem(r, header);
      const out = problem ?? ratingEvent(r.fields[u], r.fields[m], r.fields[s], r.fields[t]);
      return typeof out === 'string'
        ? { kind: 'invalid', reason: out, file: ratings.name, line: r.line }
        : { kind: 'event', record: out.record, file: ratings.name, line: r.line };
    });
  }
}

export const movielensLatestFormat: DatasetFormat = {
  name: NAME,
  description: 'MovieLens latest/25M/32M folder (ratings.csv, movies.csv, tags.csv; links.csv for --item-text)',
  options: ['itemText'],
  async open(path: string, opts: FormatOptions): Promise<DatasetReader> {
    requireDirectory(path, NAME);
    const ratings = requiredFile(path, 'ratings.csv', NAME);
    const movies = optionalFile(path, 'movies.csv');
    const tags = movies ? optionalFile(path, 'tags.csv') : undefined;
    const links = opts.itemText ? requiredFile(path, 'links.csv', NAME) : undefined;
    const tmdb = opts.itemText ? itemTextFile(opts.itemText) : undefined;
    if (opts.itemText && !movies) requiredFile(path, 'movies.csv', NAME);
    return {
      files: [tags, links, tmdb, movies, ratings].filter((f): f is DatasetFile => f !== undefined),
      async *rows(ctx: ReadContext): AsyncIterable<SourceRow[]> {
        const invalid: SourceRow[] = [];
        const tagsByMovie = tags ? await aggregateTags(tags, ctx, invalid) : new Map<string, string[]>();
        const text = links && tmdb ? await loadTmdbItemText(tmdb, links, ctx) : undefined;
        invalid.push(...(text?.invalid ?? []));
        if (invalid.length > 0) yield invalid;
        if (movies) yield* movieRows(movies, ctx, tagsByMovie, text?.byItem ?? new Map());
        yield* ratingRows(ratings, ctx);
      },
    };
  },
};
