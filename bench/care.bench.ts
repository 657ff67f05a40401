/**
 * The care re-rank stages' trade-off on ml-100k (or CARE_BENCH_DATASET; RecBole protocol, several split seeds,
 * CARE_BENCH_SEEDS): the pipeline with no care stage against the same pipeline with care settings, each scored by
 * NDCG@10, ILD@10 (genres), coverage@10, calibration@10 (KL), novelty@10 and long-tail share@10. EASE is fitted once
 * per seed; each config runs the whole offline pipeline (pipeline-eval.ts). Prints per-seed rows and, at the end, the
 * mean over seeds with the change against `pipeline`. docs/care.md reads it.
 *
 * A config is `pipeline` or care settings joined by '+': `dpp:0.2`, `mmr:0.3`, `pm2:0.3`, `calibration:0.1`, `longtail:0.2`,
 * `depth:10` (care.noveltyDepth), `ramp:3-20` (care.historyRampStart-Full; `ramp:0-0` = full strength for everyone),
 * or a preset `preset:default` (src/care/presets.ts). CARE_BENCH_HISTORY=n scores every test user from their newest n
 * training items only (short histories).
 */
import { resolveConfig, type ConfigInput, type KindredConfig } from '../src/config/config.js';
import { silentLogger } from '../src/core/logger.js';
import { carePresetConfig, isCarePreset } from '../src/care/presets.js';
import { loadDataset } from '../src/eval/dataset.js';
import { evaluatePipeline, type EvaluatedModel } from '../src/eval/pipeline-eval.js';
import { prepareEvaluation } from '../src/eval/setup.js';
import { createModel } from '../src/models/registry.js';
import { datasetPath } from '../src/testkit/datasets.js';
import type { BenchResult } from './harness.js';

const SEEDS = (process.env.CARE_BENCH_SEEDS ?? '42,1').split(',').map(Number);
const NO_CARE_RERANK = ['short-term-slot'];
const DEFAULT_CONFIGS = [
  'pipeline', 'dpp:0.1', 'dpp:0.2', 'dpp:0.3', 'mmr:0.2', 'calibration:0.1',
  'longtail:0.1', 'longtail:0.2', 'longtail:0.3', 'longtail:0.5', 'dpp:0.2+longtail:0.2', 'preset:default', 'preset:strong',
];
const METRICS = ['ndcg@10', 'ild@10', 'coverage@10', 'calibration@10', 'novelty@10', 'longtail@10'];

/** The config a bench config name stands for (see the header). */
function configOf(spec: string): KindredConfig {
  if (spec === 'pipeline') return resolveConfig({ pipeline: { rerank: NO_CARE_RERANK }, care: { diversity: 0, novelty: 0, calibration: 0 } });
  const [kind, value] = spec.split(':');
  if (kind === 'preset' && isCarePreset(value)) return carePresetConfig(value, resolveConfig());
  const care: NonNullable<ConfigInput['care']> = { diversity: 0, novelty: 0, calibration: 0 };
  for (const part of spec.split('+')) {
    const [k, v] = part.split(':');
    if (k === 'dpp' || k === 'mmr' || k === 'pm2') Object.assign(care, { diversityMethod: k, diversity: Number(v) });
    else if (k === 'calibration') care.calibration = Number(v);
    else if (k === 'longtail') care.novelty = Number(v);
    else if (k === 'depth') care.noveltyDepth = Number(v);
    else if (k === 'ramp') [care.historyRampStart, care.historyRampFull] = v.split('-').map(Number);
    else throw new Error(`unknown care bench config part "${part}"`);
  }
  const stages = [...(care.novelty ? ['long-tail'] : []), ...(care.diversity ? ['diversity'] : []), ...(care.calibration ? ['calibration'] : [])];
  return resolveConfig({ care, pipeline: { rerank: [...stages, ...NO_CARE_RERANK] } });
}

function pct(x: number, base: number): string {
  const d = (100 * (x - base)) / base;
  return `${d >= 0 ? '+' : '−'}${Math.abs(d).toFixed(1)} %`;
}

export async function run(): Promise<BenchResult[]> {
  const dataset = process.env.CARE_BENCH_DATASET ?? 'ml-100k';
  const dir = datasetPath(dataset);
  if (!dir) {
    console.warn(`skipping care bench: ${dataset} not found (KINDRED_DATA_DIR)`);
    return [];
  }
  const data = await loadDataset(dir);
  const specs = process.env.CARE_BENCH_CONFIGS?.split(',') ?? DEFAULT_CONFIGS;
  const historyLength = process.env.CARE_BENCH_HISTORY ? Number(process.env.CARE_BENCH_HISTORY) : undefined;
  const out: BenchResult[] = [];
  const sums = new Map<string, number[][]>();
  for (const seed of SEEDS) {
    const setup = prepareEvaluation({ data, protocol: 'recbole', seed });
    const fit = async (part: typeof setup.train, endMs: number) => {
      const model = createModel('ease', {});
      await model.fit(part, { logger: silentLogger, clock: { now: () => endMs } });
      return model;
    };
    const ease: EvaluatedModel = { trained: await fit(setup.train, setup.trainEndMs), tested: await fit(setup.testTrain, setup.testTrainEndMs), validScore: 1 };
    for (const spec of specs) {
      const { results: [result] } = await evaluatePipeline(setup, new Map([['ease', ease]]), { fusions: ['learned'], ks: [10], mainK: 10, longTailBins: 20, config: configOf(spec), historyLength });
      const values = METRICS.map((m) => result.metrics[m] ?? NaN);
      sums.set(spec, [...(sums.get(spec) ?? []), values]);
      METRICS.forEach((metric, i) => out.push({ name: `care.${spec}`, dataset, metric, value: values[i], unit: 'ratio', extra: { seed, ...(historyLength ? { historyLength } : {}) } }));
      console.error(`${dataset} seed ${seed} ${spec}: ${METRICS.map((m, i) => `${m}=${values[i].toFixed(4)}`).join(' ')} (${result.scoreSeconds.toFixed(1)} s)`);
    }
  }
  const mean = (rows: number[][]) => METRICS.map((_, i) => rows.reduce((s, r) => s + r[i], 0) / rows.length);
  const base = sums.has('pipeline') ? mean(sums.get('pipeline') ?? []) : undefined;
  console.error(`\n${dataset}, mean of seeds ${SEEDS.join(',')}${historyLength ? `, newest ${historyLength} items per user` : ''}`);
  console.error(`| config | ${METRICS.join(' | ')} |`);
  for (const [spec, rows] of sums) {
    const m = mean(rows);
    const cells = m.map((v, i) => (base && spec !== 'pipeline' ? `${v.toFixed(4)} (${pct(v, base[i])})` : v.toFixed(4)));
    console.error(`| ${spec} | ${cells.join(' | ')} |`);
    if (rows.length > 1) console.error(`|   per seed NDCG@10 | ${rows.map((r) => r[0].toFixed(4)).join(' ')} |`);
  }
  return out;
}
