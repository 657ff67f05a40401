import { fixedClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { itemEmbeddingText } from '../../jobs/item-embeddings.js';
import { InteractionsBuilder } from '../../models/interactions-builder.js';
import { semanticDefinition, SemanticModel, type SemanticParams } from '../../models/semantic/semantic.js';
import type { EmbeddingProvider } from '../../providers/embedding.js';
import { movieItem, readMovieCatalogue, type MovieCatalogue, type MovieTextFields, type TmdbMovie } from './movie-catalogue.js';

/** A free-text query and the TMDB genres a right answer has (all of them). */
export interface GenreQuery {
  text: string;
  genres: string[];
}

/** The queries of the language-model issue plus a handful more, one per clearly textual genre. */
export const GENRE_QUERIES: readonly GenreQuery[] = [
  { text: 'a space adventure', genres: ['Science Fiction'] },
  { text: 'a romantic comedy', genres: ['Romance', 'Comedy'] },
  { text: 'a haunted house horror story', genres: ['Horror'] },
  { text: 'soldiers fighting in a war', genres: ['War'] },
  { text: 'an animated film for children', genres: ['Animation'] },
  { text: 'a detective investigating a murder', genres: ['Crime'] },
  { text: 'cowboys and outlaws in the wild west', genres: ['Western'] },
];

export interface TextQueryCheckOptions {
  ratingsDir: string;
  overviewsFile: string;
  provider: EmbeddingProvider;
  queries?: readonly GenreQuery[];
  k?: number;
  /** Item text (default 'title+genres+keywords+overview': what the engine embeds for an item with categories and tags). */
  textFields?: MovieTextFields;
  semantic?: Partial<SemanticParams>;
}

export interface TextQueryResult {
  query: string;
  genres: string[];
  /** Share of the top k whose TMDB genres include all of `genres`. */
  precision: number;
  /** Titles of the top k, best first. */
  top: string[];
}

export interface TextQueryReport {
  provider: string;
  textFields: MovieTextFields;
  /** Films searched: ml-latest-small films with a TMDB overview. */
  films: number;
  k: number;
  results: TextQueryResult[];
}

/**
 * The text-query genre check: embeds ml-latest-small films that have a TMDB overview, then runs each query through
 * the semantic model's text path (`encodeText` + `recommendByVector`, exactly what the engine's text query does) and
 * counts how many of the top k have the expected TMDB genres.
 *
 * @example const r = await runTextQueryCheck({ ratingsDir, overviewsFile, provider }); r.results[0].precision
 */
export async function runTextQueryCheck(opts: TextQueryCheckOptions): Promise<TextQueryReport> {
  const k = opts.k ?? 10;
  const textFields = opts.textFields ?? 'title+genres+keywords+overview';
  const catalogue = await readMovieCatalogue(opts.ratingsDir, opts.overviewsFile);
  const films: number[] = [];
  for (let i = 0; i < catalogue.table.items.size; i++) if (catalogue.tmdb[i]?.overview) films.push(i);
  const model = await fitFilmsOnly(catalogue, films, opts.provider, textFields, semanticDefinition.parseParams({ ...opts.semantic }));
  const queries = opts.queries ?? GENRE_QUERIES;
  const raw = await opts.provider.embed(queries.map((q) => q.text));
  const results = queries.map((q, j) => {
    const top = model.recommendByVector(model.encodeText(raw[j]), k).map((s) => catalogue.tmdb[films[s.index]]);
    const hits = top.filter((m) => q.genres.every((g) => m?.genres.includes(g))).length;
    return { query: q.text, genres: q.genres, precision: hits / k, top: top.map((m: TmdbMovie | undefined) => m?.title ?? '?') };
  });
  return { provider: opts.provider.id, textFields, films: films.length, k, results };
}

/** A semantic model over the given films and no users: the catalogue side of a text query. */
async function fitFilmsOnly(catalogue: MovieCatalogue, films: number[], provider: EmbeddingProvider, fields: MovieTextFields, params: SemanticParams): Promise<SemanticModel> {
  const texts = films.map((i) => itemEmbeddingText(movieItem(catalogue, i, fields)));
  const vectors = await provider.embed(texts);
  const dims = provider.dimensions;
  const embeddings = new Float32Array(films.length * dims);
  vectors.forEach((v, j) => embeddings.set(v, j * dims));
  const data = new InteractionsBuilder({ items: films.map((i) => catalogue.table.items.idAt(i)) }).build();
  const model = new SemanticModel(params);
  await model.fit(data, { logger: silentLogger, clock: fixedClock(0), content: { embeddings, dimensions: dims } });
  return model;
}

/**
 * The report as a Markdown table.
 *
 * @example console.log(formatTextQueryReport(report))
 */
export function formatTextQueryReport(r: TextQueryReport): string {
  return [
    `Text queries over ${r.films} films (provider ${r.provider}, text ${r.textFields}): precision@${r.k} of the expected TMDB genres`,
    '',
    `| query | genres | P@${r.k} |`,
    '|---|---|---|',
    ...r.results.map((x) => `| ${x.query} | ${x.genres.join(' + ')} | ${x.precision.toFixed(1)} |`),
  ].join('\n');
}
