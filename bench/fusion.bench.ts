/**
 * Issue 9 §5/§7 acceptance: the whole recommend path (`pipeline`: learned fusion over ease + als + itemknn + popular)
 * against the best single model and reciprocal-rank fusion, test NDCG@10 over split seeds 1–5. ml-100k and
 * ml-latest-small run RecBole's protocol with the params tuned in docs/benchmarks.md; Amazon musical instruments
 * (5-core) runs the ratio protocol with each model tuned on each split's own validation part (random search).
 * Every seed is reported, then the mean and sd per row. FUSION_BENCH_DATASET=<name> runs one dataset; =train measures
 * what the channels and the fusion ranker add to `engine.train` on ml-100k instead.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataset, type RatingsTable } from '../src/eval/dataset.js';
import { forEachLine } from '../src/eval/data/lines.js';
import type { ProtocolName } from '../src/eval/protocols.js';
import { runEvaluation, type ModelSpec, type SearchOptions } from '../src/eval/runner.js';
import { datasetPath } from '../src/testkit/datasets.js';
import { resolveConfig } from '../src/config/config.js';
import { silentLogger } from '../src/core/logger.js';
import { engineOnStore } from '../src/testkit/engine-on-store.js';
import { importDataset } from '../src/ingest/importer.js';
import type { BenchResult } from './harness.js';

const SEEDS = [1, 2, 3, 4, 5];
const MODELS = ['ease', 'als', 'itemknn'];

/** Params chosen on validation (docs/benchmarks.md, seed 42); models missing here run with their defaults. */
const TUNED: Record<string, Record<string, Record<string, unknown>>> = {
  'ml-100k': {
    itemknn: { prune: 'scored', weighting: 'cosine', neighbors: 141, shrink: 0.9653 },
    ease: { lambda: 262.8, dropout: 0.4867 },
  },
  'ml-latest-small': {
    itemknn: { prune: 'scored', weighting: 'tfidf', neighbors: 16, shrink: 0.6329 },
    ease: { lambda: 262.8, dropout: 0.4867 },
    als: { factors: 29, regularization: 0.01174, alpha: 1.542, iterations: 10 },
  },
};

interface Case {
  dataset: string;
  protocol: ProtocolName;
  load: () => Promise<RatingsTable>;
  search?: SearchOptions;
}

/** The Amazon reviews (JSON lines) as a ratings CSV the eval loader reads. */
async function amazonTable(dir: string): Promise<RatingsTable> {
  const rows = ['user,item,rating,timestamp'];
  await forEachLine(join(dir, 'Musical_Instruments.json'), 'utf8', (line) => {
    const r = JSON.parse(line) as { reviewerID: string; asin: string; overall: number; unixReviewTime: number };
    rows.push(`${r.reviewerID},${r.asin},${r.overall},${r.unixReviewTime}`);
  });
  const file = join(mkdtempSync(join(tmpdir(), 'kindred-amazon-')), 'ratings.csv');
  writeFileSync(file, rows.join('\n'));
  return loadDataset(file, { name: 'amazon-musical-instruments-5core' });
}

function cases(): Case[] {
  const out: Case[] = [];
  for (const dataset of ['ml-100k', 'ml-latest-small']) {
    const dir = datasetPath(dataset);
    if (dir) out.push({ dataset, protocol: 'recbole', load: () => loadDataset(dir) });
  }
  const amazon = datasetPath('amazon-musical-instruments-5core');
  if (amazon) out.push({ dataset: 'amazon-musical-instruments-5core', protocol: 'ratio', load: () => amazonTable(amazon), search: { method: 'random', trials: 20 } });
  return out;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]) => Math.sqrt(xs.reduce((a, b) => a + (b - mean(xs)) ** 2, 0) / Math.max(1, xs.length - 1));

/** What learned fusion adds to `engine.train` on ml-100k: default config against channels and fusion off. */
async function trainingCost(model: string): Promise<BenchResult[]> {
  const dir = datasetPath('ml-100k');
  if (!dir) return [];
  const out: BenchResult[] = [];
  const variants: Array<[string, { channels?: Record<string, Record<string, unknown>>; fusion?: boolean }]> = [
    ['plain', { channels: {}, fusion: false }], ['channels', { fusion: false }], ['channels+fusion', {}],
  ];
  for (const [variant, train] of variants) {
    const { engine, store } = await engineOnStore(resolveConfig({ store: { url: 'memory://' }, embeddings: { provider: 'none' }, train: { model, ...train } }), { logger: silentLogger });
    await importDataset(store, { path: dir, format: 'movielens-100k', onError: 'abort' });
    const t0 = performance.now();
    await engine.train({ model });
    out.push({ name: `fusion.train.${model}.${variant}`, dataset: 'ml-100k', metric: 'train seconds', value: (performance.now() - t0) / 1000, unit: 's' });
    await engine.close();
  }
  return out;
}

export async function run(): Promise<BenchResult[]> {
  const only = process.env.FUSION_BENCH_DATASET;
  const out: BenchResult[] = [];
  if (only === 'train') return [...await trainingCost('itemknn'), ...await trainingCost('ease')];
  for (const c of cases().filter((x) => !only || x.dataset === only)) {
    const data = await c.load();
    const models: ModelSpec[] = MODELS.map((name) => ({ name, params: TUNED[c.dataset]?.[name] }));
    const byRow = new Map<string, number[]>();
    for (const seed of SEEDS) {
      const t0 = performance.now();
      const res = await runEvaluation({ data, protocol: c.protocol, models, ks: [10], seed, search: c.search, pipeline: ['learned', 'rrf'] });
      const singles = res.results.filter((r) => !r.model.startsWith('pipeline'));
      const best = singles.reduce((a, b) => (b.metrics['ndcg@10'] > a.metrics['ndcg@10'] ? b : a));
      const rows: Array<[string, number]> = [...res.results.map((r): [string, number] => [r.model, r.metrics['ndcg@10']]), ['best-single', best.metrics['ndcg@10']]];
      for (const [row, v] of rows) byRow.set(row, [...(byRow.get(row) ?? []), v]);
      const pipeline = res.results.find((r) => r.model === 'pipeline');
      for (const [row, v] of rows) {
        out.push({
          name: `fusion.${c.protocol}.${row}`, dataset: c.dataset, metric: `ndcg@10 seed ${seed}`, value: v, unit: 'ratio',
          extra: row === 'pipeline' && pipeline ? { main: String(pipeline.params.main), channelRecall: JSON.stringify(pipeline.channelRecall), learnSeconds: pipeline.fitSeconds, seconds: (performance.now() - t0) / 1000 } : row === 'best-single' ? { model: best.model } : {},
        });
      }
    }
    for (const [row, xs] of byRow) {
      out.push({ name: `fusion.${c.protocol}.${row}`, dataset: c.dataset, metric: 'mean ndcg@10', value: mean(xs), unit: 'ratio', extra: { sd: sd(xs), seeds: SEEDS.join(' '), values: xs.map((x) => x.toFixed(4)).join(' ') } });
    }
  }
  return out;
}
