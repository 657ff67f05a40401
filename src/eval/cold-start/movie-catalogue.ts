import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { EngineError } from '../../core/errors.js';
import type { Item } from '../../core/types.js';
import { readMovieLensLatest } from '../data/movielens.js';
import type { RatingsTable } from '../data/table.js';

/** The fields of one TMDB 5000 movie that the evaluations use. */
export interface TmdbMovie {
  id: number;
  title: string;
  overview: string;
  genres: string[];
  keywords: string[];
  /** TMDB's vote count and popularity score: item metadata, known before anyone in our log rated the film. */
  voteCount: number;
  popularity: number;
}

/**
 * Reads tmdb_5000_movies.csv (RFC-4180 with embedded newlines, so through a real CSV parser) keyed by TMDB id.
 *
 * @example const tmdb = await readTmdbMovies('/data/movie-overviews/tmdb_5000_movies.csv'); tmdb.get(862)?.title // 'Toy Story'
 */
export async function readTmdbMovies(file: string): Promise<Map<number, TmdbMovie>> {
  const records = parse(await readFile(file, 'utf8'), { columns: true, skip_empty_lines: true }) as Array<Record<string, string>>;
  const out = new Map<number, TmdbMovie>();
  for (const [row, r] of records.entries()) {
    const id = Number(r.id);
    if (!Number.isInteger(id)) throw new EngineError('IMPORT_FAILED', 'tmdb movies: id is not an integer', { row });
    out.set(id, {
      id,
      title: r.title ?? '',
      overview: (r.overview ?? '').trim(),
      genres: jsonNames(r.genres, row),
      keywords: jsonNames(r.keywords, row),
      voteCount: Number(r.vote_count) || 0,
      popularity: Number(r.popularity) || 0,
    });
  }
  return out;
}

function jsonNames(cell: string | undefined, row: number): string[] {
  if (!cell) return [];
  try {
    return (JSON.parse(cell) as Array<{ name?: unknown }>).flatMap((g) => (typeof g.name === 'string' ? [g.name] : []));
  } catch {
    throw new EngineError('IMPORT_FAILED', 'tmdb movies: a genres/keywords cell is not JSON', { row });
  }
}

/** MovieLens "latest" ratings joined with TMDB metadata through links.csv. */
export interface MovieCatalogue {
  table: RatingsTable;
  /** Per item index of `table`: its TMDB record, when links.csv maps it to one in the TMDB file. */
  tmdb: (TmdbMovie | undefined)[];
}

/**
 * Loads ml-latest(-small) ratings and movies and attaches each movie's TMDB record (movieId -> tmdbId via links.csv).
 *
 * @example const { table, tmdb } = await readMovieCatalogue('/data/ml-latest-small', '/data/movie-overviews/tmdb_5000_movies.csv')
 */
export async function readMovieCatalogue(ratingsDir: string, overviewsFile: string): Promise<MovieCatalogue> {
  const [table, movies, links] = await Promise.all([
    readMovieLensLatest(ratingsDir, 'ml-latest-small'),
    readTmdbMovies(overviewsFile),
    readFile(join(ratingsDir, 'links.csv'), 'utf8'),
  ]);
  const tmdbOf = new Map<string, number>();
  for (const [movieId, , tmdbId] of parse(links, { from_line: 2, relax_column_count: true }) as string[][]) {
    if (tmdbId) tmdbOf.set(movieId, Number(tmdbId));
  }
  const tmdb = table.items.ids().map((movieId) => {
    const id = tmdbOf.get(movieId);
    return id === undefined ? undefined : movies.get(id);
  });
  return { table, tmdb };
}

/** Which fields make up a movie's embedding text. */
export type MovieTextFields = 'title+overview' | 'title+keywords+overview' | 'title+genres+overview' | 'title+genres+keywords+overview';

/**
 * A movie as a catalogue Item (the shape the engine embeds with `itemEmbeddingText`): MovieLens title and genres,
 * TMDB keywords as tags and the overview as text, keeping only the requested fields.
 *
 * @example movieItem(catalogue, 0, 'title+genres+overview')
 */
export function movieItem(catalogue: MovieCatalogue, item: number, fields: MovieTextFields): Item {
  const { table, tmdb } = catalogue;
  const movie = tmdb[item];
  return {
    id: table.items.idAt(item),
    title: table.itemTitles?.[item],
    categories: fields.includes('genres') ? [...(table.itemCategories?.[item] ?? [])] : undefined,
    tags: fields.includes('keywords') ? movie?.keywords : undefined,
    text: movie?.overview,
  };
}
