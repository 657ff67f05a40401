import { systemClock, type Clock } from '../../core/clock.js';
import { EngineError } from '../../core/errors.js';
import { silentLogger, type Logger } from '../../core/logger.js';
import type { InteractionMatrix } from '../../core/interactions.js';
import { itemEmbeddingText } from '../../jobs/item-embeddings.js';
import { semanticDefinition, type SemanticParams } from '../../models/semantic/semantic.js';
import { topK } from '../../models/topk.js';
import type { EmbeddingProvider } from '../../providers/embedding.js';
import { buildInteractions } from '../matrix.js';
import { hitFlags, ndcgAtK, recallAtK } from '../metrics/accuracy.js';
import { createRandom, deriveSeed, shuffleInPlace } from '../random.js';
import { movieItem, readMovieCatalogue, type MovieCatalogue, type MovieTextFields, type TmdbMovie } from './movie-catalogue.js';

export interface ColdItemEvaluationOptions {
  /** ml-latest-small folder (ratings.csv, movies.csv, links.csv). */
  ratingsDir: string;
  /** tmdb_5000_movies.csv */
  overviewsFile: string;
  provider: EmbeddingProvider;
  seed?: number;
  /** Share of the movies with an overview held out of training entirely (default 0.2). */
  holdoutFraction?: number;
  /** List length of the metrics (default 10). */
  k?: number;
  /** Held-out ratings below this do not count as relevant (default 0: every rating is relevant). */
  minRating?: number;
  /** Fields of each movie's embedding text (default 'title+genres+keywords+overview'). */
  textFields?: MovieTextFields;
  semantic?: Partial<SemanticParams>;
  logger?: Logger;
  clock?: Clock;
  signal?: AbortSignal;
}

/** Mean metrics of one ranker over the evaluated users. */
export interface ColdItemResult {
  name: string;
  ndcg: number;
  recall: number;
}

export interface ColdItemReport {
  dataset: string;
  provider: string;
  seed: number;
  k: number;
  textFields: MovieTextFields;
  minRating: number;
  /** Movies held out of training (all of their ratings removed). */
  heldOutItems: number;
  /** Users ranked: those with a training history and at least one held-out movie. */
  users: number;
  trainInteractions: number;
  results: ColdItemResult[];
  seconds: number;
}

/** Per evaluated user: the held-out movies they rated (sorted), i.e. the relevant items. */
interface ColdSplit {
  train: InteractionMatrix;
  heldOut: Int32Array;
  users: Int32Array;
  relevant: Int32Array[];
}

/**
 * Cold-item evaluation on MovieLens + TMDB: a seeded `holdoutFraction` of the movies that have a TMDB overview is
 * removed from training completely; every user who rated one of them (and kept some training history) gets a list
 * ranked over ONLY the held-out movies, with their training history as the profile. Compares the semantic model
 * (text embeddings of the movies; both history aggregates) with metadata-popularity baselines (TMDB vote count and
 * TMDB popularity score: known without any interaction in our log) and random order, on NDCG@k and Recall@k. Every
 * rating counts as relevant unless `minRating` says otherwise. (Popularity counted in the training log is no
 * baseline here: every held-out movie has zero training interactions, so it cannot order them.)
 *
 * @example const r = await runColdItemEvaluation({ ratingsDir, overviewsFile, provider, seed: 42, holdoutFraction: 0.2 })
 */
