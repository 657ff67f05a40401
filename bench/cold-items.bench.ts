/**
 * The language-model layer's quality checks on real data: cold-item ranking (ml-latest-small + TMDB overviews, 20% of
 * films with an overview held out of training) and the text-query genre check, both with the builtin encoder.
 */
import { formatColdItemReport, runColdItemEvaluation } from '../src/eval/cold-start/cold-items.js';
import { runTextQueryCheck } from '../src/eval/cold-start/text-query-check.js';
import { openEmbeddingProvider } from '../src/providers/registry.js';
import { datasetPath } from '../src/testkit/datasets.js';
import type { BenchResult } from './harness.js';

const SEEDS = [42, 1, 2, 3, 4, 5];

export async function run(): Promise<BenchResult[]> {
  const ratingsDir = datasetPath('ml-latest-small');
  const tmdb = datasetPath('movie-overviews');
  if (!ratingsDir || !tmdb) {
    console.warn('skipping cold-items bench: ml-latest-small or movie-overviews not found (KINDRED_DATA_DIR)');
    return [];
  }
  const provider = await openEmbeddingProvider('builtin');
  if (!provider) throw new Error('the builtin encoder did not open');
  const overviewsFile = `${tmdb}/tmdb_5000_movies.csv`;
  const sums = new Map<string, { ndcg: number; recall: number }>();
  for (const seed of SEEDS) {
    const report = await runColdItemEvaluation({ ratingsDir, overviewsFile, provider, seed, holdoutFraction: 0.2 });
    if (seed === 42) console.log(formatColdItemReport(report));
    for (const r of report.results) {
      const s = sums.get(r.name) ?? { ndcg: 0, recall: 0 };
      s.ndcg += r.ndcg / SEEDS.length;
      s.recall += r.recall / SEEDS.length;
      sums.set(r.name, s);
    }
  }
  const results: BenchResult[] = [...sums].flatMap(([ranker, s]) => [
    { name: `cold-items.${ranker}`, dataset: 'ml-latest-small+tmdb', metric: 'ndcg@10', value: s.ndcg, unit: '', extra: { seeds: SEEDS.join(',') } },
    { name: `cold-items.${ranker}`, dataset: 'ml-latest-small+tmdb', metric: 'recall@10', value: s.recall, unit: '', extra: { seeds: SEEDS.join(',') } },
  ]);
  const queries = await runTextQueryCheck({ ratingsDir, overviewsFile, provider });
  for (const q of queries.results) {
    results.push({ name: `text-query.${q.query.replaceAll(' ', '-')}`, dataset: 'ml-latest-small+tmdb', metric: 'genre-precision@10', value: q.precision, unit: '' });
  }
  return results;
}
