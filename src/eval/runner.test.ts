import { describe, expect, it } from 'vitest';
import { EngineError } from '../core/errors.js';
import type { InteractionMatrix } from '../core/interactions.js';
import type { Scored } from '../core/types.js';
import type { ModelDefinition } from '../models/definition.js';
import type { FitContext, FitReport, Model, ModelArtifact, RecommendQuery } from '../models/model.js';
import { RatingsTableBuilder, type RatingsTable } from './data/table.js';
import { runEvaluation, type ModelCatalog } from './runner.js';

interface OrderParams { order: 'asc' | 'desc' }

/** Ranks every item by its index (lowest first for 'desc' scores, highest first for 'asc'): a model with a known answer. */
class IndexOrderModel implements Model<OrderParams> {
  /** Number of training cells of every fit, in order. */
  static fits: number[] = [];
  readonly name = 'index-order';
  private items = 0;
  constructor(readonly params: Readonly<OrderParams>) {}
  async fit(data: InteractionMatrix, _ctx: FitContext): Promise<FitReport> {
    this.items = data.matrix.cols;
    IndexOrderModel.fits.push(data.matrix.nnz);
    return { seconds: 0 };
  }
  recommend(q: RecommendQuery): Scored[] {
    const banned = new Set(q.exclude ?? []);
    const pool = q.candidates ? Array.from(q.candidates) : Array.from({ length: this.items }, (_, i) => i);
    return pool
      .filter((i) => !banned.has(i))
      .map((index) => ({ index, score: this.params.order === 'desc' ? -index : index }))
      .sort((a, b) => b.score - a.score)
      .slice(0, q.k);
  }
  save(): ModelArtifact {
    return { name: this.name, params: { ...this.params }, meta: { items: this.items }, arrays: {} };
  }
}

const indexOrder: ModelDefinition<OrderParams> = {
  name: 'index-order',
  description: 'test model ranking items by index',
  defaults: { order: 'asc' },
  searchSpace: { order: { type: 'choice', values: ['asc', 'desc'] } },
  parseParams(input) {
    const order = input.order ?? 'asc';
    if (order !== 'asc' && order !== 'desc') throw new EngineError('INVALID_CONFIG', 'order must be asc or desc', { path: 'order' });
    return { order };
  },
  create: (p) => new IndexOrderModel(p),
  restore: (a) => new IndexOrderModel(a.params as unknown as OrderParams),
};

/** Recommends the item after the history's latest one, by index (wrapping): a sequence model with a known answer. */
class NextAfterLatestModel implements Model<Record<string, never>> {
  readonly name = 'next-after-latest';
  readonly params = {};
  private sequences: Int32Array[] = [];
  private items = 0;
  async fit(data: InteractionMatrix, _ctx: FitContext): Promise<FitReport> {
    this.items = data.matrix.cols;
    this.sequences = data.sequences ?? [];
    return { seconds: 0 };
  }
  recommend(q: RecommendQuery): Scored[] {
    const history = typeof q.user === 'number' ? this.sequences[q.user] : q.user.indices;
    if (history.length === 0) return [];
    const next = (history[history.length - 1] + 1) % this.items;
    return q.exclude?.includes(next) ? [] : [{ index: next, score: 1 }];
  }
  save(): ModelArtifact {
    return { name: this.name, params: {}, meta: {}, arrays: {} };
  }
}

const nextAfterLatest: ModelDefinition<Record<string, never>> = {
  name: 'next-after-latest',
  description: 'test model recommending the item after the latest one',
  defaults: {},
  searchSpace: {},
  parseParams: () => ({}),
  create: () => new NextAfterLatestModel(),
  restore: () => new NextAfterLatestModel(),
};

const catalog: ModelCatalog = {
  definition(name) {
    if (name === 'next-after-latest') return nextAfterLatest as unknown as ModelDefinition<object>;
    if (name !== 'index-order') throw new EngineError('INVALID_CONFIG', `unknown model ${name}`);
    return indexOrder as unknown as ModelDefinition<object>;
  },
};