export async function runColdItemEvaluation(opts: ColdItemEvaluationOptions): Promise<ColdItemReport> {
  const clock = opts.clock ?? systemClock;
  const start = clock.now();
  const seed = opts.seed ?? 42;
  const k = opts.k ?? 10;
  const textFields = opts.textFields ?? 'title+genres+keywords+overview';
  const logger = opts.logger ?? silentLogger;
  const catalogue = await readMovieCatalogue(opts.ratingsDir, opts.overviewsFile);
  const split = coldItemSplit(catalogue, opts.holdoutFraction ?? 0.2, seed, opts.minRating ?? 0);
  logger.info('cold-item split', { heldOut: split.heldOut.length, users: split.users.length, train: split.train.matrix.nnz });

  const nItems = catalogue.table.items.size;
  const texts = Array.from({ length: nItems }, (_, i) => itemEmbeddingText(movieItem(catalogue, i, textFields)));
  const vectors = await opts.provider.embed(texts, opts.signal);
  const embeddings = new Float32Array(nItems * opts.provider.dimensions);
  vectors.forEach((v, i) => embeddings.set(v, i * opts.provider.dimensions));

  const fitContext = { logger, clock, signal: opts.signal, seed, content: { embeddings, dimensions: opts.provider.dimensions } };
  const semantic = semanticDefinition.create(semanticDefinition.parseParams({ ...opts.semantic }));
  await semantic.fit(split.train, fitContext);
  // the other history aggregate, for contrast: how much the choice matters
  const otherAggregate = semantic.params.aggregate === 'max' ? 'mean' : 'max';
  const contrast = semanticDefinition.create({ ...semantic.params, aggregate: otherAggregate });
  await contrast.fit(split.train, fitContext);

  const metadataRanking = (value: (m: TmdbMovie | undefined) => number) =>
    Int32Array.from(topK(Float64Array.from(split.heldOut, (i) => value(catalogue.tmdb[i])), k), (s) => split.heldOut[s.index]);
  const byVotes = metadataRanking((m) => m?.voteCount ?? 0);
  const byTmdbPopularity = metadataRanking((m) => m?.popularity ?? 0);
  const rng = createRandom(deriveSeed(seed, 'random-ranker'));
  const rankers: Array<{ name: string; rank: (user: number) => ArrayLike<number> }> = [
    { name: `semantic (${semantic.params.aggregate})`, rank: (user) => semantic.recommend({ user, k, candidates: split.heldOut }).map((s) => s.index) },
    { name: `semantic (${otherAggregate})`, rank: (user) => contrast.recommend({ user, k, candidates: split.heldOut }).map((s) => s.index) },
    { name: 'popularity (TMDB vote count)', rank: () => byVotes },
    { name: 'popularity (TMDB popularity score)', rank: () => byTmdbPopularity },
    { name: 'random', rank: () => shuffleInPlace(split.heldOut.slice(), rng).subarray(0, k) },
  ];
  const results = rankers.map(({ name, rank }) => {
    let ndcg = 0;
    let recall = 0;
    split.users.forEach((user, j) => {
      const hits = hitFlags(rank(user), split.relevant[j]);
      ndcg += ndcgAtK(hits, split.relevant[j].length, k);
      recall += recallAtK(hits, split.relevant[j].length, k);
    });
    return { name, ndcg: ndcg / split.users.length, recall: recall / split.users.length };
  });
  return {
    dataset: catalogue.table.name,
    provider: opts.provider.id,
    seed,
    k,
    textFields,
    minRating: opts.minRating ?? 0,
    heldOutItems: split.heldOut.length,
    users: split.users.length,
    trainInteractions: split.train.matrix.nnz,
    results,
    seconds: (clock.now() - start) / 1000,
  };
}

/**
 * Holds out a seeded `fraction` of the movies that have an overview: their rows leave training; users with both
 * training rows and relevant held-out rows (rating >= minRating) are evaluated.
 */
function coldItemSplit(catalogue: MovieCatalogue, fraction: number, seed: number, minRating: number): ColdSplit {
  if (!(fraction > 0 && fraction < 1)) throw new EngineError('INVALID_INPUT', 'holdoutFraction must be in (0, 1)', { path: 'holdoutFraction' });
  const { table, tmdb } = catalogue;
  const eligible: number[] = [];
  for (let i = 0; i < table.items.size; i++) if (tmdb[i]?.overview) eligible.push(i);
  shuffleInPlace(eligible, createRandom(deriveSeed(seed, 'cold-items')));
  const heldOut = Int32Array.from(eligible.slice(0, Math.round(fraction * eligible.length))).sort();
  const isHeldOut = new Uint8Array(table.items.size);
  for (const i of heldOut) isHeldOut[i] = 1;

  const trainRows: number[] = [];
  const relevantSets = new Map<number, Set<number>>();
  const hasTrain = new Uint8Array(table.users.size);
  for (let r = 0; r < table.user.length; r++) {
    const item = table.item[r];
    if (isHeldOut[item]) {
      if (table.rating[r] < minRating) continue;
      let set = relevantSets.get(table.user[r]);
      if (!set) relevantSets.set(table.user[r], (set = new Set()));
      set.add(item);
    } else {
      trainRows.push(r);
      hasTrain[table.user[r]] = 1;
    }
  }
  const users = Int32Array.from([...relevantSets.keys()].filter((u) => hasTrain[u] === 1)).sort();
  const relevant = Array.from(users, (u) => Int32Array.from(relevantSets.get(u) ?? []).sort());
  return { train: buildInteractions(table, Int32Array.from(trainRows)), heldOut, users, relevant };
}

/**
 * The report as a Markdown table (for docs and the CLI).
 *
 * @example console.log(formatColdItemReport(report))
 */
export function formatColdItemReport(r: ColdItemReport): string {
  const lines = [
    `Cold items on ${r.dataset}: ${r.heldOutItems} held-out movies, ${r.users} users, provider ${r.provider}, text ${r.textFields}, relevant: rating >= ${r.minRating}, seed ${r.seed}`,
    '',
    `| ranker | NDCG@${r.k} | Recall@${r.k} |`,
    '|---|---|---|',
    ...r.results.map((x) => `| ${x.name} | ${x.ndcg.toFixed(4)} | ${x.recall.toFixed(4)} |`),
  ];
  return lines.join('\n');
}
