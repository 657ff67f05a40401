/**
 * RecBole's leaderboard protocol (ratings >= 3, iterative 10-core, per-user random 80/10/10, full ranking) on
 * ml-100k and ml-latest-small: test NDCG@10 / Recall@10 and fit seconds of every registered collaborative model with
 * the params tuned by `kindred eval --search random --trials 20` (docs/evaluation.md). Five split seeds, mean reported.
 */
import { loadDataset } from '../src/eval/dataset.js';
import { runEvaluation, type ModelSpec } from '../src/eval/runner.js';
import { modelDefinitions } from '../src/models/registry.js';
import { datasetPath } from '../src/testkit/datasets.js';
import type { BenchResult } from './harness.js';

const SEEDS = [1, 2, 3, 4, 5];

/** Params chosen on validation (seed 42) per dataset; models missing here run with their defaults. */
const TUNED: Record<string, Record<string, Record<string, unknown>>> = {
  'ml-100k': {
    itemknn: { prune: 'scored', weighting: 'cosine', neighbors: 141, shrink: 0.9653 },
    userknn: { neighbors: 58, shrink: 0.08 },
    ease: { lambda: 262.8, dropout: 0.4867 },
    bpr: { factors: 91, learningRate: 0.02466, regularization: 0.01308, iterations: 89 },
  },
  'ml-latest-small': {
    itemknn: { prune: 'scored', weighting: 'tfidf', neighbors: 16, shrink: 0.6329 },
    ease: { lambda: 262.8, dropout: 0.4867 },
    als: { factors: 29, regularization: 0.01174, alpha: 1.542, iterations: 10 },
    bpr: { factors: 91, learningRate: 0.02466, regularization: 0.01308, iterations: 89 },
  },
};

const MODELS = ['popular', 'itemknn', 'userknn', 'ease', 'als', 'bpr'];

export async function run(): Promise<BenchResult[]> {
  const registered = new Set(modelDefinitions().map((d) => d.name));
  const out: BenchResult[] = [];
  for (const dataset of ['ml-100k', 'ml-latest-small']) {
    const dir = datasetPath(dataset);
    if (!dir) continue;
    const data = await loadDataset(dir);
    const models: ModelSpec[] = MODELS.filter((m) => registered.has(m)).map((name) => ({ name, params: TUNED[dataset][name] }));
    const sums = new Map<string, { ndcg: number; recall: number; fit: number }>();
    for (const seed of SEEDS) {
      const res = await runEvaluation({ data, protocol: 'recbole', models, ks: [10], seed });
      for (const r of res.results) {
        const s = sums.get(r.model) ?? { ndcg: 0, recall: 0, fit: 0 };
        s.ndcg += r.metrics['ndcg@10'] / SEEDS.length;
        s.recall += r.metrics['recall@10'] / SEEDS.length;
        s.fit += r.fitSeconds / SEEDS.length;
        sums.set(r.model, s);
      }
    }
    for (const [model, s] of sums) {
      const extra = { seeds: SEEDS.length, params: JSON.stringify(TUNED[dataset][model] ?? {}) };
      out.push(
        { name: `eval.recbole.${model}`, dataset, metric: 'ndcg@10', value: s.ndcg, unit: 'ratio', extra },
        { name: `eval.recbole.${model}`, dataset, metric: 'recall@10', value: s.recall, unit: 'ratio', extra },
        { name: `eval.recbole.${model}`, dataset, metric: 'fit-seconds', value: s.fit, unit: 's', extra },
      );
    }
  }
  return out;
}
