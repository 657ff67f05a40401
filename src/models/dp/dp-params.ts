import { randomInt } from 'node:crypto';
import { EngineError } from '../../core/errors.js';
import type { ParamRule } from '../param-spec.js';
import type { DpBudget, DpMechanism } from './mechanisms.js';

/** Differential-privacy params shared by the models that release counts (popular, itemknn). */
export interface DpParams {
  /** Privacy budget ε of the whole fit; absent = not private (the exact model). */
  dpEpsilon?: number;
  /** δ of the Gaussian mechanism (ignored by Laplace, which is pure ε-DP). */
  dpDelta: number;
  /** Contribution bound k: each user counts at most k distinct items (a seeded uniform sample). */
  dpMaxItemsPerUser: number;
  dpMechanism: DpMechanism;
}

export const DP_DEFAULTS: DpParams = { dpDelta: 1e-6, dpMaxItemsPerUser: 50, dpMechanism: 'gaussian' };

export const DP_RULES: { readonly [K in keyof DpParams]-?: ParamRule } = {
  dpEpsilon: { type: 'float', min: 0.001, max: 1e6 },
  dpDelta: { type: 'float', min: 1e-15, max: 0.1 },
  dpMaxItemsPerUser: { type: 'int', min: 1, max: 10_000 },
  dpMechanism: { type: 'choice', values: ['gaussian', 'laplace'] },
};

/** dp* options without dpEpsilon would be silently ignored: report them instead (`defaults`: the model's own). */
export function checkDpParams(model: string, p: DpParams, defaults: DpParams = DP_DEFAULTS): void {
  if (p.dpEpsilon !== undefined) return;
  for (const key of ['dpDelta', 'dpMaxItemsPerUser', 'dpMechanism'] as const) {
    if (p[key] !== defaults[key]) throw new EngineError('INVALID_CONFIG', `${model}: param "${key}" needs dpEpsilon`, { path: key });
  }
}

/** The budget of one part of the release: `share` of ε and, for Gaussian, of δ (basic composition adds them up). */
export function dpBudget(p: DpParams, share: number): DpBudget {
  const epsilon = (p.dpEpsilon ?? Infinity) * share;
  return p.dpMechanism === 'laplace' ? { mechanism: 'laplace', epsilon, delta: 0 } : { mechanism: 'gaussian', epsilon, delta: p.dpDelta * share };
}

/**
 * The noise seed: the fit's seed when given (reproducible evaluation), else a fresh secret one. Anyone who knows the
 * seed can regenerate and subtract the noise, so production fits must not pass a published seed.
 */
export function dpSeed(seed: number | undefined): number {
  return seed ?? randomInt(0, 2 ** 32 - 1);
}

/**
 * What the model's metadata records about its privacy (never the seed). A sensitivity the mechanism does not bound
 * (Infinity) is recorded as null, which survives JSON.
 */
export function dpMeta(p: DpParams, parts: Record<string, { epsilon: number; delta: number; l1: number; l2: number; noiseScale: number }>): Record<string, unknown> {
  const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);
  const recorded = Object.fromEntries(Object.entries(parts).map(([name, part]) => [name, { ...part, l1: finite(part.l1), l2: finite(part.l2) }]));
  return {
    epsilon: p.dpEpsilon,
    delta: p.dpMechanism === 'gaussian' ? p.dpDelta : 0,
    mechanism: p.dpMechanism,
    maxItemsPerUser: p.dpMaxItemsPerUser,
    unit: 'user',
    parts: recorded,
  };
}