function table(rows: Array<[string, string, number]>): RatingsTable {
  const b = new RatingsTableBuilder();
  for (const [u, i, t] of rows) b.push(u, i, 5, t);
  return b.build('toy');
}

// Item indexes by first appearance: a=0, b=1, c=2, d=3, e=4. Leave-last-out:
// u1: train a,b / valid c / test d;  u2: train e / valid a / test b.
const loo = table([['u1', 'a', 1], ['u1', 'b', 2], ['u1', 'c', 3], ['u1', 'd', 4], ['u2', 'e', 1], ['u2', 'a', 2], ['u2', 'b', 3]]);

describe('runEvaluation', () => {
  it('refits the chosen params on train + valid before test only when asked', async () => {
    const models = [{ name: 'index-order', params: { order: 'desc' } }];
    IndexOrderModel.fits = [];
    const plain = await runEvaluation({ data: loo, protocol: 'loo', models, ks: [1], seed: 1, catalog });
    // one fit on train: u1 {a,b}, u2 {e}
    expect(IndexOrderModel.fits).toEqual([3]);
    expect(plain.split.refit).toBe(false);
    IndexOrderModel.fits = [];
    const refit = await runEvaluation({ data: loo, protocol: 'loo', models, ks: [1], seed: 1, catalog, refit: true });
    // train for the validation metrics, then train + valid (u1 {a,b,c}, u2 {e,a}) for test
    expect(IndexOrderModel.fits).toEqual([3, 5]);
    expect(refit.split.refit).toBe(true);
    // masks do not change: the same hand-computed hits as without refit
    expect(refit.results[0].metrics['hit@1']).toBe(1);
    expect(refit.results[0].validMetrics['ndcg@1']).toBe(1);
  });

  it('loo predicts test from the history with the valid item read but not trained on, as SASRec does', async () => {
    const models = [{ name: 'next-after-latest' }];
    // u1: train a,b / valid c / test d; u2: train e / valid a / test b. Reading the valid item: c → d and a → b, both hits.
    const loo1 = await runEvaluation({ data: loo, protocol: 'loo', models, ks: [1], seed: 1, catalog });
    expect(loo1.split.testHistory).toBe('train+valid');
    expect(loo1.results[0].metrics['hit@1']).toBe(1);
    // From the training rows only: b → c and e → a, both valid items, masked at test: no hits.
    const trained = await runEvaluation({ data: loo, protocol: 'loo', models, ks: [1], seed: 1, catalog, testHistory: 'train' });
    expect(trained.split.testHistory).toBe('train');
    expect(trained.results[0].metrics['hit@1']).toBe(0);
    // Validation reads train either way: b → c and e → a are the valid items.
    expect(loo1.results[0].validMetrics['hit@1']).toBe(1);
    expect(trained.results[0].validMetrics['hit@1']).toBe(1);
    // A refit model was fitted on the valid items, so its own rows already end with them.
    const refit = await runEvaluation({ data: loo, protocol: 'loo', models, ks: [1], seed: 1, catalog, refit: true });
    expect(refit.split.testHistory).toBe('train+valid');
    expect(refit.results[0].metrics['hit@1']).toBe(1);
    // The other protocols keep RecBole's: test reads the training rows.
    expect((await runEvaluation({ data: loo, protocol: 'ratio', models, ks: [1], seed: 1, catalog })).split.testHistory).toBe('train');
  });

  it('masks train + valid for test and train for valid (hand-computed)', async () => {
    const res = await runEvaluation({ data: loo, protocol: 'loo', models: [{ name: 'index-order', params: { order: 'desc' } }], ks: [1, 2], seed: 1, catalog });
    const r = res.results[0];
    // desc ranks a, b, c, ...: u1 with {a,b,c} masked gets d first; u2 with {e,a} masked gets b first
    expect(r.metrics['hit@1']).toBe(1);
    expect(r.metrics['ndcg@1']).toBe(1);
    // valid: u1 with {a,b} masked gets c first; u2 with {e} masked gets a first
    expect(r.validMetrics['ndcg@1']).toBe(1);
    expect(r.params).toEqual({ order: 'desc' });
    expect(res.split).toMatchObject({ method: 'loo', users: 2, items: 5, train: 3, valid: 2, test: 2, testUsers: 2, coldTestUsers: 0 });
    expect(res.ranking).toEqual({ mode: 'full' });
    // top-1 picks d and b: 2 of 5 items
    expect(r.metrics['coverage@1']).toBe(0.4);
  });

  it('the other order misses where the hand calculation says', async () => {
    const res = await runEvaluation({ data: loo, protocol: 'loo', models: [{ name: 'index-order', params: { order: 'asc' } }], ks: [2], seed: 1, catalog });
    // u1: e, d -> d at rank 2: 1/log2(3); u2: d, c, b -> miss in top 2
    expect(res.results[0].metrics['ndcg@2']).toBeCloseTo(0.630930 / 2, 5);
    expect(res.results[0].metrics['hit@2']).toBe(0.5);
  });

  it('search picks by validation NDCG@10 and reports every trial', async () => {
    const res = await runEvaluation({
      data: loo, protocol: 'loo', models: [{ name: 'index-order' }], ks: [1, 10], seed: 3, catalog,
      search: { method: 'grid', trials: 5, metric: 'ndcg@10' },
    });
    const r = res.results[0];
    expect(r.search?.trials).toHaveLength(2);
    // asc on valid: u1 e,d,c -> c at 3 (0.5); u2 d,c,b,a -> a at 4 (1/log2 5 = 0.430677)
    const asc = r.search?.trials.find((t) => t.params.order === 'asc');
    expect(asc?.value).toBeCloseTo((0.5 + 0.430677) / 2, 5);
    expect(r.search?.trials[r.search.best].params).toEqual({ order: 'desc' });
    expect(r.params).toEqual({ order: 'desc' });
    expect(r.metrics['hit@1']).toBe(1);
  });

  it('labels sampled ranking and ranks only the candidates', async () => {
    const res = await runEvaluation({ data: loo, protocol: 'loo', models: [{ name: 'index-order', params: { order: 'asc' } }], ks: [1], seed: 1, sampled: 1, catalog });
    expect(res.ranking).toEqual({ mode: 'sampled', negatives: 1 });
    // u1 knows a-d: candidates {d, e} -> asc puts e first (miss); u2 knows a,b,e: candidates {b} + one of {c, d} -> miss
    expect(res.results[0].metrics['hit@1']).toBe(0);
  });

  it('reports cold users of a temporal cut separately', async () => {
    const data = table([['u1', 'a', 1], ['u1', 'b', 2], ['u1', 'c', 3], ['u1', 'd', 6], ['u2', 'e', 1], ['u2', 'a', 2], ['u2', 'b', 7], ['u3', 'c', 8]]);
    const res = await runEvaluation({ data, protocol: 'temporal', split: { testFrom: 5, validFrom: 5 }, models: [{ name: 'index-order', params: { order: 'desc' } }], ks: [1, 3], seed: 1, catalog });
    expect(res.split).toMatchObject({ method: 'temporal', testFrom: 5, train: 5, valid: 0, test: 3, testUsers: 2, coldTestUsers: 1 });
    expect(res.results[0].metrics['hit@1']).toBe(1);
    // u3 has nothing masked: a, b, c -> c at rank 3
    expect(res.results[0].coldMetrics?.['hit@1']).toBe(0);
    expect(res.results[0].coldMetrics?.['hit@3']).toBe(1);
  });

  it('resolves aliases and rejects unknown models before loading work', async () => {
    await expect(runEvaluation({ data: loo, protocol: 'loo', models: [{ name: 'nope' }], ks: [1], seed: 1, catalog })).rejects.toThrow(/unknown model/);
    await expect(runEvaluation({ data: loo, protocol: 'loo', models: [{ name: 'index-order' }], ks: [0], seed: 1, catalog })).rejects.toThrow(/ks/);
    const search = { method: 'random' as const, trials: 3, metric: 'coverage@10' };
    await expect(runEvaluation({ data: loo, protocol: 'loo', models: [{ name: 'index-order' }], ks: [1], seed: 1, catalog, search })).rejects.toThrow(/search metric/);
  });
});
