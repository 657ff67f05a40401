import { readFile } from 'node:fs/promises';
import { fixedClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { InteractionsBuilder } from '../../models/interactions-builder.js';
import { SemanticModel, semanticDefinition } from '../../models/semantic/semantic.js';
import { queryFloorOf, randomPairSimilarities } from '../../pipeline/query-floor.js';
import type { EmbeddingProvider } from '../../providers/embedding.js';
import { itemEmbeddingText } from '../../jobs/item-embeddings.js';
import { movieItem, readMovieCatalogue } from './movie-catalogue.js';
import { GENRE_QUERIES } from './text-query-check.js';

/** A catalogue of item texts and queries known to have good matches in it, or none. */
export interface QueryFloorCase {
  name: string;
  itemTexts: string[];
  related: readonly string[];
  unrelated: readonly string[];
}

export interface QueryScores {
  query: string;
  /** Cosine of the best and of the 10th best item. */
  top1: number;
  top10: number;
}

export interface QueryFloorReport {
  name: string;
  provider: string;
  items: number;
  /** Quantiles of the cosine of random item pairs in the model's (centred) space. */
  randomPairs: Record<'p50' | 'p90' | 'p99' | 'p999', number>;
  /** The floor the engine would use with `quantile`. */
  floor: number;
  quantile: number;
  related: QueryScores[];
  unrelated: QueryScores[];
}

/**
 * Measures how a text-query similarity floor derived from random item pairs separates queries that have good matches
 * in a catalogue from queries that have none: the semantic model is fitted on the item texts alone (as the engine
 * does), the floor is `queryFloorOf` at `quantile`, and each query's best scores are reported beside it.
 *
 * @example const r = await runQueryFloorCheck(movieCase, provider, 0.99); r.unrelated.every((q) => q.top1 < r.floor)
 */
export async function runQueryFloorCheck(c: QueryFloorCase, provider: EmbeddingProvider, quantile: number): Promise<QueryFloorReport> {
  const vectors = await provider.embed(c.itemTexts);
  const dims = provider.dimensions;
  const embeddings = new Float32Array(vectors.length * dims);
  vectors.forEach((v, j) => embeddings.set(v, j * dims));
  const data = new InteractionsBuilder({ items: c.itemTexts.map((_, i) => String(i)) }).build();
  const model = new SemanticModel(semanticDefinition.defaults);
  await model.fit(data, { logger: silentLogger, clock: fixedClock(0), content: { embeddings, dimensions: dims } });
  const pairs = randomPairSimilarities(model, model.itemCount).sort((a, b) => a - b);
  const at = (q: number): number => pairs[Math.min(pairs.length - 1, Math.floor(q * pairs.length))];
  const score = async (queries: readonly string[]): Promise<QueryScores[]> => {
    const raw = await provider.embed([...queries]);
    return queries.map((query, j) => {
      const top = model.recommendByVector(model.encodeText(raw[j]), 10);
      return { query, top1: top[0]?.score ?? 0, top10: top[top.length - 1]?.score ?? 0 };
    });
  };
  return {
    name: c.name,
    provider: provider.id,
    items: model.itemCount,
    randomPairs: { p50: at(0.5), p90: at(0.9), p99: at(0.99), p999: at(0.999) },
    floor: queryFloorOf(model, model.itemCount, quantile),
    quantile,
    related: await score(c.related),
    unrelated: await score(c.unrelated),
  };
}

/** Queries with no good answer among films or instruments (off-topic requests and nonsense words). */
const OFF_TOPIC = ['chocolate chip cookie recipe', 'how to replace a car battery', 'quarterly tax return form', 'wireless router firmware update', 'knitting a wool scarf', 'xkqz vbnm plorf', 'best price for printer ink cartridges'];

/**
 * ml-latest-small films with a TMDB overview, as the engine embeds them (title, genres, keywords, overview), with the
 * genre queries of the text-query check plus a few more as related queries.
 *
 * @example const c = await movieFloorCase('/data/ml-latest-small', '/data/movie-overviews/tmdb_5000_movies.csv')
 */
export async function movieFloorCase(ratingsDir: string, overviewsFile: string): Promise<QueryFloorCase> {
  const catalogue = await readMovieCatalogue(ratingsDir, overviewsFile);
  const itemTexts: string[] = [];
  for (let i = 0; i < catalogue.table.items.size; i++) {
    if (catalogue.tmdb[i]?.overview) itemTexts.push(itemEmbeddingText(movieItem(catalogue, i, 'title+genres+keywords+overview')));
  }
  const related = [...GENRE_QUERIES.map((q) => q.text), 'space adventure', 'a boxer training for a fight', 'vampires'];
  return { name: 'ml-latest-small+TMDB', itemTexts, related, unrelated: [...OFF_TOPIC, 'guitar strings and a capo'] };
}

/**
 * The Amazon musical-instruments 5-core items, each as the summary and start of up to 5 of its reviews (what an
 * operator without product descriptions could import as item text).
 *
 * @example const c = await instrumentFloorCase('/data/amazon-musical-instruments-5core/Musical_Instruments.json')
 */
export async function instrumentFloorCase(reviewsFile: string): Promise<QueryFloorCase> {
  const byItem = new Map<string, string[]>();
  for (const line of (await readFile(reviewsFile, 'utf8')).split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as { asin?: string; summary?: string; reviewText?: string };
    if (!r.asin) continue;
    byItem.set(r.asin, [...(byItem.get(r.asin) ?? []), `${r.summary ?? ''}. ${(r.reviewText ?? '').slice(0, 300)}`]);
  }
  const itemTexts = [...byItem.values()].map((reviews) => reviews.slice(0, 5).join(' '));
  const related = ['guitar strings', 'a microphone pop filter', 'guitar tuner', 'drum sticks', 'a guitar strap', 'an instrument cable'];
  const unrelated = ['a romantic comedy', 'a haunted house horror story', 'cowboys and outlaws in the wild west', 'chocolate chip cookie recipe', 'quarterly tax return form', 'knitting a wool scarf', 'xkqz vbnm plorf'];
  return { name: 'amazon-musical-instruments', itemTexts, related, unrelated };
}
