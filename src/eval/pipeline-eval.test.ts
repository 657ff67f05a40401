import { describe, expect, it } from 'vitest';
import { RatingsTableBuilder, type RatingsTable } from './data/table.js';
import { runEvaluation } from './runner.js';

/**
 * 400 users in two tastes (enough held-out choices for the ranker's events-per-feature rule): even users choose 8 of items 0–11, odd users 8 of items 12–23 (a different 8 each), and
 * every user also chose item 24 (a blockbuster). Deterministic, no randomness.
 */
function twoTastes(): RatingsTable {
  const b = new RatingsTableBuilder();
  for (let u = 0; u < 400; u++) {
    const base = u % 2 === 0 ? 0 : 12;
    for (let j = 0; j < 8; j++) b.push(`u${u}`, `i${base + ((u + j * 5) % 12)}`, 5, u * 100 + j);
    b.push(`u${u}`, 'i24', 5, u * 100 + 50);
  }
  return b.build('two-tastes');
}

describe('eval --pipeline', () => {
  it('adds a pipeline result per fusion stage, with per-channel recall, scored on the same split and masks', async () => {
    const res = await runEvaluation({ data: twoTastes(), protocol: 'ratio', models: [{ name: 'ease' }, { name: 'itemknn' }, { name: 'popular' }], ks: [5], seed: 3, pipeline: ['learned', 'main-first'] });
    expect(res.results.map((r) => r.model)).toEqual(['ease', 'itemknn', 'popular', 'pipeline', 'pipeline:main-first']);
    const pipeline = res.results[3];
    const mainName = String(pipeline.params.main);
    expect(['ease', 'itemknn']).toContain(mainName);
    expect(pipeline.params.channels).toEqual(mainName === 'ease' ? ['itemknn'] : ['ease']);
    // Recall per channel: the main model is 'cf', the other model keeps its name, popular is popular; 'any' is the union.
    const recall = pipeline.channelRecall ?? {};
    expect(Object.keys(recall).sort()).toEqual(['any', 'cf', mainName === 'ease' ? 'itemknn' : 'ease', 'popular'].sort());
    for (const v of Object.values(recall)) expect(v).toBeLessThanOrEqual(recall.any);
    expect(recall.any).toBeGreaterThan(0);
    // The taste structure is easy: the pipeline finds far more than popularity does.
    expect(pipeline.metrics['ndcg@5']).toBeGreaterThan(res.results[2].metrics['ndcg@5']);
    // The learned ranker's weights are reported by feature name.
    expect(Object.keys(pipeline.params.ranker as object)).toContain('cf.rank');
  });

  it('through main-first, the pipeline serves exactly the main model\'s list: the same metrics as its own row', async () => {
    const res = await runEvaluation({ data: twoTastes(), protocol: 'ratio', models: [{ name: 'ease' }], ks: [1, 5], seed: 3, pipeline: ['main-first'] });
    const [ease, pipeline] = res.results;
    expect(pipeline.model).toBe('pipeline:main-first');
    expect(pipeline.metrics['ndcg@5']).toBeCloseTo(ease.metrics['ndcg@5'], 12);
    expect(pipeline.metrics['hit@1']).toBeCloseTo(ease.metrics['hit@1'], 12);
  });

  it('refuses sampled ranking and a list without a collaborative model', async () => {
    await expect(runEvaluation({ data: twoTastes(), protocol: 'ratio', models: [{ name: 'ease' }], ks: [5], seed: 3, sampled: 5, pipeline: ['learned'] })).rejects.toThrow(/full ranking/);
    await expect(runEvaluation({ data: twoTastes(), protocol: 'ratio', models: [{ name: 'popular' }], ks: [5], seed: 3, pipeline: ['learned'] })).rejects.toThrow(/collaborative/);
  });
});
