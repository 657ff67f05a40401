import { describe, expect, it } from 'vitest';
import { loadDataset } from './dataset.js';
import { runEvaluation } from './runner.js';
import { testDataset } from '../testkit/datasets.js';

const ml = testDataset('ml-100k');

describe.skipIf(!ml)('the whole pipeline on ml-100k (RecBole protocol, seed 42)', () => {
  it('beats popularity and every single model it fuses, the main one included; the shipped care costs at most 5 %', async () => {
    const data = await loadDataset(ml as string);
    const res = await runEvaluation({
      // care off is what fusion is judged by; the shipped care (on by default) is held to the 5 % budget below
      data, protocol: 'recbole', ks: [10], seed: 42, pipeline: ['learned'], care: ['off'],
      // Params tuned on validation (docs/benchmarks.md); ALS at its defaults.
      models: [{ name: 'ease', params: { lambda: 262.8, dropout: 0.4867 } }, { name: 'als' }, { name: 'itemknn', params: { prune: 'scored', weighting: 'cosine', neighbors: 141, shrink: 0.9653 } }, { name: 'popular' }],
    });
    const ndcg = new Map(res.results.map((r) => [r.model, r.metrics['ndcg@10']]));
    const pipeline = ndcg.get('pipeline+care:off') ?? 0;
    // Seed 42 measured: pipeline 0.2975, als 0.2949, ease 0.2937, itemknn 0.2567, popular 0.1216; on split seeds 1-5
    // the pipeline beat the best single model on four and was 0.0005 short on one (docs/fusion.md).
    expect(pipeline).toBeGreaterThan((ndcg.get('popular') ?? 1) * 2);
    for (const single of ['ease', 'als', 'itemknn']) expect(pipeline).toBeGreaterThan(ndcg.get(single) ?? 1);
    const main = res.results.find((r) => r.model === 'pipeline')?.params.main;
    expect(main).toBe('ease');
    // with the shipped care (seed 42 measured with EASE alone: −2.4 %): more coverage, at most 5 % of NDCG@10 lost
    const cared = res.results.find((r) => r.model === 'pipeline');
    const off = res.results.find((r) => r.model === 'pipeline+care:off');
    expect(cared?.metrics['ndcg@10']).toBeGreaterThan(pipeline * 0.95);
    expect(cared?.metrics['coverage@10']).toBeGreaterThan((off?.metrics['coverage@10'] ?? 1) * 1.05);
  }, 120_000);
});
