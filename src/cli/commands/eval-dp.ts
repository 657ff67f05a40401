import { EngineError } from '../../core/errors.js';
import type { ModelSpec } from '../../eval/runner.js';
import { modelDefinition } from '../../models/registry.js';

/** ε values from --dp-epsilons: positive numbers, "inf" for the exact (non-private) model. */
export function dpEpsilonList(raw: string): number[] {
  const xs = raw.split(',').map((s) => s.trim()).filter(Boolean).map((s) => (/^(inf|infinity|∞)$/i.test(s) ? Infinity : Number(s)));
  if (xs.length === 0 || xs.some((x) => Number.isNaN(x) || !(x > 0))) {
    throw new EngineError('INVALID_INPUT', `--dp-epsilons must list positive numbers or inf, got "${raw}"`);
  }
  return [...new Set(xs)];
}

/**
 * One run per ε for every model with a differentially private option (those whose params know dpEpsilon: popular,
 * itemknn, ease, als), labelled "<model>@ε=<value>"; ε = ∞ runs the exact model, without the dp* params (they apply to
 * the private fits only). Other models run once, as given.
 *
 * @example withDpEpsilons([{ name: 'itemknn' }], [1, Infinity]) // itemknn@ε=1 (dpEpsilon 1), itemknn@ε=∞ (exact)
 */
export function withDpEpsilons(models: ModelSpec[], epsilons: number[]): ModelSpec[] {
  const hasDp = (m: ModelSpec): boolean => 'dpMaxItemsPerUser' in modelDefinition(m.name).defaults;
  if (!models.some(hasDp)) throw new EngineError('INVALID_INPUT', '--dp-epsilons needs a model with a differentially private option (popular, itemknn, ease, als)');
  return models.flatMap((m) => {
    if (!hasDp(m)) return [m];
    return epsilons.map((e) => ({
      name: m.name,
      params: e === Infinity ? exactParams(m.params) : { ...m.params, dpEpsilon: e },
      label: `${m.name}@ε=${e === Infinity ? '∞' : e}`,
    }));
  });
}

/** The params of the exact model: the given ones without dp* keys (or undefined when nothing else is left). */
function exactParams(params: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!params) return params;
  const kept = Object.entries(params).filter(([key]) => !key.startsWith('dp'));
  return kept.length === Object.keys(params).length ? params : Object.fromEntries(kept);
}
