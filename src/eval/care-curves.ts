import type { KindredConfig } from '../config/config.js';
import { carePresetConfig } from '../care/presets.js';

/** One care stage whose strength the trade-off curves sweep: its re-rank stage and its strength's config key. */
export interface CareSweep {
  stage: 'diversity' | 'long-tail' | 'calibration';
  key: 'diversity' | 'novelty' | 'calibration';
}

/** The stages the curves sweep, each alone over the pipeline with care off. */
export const CARE_SWEEPS: readonly CareSweep[] = [
  { stage: 'diversity', key: 'diversity' },
  { stage: 'long-tail', key: 'novelty' },
  { stage: 'calibration', key: 'calibration' },
];

/** The strengths each curve visits: 0 (care off) to 0.8; six points keep an ml-100k sweep under a minute. */
export const CARE_SWEEP_STRENGTHS: readonly number[] = [0, 0.1, 0.2, 0.3, 0.5, 0.8];

/**
 * `base` with care off (presets.ts) except the swept stage, at `strength`, in pipeline.rerank before the rest.
 *
 * @example careSweepConfig(config, CARE_SWEEPS[1], 0.3).care.novelty // 0.3
 */
export function careSweepConfig(base: KindredConfig, sweep: CareSweep, strength: number): KindredConfig {
  const off = carePresetConfig('off', base);
  const rerank = strength > 0 ? [sweep.stage, ...off.pipeline.rerank] : off.pipeline.rerank;
  return { ...off, pipeline: { ...off.pipeline, rerank }, care: { ...off.care, [sweep.key]: strength } };
}
