/**
 * The care re-rank stages' trade-off on ml-100k (or CARE_BENCH_DATASET; RecBole protocol, a few split seeds): the default pipeline (EASE as
 * the main channel, learned fusion) against the same pipeline with the diversity stage (MMR, DPP) at several
 * strengths and with the calibration stage, scored by NDCG@10, ILD@10 (genres), coverage@10 and calibration@10 (KL).
 * EASE is fitted once per seed; each config runs the whole offline pipeline (pipeline-eval.ts). docs/care.md reads it.
 */
import { resolveConfig, type ConfigInput } from '../src/config/config.js';
import { silentLogger } from '../src/core/logger.js';
import { loadDataset } from '../src/eval/dataset.js';
import { evaluatePipeline, type EvaluatedModel } from '../src/eval/pipeline-eval.js';
import { prepareEvaluation } from '../src/eval/setup.js';
import { createModel } from '../src/models/registry.js';
import { datasetPath } from '../src/testkit/datasets.js';
import type { BenchResult } from './harness.js';

const SEEDS = (process.env.CARE_BENCH_SEEDS ?? '42,1').split(',').map(Number);
const BASE_RERANK = ['short-term-slot'];

/** Config name -> the care settings and stages it adds to the default pipeline. */
const CONFIGS: Record<string, ConfigInput> = {
  pipeline: {},
  'mmr:0.1': { care: { diversityMethod: 'mmr', diversity: 0.1 } },
  'mmr:0.2': { care: { diversityMethod: 'mmr', diversity: 0.2 } },
  'mmr:0.3': { care: { diversityMethod: 'mmr', diversity: 0.3 } },
  'mmr:0.4': { care: { diversityMethod: 'mmr', diversity: 0.4 } },
  'mmr:0.5': { care: { diversityMethod: 'mmr', diversity: 0.5 } },
  'dpp:0.1': { care: { diversityMethod: 'dpp', diversity: 0.1 } },
  'dpp:0.2': { care: { diversityMethod: 'dpp', diversity: 0.2 } },
  'dpp:0.3': { care: { diversityMethod: 'dpp', diversity: 0.3 } },
  'dpp:0.4': { care: { diversityMethod: 'dpp', diversity: 0.4 } },
  'dpp:0.5': { care: { diversityMethod: 'dpp', diversity: 0.5 } },
  'calibration:0.1': { care: { calibration: 0.1 } },
  'calibration:0.2': { care: { calibration: 0.2 } },
  'calibration:0.3': { care: { calibration: 0.3 } },
  'calibration:0.5': { care: { calibration: 0.5 } },
  'calibration:0.7': { care: { calibration: 0.7 } },
};

const METRICS = ['ndcg@10', 'ild@10', 'coverage@10', 'calibration@10', 'novelty@10'];

function configOf(input: ConfigInput) {
  const stages = [...(input.care?.diversity ? ['diversity'] : []), ...(input.care?.calibration ? ['calibration'] : [])];
  return resolveConfig({ ...input, pipeline: { rerank: [...BASE_RERANK, ...stages] } });
}

export async function run(): Promise<BenchResult[]> {
  const dataset = process.env.CARE_BENCH_DATASET ?? 'ml-100k';
  const dir = datasetPath(dataset);
  if (!dir) return [];
  const data = await loadDataset(dir);
  const only = process.env.CARE_BENCH_CONFIGS?.split(',');
  const out: BenchResult[] = [];
  for (const seed of SEEDS) {
    const setup = prepareEvaluation({ data, protocol: 'recbole', seed });
    const fit = async (part: typeof setup.train, endMs: number) => {
      const model = createModel('ease', {});
      await model.fit(part, { logger: silentLogger, clock: { now: () => endMs } });
      return model;
    };
    const ease: EvaluatedModel = { trained: await fit(setup.train, setup.trainEndMs), tested: await fit(setup.testTrain, setup.testTrainEndMs), validScore: 1 };
    for (const [name, input] of Object.entries(CONFIGS)) {
      if (only && !only.includes(name)) continue;
      const [result] = await evaluatePipeline(setup, new Map([['ease', ease]]), { fusions: ['learned'], ks: [10], mainK: 10, longTailBins: 20, config: configOf(input) });
      for (const metric of METRICS) {
        out.push({ name: `care.${name}`, dataset, metric, value: result.metrics[metric] ?? NaN, unit: 'ratio', extra: { seed, scoreSeconds: result.scoreSeconds } });
      }
      console.error(`${dataset} seed ${seed} ${name}: ${METRICS.map((m) => `${m}=${result.metrics[m]?.toFixed(4)}`).join(' ')} (${result.scoreSeconds.toFixed(1)} s)`);
    }
  }
  return out;
}
