import { resolveConfig, type KindredConfig } from '../config/config.js';

/** The care presets `kindred eval --care` scores and docs/care.md measures. */
export const CARE_PRESETS = ['off', 'default', 'strong'] as const;
export type CarePreset = (typeof CARE_PRESETS)[number];

/**
 * The re-rank stages that are care (src/care/): `off` leaves them out. A stage added to src/care belongs here too.
 */
export const CARE_STAGE_NAMES: readonly string[] = ['fatigue', 'negative-feedback', 'long-tail', 'diversity', 'calibration', 'gentle', 'budget'];

/** The strengths a preset sets; the rest of config `care` stays as the base config has it. */
type PresetStrengths = Pick<KindredConfig['care'], 'diversityMethod' | 'diversity' | 'novelty' | 'calibration'>;

/** What the engine ships: the schema's defaults. */
function shipped(): KindredConfig {
  return resolveConfig();
}

/**
 * `strong`: more diversity and novelty than shipped (0.4 each against 0.3), and Steck's calibration at 0.1 (it keeps
 * the stronger variety close to the user's own genre mix); measured in docs/care.md (5–6 % of NDCG@10).
 */
const STRONG: PresetStrengths = { diversityMethod: 'dpp', diversity: 0.4, novelty: 0.4, calibration: 0.1 };

/**
 * The preset's care strengths, one definition for eval, the benchmark and the docs.
 *
 * @example carePresetStrengths('off') // { diversityMethod: 'dpp', diversity: 0, novelty: 0, calibration: 0 }
 */
export function carePresetStrengths(preset: CarePreset): PresetStrengths {
  const { diversityMethod, diversity, novelty, calibration } = shipped().care;
  if (preset === 'off') return { diversityMethod, diversity: 0, novelty: 0, calibration: 0 };
  if (preset === 'default') return { diversityMethod, diversity, novelty, calibration };
  return STRONG;
}

/**
 * `base` with the preset applied: `off` drops every care stage from pipeline.rerank and zeroes the strengths;
 * `default` is the shipped care (its strengths and re-rank stages); `strong` adds calibration after diversity to the
 * shipped stages. Everything outside `care` and pipeline.rerank stays as `base` has it.
 *
 * @example carePresetConfig('strong', config).care.diversity // 0.4
 */
export function carePresetConfig(preset: CarePreset, base: KindredConfig): KindredConfig {
  const shippedRerank = shipped().pipeline.rerank;
  const rerank = preset === 'off'
    ? base.pipeline.rerank.filter((name) => !CARE_STAGE_NAMES.includes(name))
    : preset === 'default' || shippedRerank.includes('calibration')
      ? shippedRerank
      : shippedRerank.flatMap((name) => (name === 'diversity' ? ['diversity', 'calibration'] : [name]));
  return { ...base, pipeline: { ...base.pipeline, rerank }, care: { ...base.care, ...carePresetStrengths(preset) } };
}

/**
 * True when `name` is a care preset.
 *
 * @example isCarePreset('strong') // true
 */
export function isCarePreset(name: string | undefined): name is CarePreset {
  return (CARE_PRESETS as readonly string[]).includes(name ?? '');
}
