/**
 * Text-query similarity floor: for two catalogues (ml-latest-small + TMDB overviews, Amazon musical instruments) and
 * two encoders (builtin, ngram), the random-pair cosine quantiles, the floor at quantiles 0.95 / 0.99 / 0.999, and how
 * many related queries keep their best match and how many unrelated queries get nothing. `npm run bench -- query-floor`
 */
import { join } from 'node:path';
import { silentLogger } from '../src/core/logger.js';
import { instrumentFloorCase, movieFloorCase, runQueryFloorCheck, type QueryFloorCase } from '../src/eval/cold-start/query-floor-check.js';
import { openEmbeddingProvider } from '../src/providers/registry.js';
import { datasetPath } from '../src/testkit/datasets.js';
import type { BenchResult } from './harness.js';

export async function run(): Promise<BenchResult[]> {
  const ml = datasetPath('ml-latest-small');
  const overviews = datasetPath('movie-overviews');
  const amazon = datasetPath('amazon-musical-instruments-5core');
  const cases: QueryFloorCase[] = [];
  if (ml && overviews) cases.push(await movieFloorCase(ml, join(overviews, 'tmdb_5000_movies.csv')));
  if (amazon) cases.push(await instrumentFloorCase(join(amazon, 'Musical_Instruments.json')));
  const out: BenchResult[] = [];
  for (const encoder of ['builtin', 'ngram']) {
    const provider = await openEmbeddingProvider(encoder, { logger: silentLogger });
    if (!provider) continue;
    for (const c of cases) {
      for (const quantile of [0.95, 0.99, 0.999]) {
        const r = await runQueryFloorCheck(c, provider, quantile);
        const related = r.related.filter((q) => q.top1 >= r.floor).length;
        const unrelated = r.unrelated.filter((q) => q.top1 < r.floor).length;
        const p = r.randomPairs;
        console.log(`${c.name} ${r.provider} q=${quantile}: floor ${r.floor.toFixed(3)} (pairs p50 ${p.p50.toFixed(2)} p90 ${p.p90.toFixed(2)} p99 ${p.p99.toFixed(2)} p99.9 ${p.p999.toFixed(2)}); related kept ${related}/${r.related.length}, unrelated emptied ${unrelated}/${r.unrelated.length}`);
        for (const q of [...r.related, ...r.unrelated]) console.log(`   ${q.top1.toFixed(3)} ${q.top10.toFixed(3)}  ${q.query}`);
        out.push({
          name: `query-floor.${encoder}.q${quantile}`, dataset: c.name, metric: 'floor', value: r.floor, unit: 'cosine',
          extra: { relatedKept: related, related: r.related.length, unrelatedEmptied: unrelated, unrelated: r.unrelated.length, items: r.items },
        });
      }
    }
  }
  return out;
}
