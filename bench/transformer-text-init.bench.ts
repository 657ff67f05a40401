/**
 * Transformer item-text initialisation (issue 14): the same fit with and without `textInit` on ml-latest-small with
 * the TMDB overviews (KINDRED_DATA_DIR/movie-overviews) embedded by the builtin encoder, leave-last-one-out. One fit
 * on the training part scores two next-step targets per user: the valid item (after the training history) and the
 * test item (after the training history plus the valid item, given as a live row). NDCG@10 and HR@10 over every
 * target and over targets whose item had few training interactions (cold: none; rare: 1–5; ≤ 20). Seeds from
 * TEXT_INIT_SEEDS (default "1"), epochs from TEXT_INIT_EPOCHS (default: the model's), TEXT_INIT_VARIANTS "random",
 * "text" or both (default; one process per variant runs them side by side). Each fit's lines are printed as it ends.
 * Results: docs/benchmarks.md.
 */
import { fixedClock } from '../src/core/clock.js';
import { silentLogger } from '../src/core/logger.js';
import { loadDataset } from '../src/eval/dataset.js';
import { datasetItems, embedItemTexts } from '../src/eval/item-text.js';
import { hitFlags, hitRateAtK, ndcgAtK } from '../src/eval/metrics/accuracy.js';
import { prepareEvaluation, type EvalSetup } from '../src/eval/setup.js';
import { sequencesOf } from '../src/models/sequential/transitions.js';
import { TransformerModel, transformerDefinition } from '../src/models/transformer/transformer.js';
import { openEmbeddingProvider } from '../src/providers/registry.js';
import { datasetPath } from '../src/testkit/datasets.js';
import type { BenchResult } from './harness.js';

const K = 10;
const BUCKETS: Array<{ name: string; test: (trainUsers: number) => boolean }> = [
  { name: 'all', test: () => true },
  { name: 'cold(0)', test: (n) => n === 0 },
  { name: 'rare(1-5)', test: (n) => n >= 1 && n <= 5 },
  { name: 'rare(<=20)', test: (n) => n <= 20 },
];

interface Target { item: number; ndcg: number; hit: number }

/** Every user's valid and test targets scored by one model fitted on setup.train. */
function scoreTargets(model: TransformerModel, setup: EvalSetup): Target[] {
  const sequences = sequencesOf(setup.train);
  const out: Target[] = [];
  const score = (ranked: number[], item: number): Target => {
    const hits = hitFlags(ranked, Int32Array.of(item));
    return { item, ndcg: ndcgAtK(hits, 1, K), hit: hitRateAtK(hits, K) };
  };
  for (const u of setup.validUsers) {
    const ranked = model.recommend({ user: u, k: K, exclude: setup.validMask(u) }).map((s) => s.index);
    for (const item of setup.valid.matrix.rowIndices(u)) out.push(score(ranked, item));
  }
  for (const u of setup.testUsers) {
    const valid = setup.valid.matrix.rowIndices(u);
    const indices = Int32Array.from([...sequences[u], ...valid]);
    const row = { indices, values: new Float32Array(indices.length).fill(1) };
    const ranked = model.recommend({ user: row, k: K, exclude: setup.testMask(u) }).map((s) => s.index);
    for (const item of setup.test.matrix.rowIndices(u)) out.push(score(ranked, item));
  }
  return out;
}

export async function run(): Promise<BenchResult[]> {
  const dir = datasetPath('ml-latest-small');
  const tmdb = datasetPath('movie-overviews');
  if (!dir || !tmdb) {
    console.warn('skipping transformer-text-init: ml-latest-small or movie-overviews not found (KINDRED_DATA_DIR)');
    return [];
  }
  const provider = await openEmbeddingProvider('builtin');
  if (!provider) throw new Error('the builtin encoder did not open');
  const table = await loadDataset(dir);
  const itemEmbeddings = await embedItemTexts(await datasetItems(table, dir, `${tmdb}/tmdb_5000_movies.csv`), provider, 'files');
  const seeds = (process.env.TEXT_INIT_SEEDS ?? '1').split(',').map(Number);
  const epochs = process.env.TEXT_INIT_EPOCHS ? { epochs: Number(process.env.TEXT_INIT_EPOCHS) } : {};
  const results: BenchResult[] = [];
  for (const seed of seeds) {
    const setup = prepareEvaluation({ data: table, protocol: 'loo', seed, itemEmbeddings });
    const trainUsers = setup.catalogue.itemUsers;
    const variants = (process.env.TEXT_INIT_VARIANTS ?? 'random,text').split(',');
    for (const textInit of [false, true].filter((t) => variants.includes(t ? 'text' : 'random'))) {
      const model = new TransformerModel(transformerDefinition.parseParams({ ...epochs, textInit }));
      const c0 = process.cpuUsage();
      const report = await model.fit(setup.train, { logger: silentLogger, clock: fixedClock(setup.trainEndMs), seed, content: setup.content });
      const cpu = process.cpuUsage(c0);
      const targets = scoreTargets(model, setup);
      for (const b of BUCKETS) {
        const chosen = targets.filter((t) => b.test(trainUsers[t.item]));
        const mean = (f: (t: Target) => number): number => (chosen.length > 0 ? chosen.reduce((s, t) => s + f(t), 0) / chosen.length : 0);
        const extra = { seed, textInit, targets: chosen.length, textInitItems: Number(report.textInitItems), cpuSeconds: (cpu.user + cpu.system) / 1e6 };
        const name = `transformer.text-init.${textInit ? 'text' : 'random'}.${b.name}`;
        const lines: BenchResult[] = [
          { name, dataset: 'ml-latest-small+tmdb', metric: `ndcg@${K} s${seed}`, value: mean((t) => t.ndcg), unit: '', extra },
          { name, dataset: 'ml-latest-small+tmdb', metric: `hr@${K} s${seed} n=${chosen.length}`, value: mean((t) => t.hit), unit: '', extra },
        ];
        for (const r of lines) console.log(`${r.name} ${r.metric} ${r.value.toFixed(4)} ${JSON.stringify(r.extra)}`);
        results.push(...lines);
      }
    }
  }
  return results;
}
