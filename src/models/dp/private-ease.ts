import { EngineError, isEngineError } from '../../core/errors.js';
import type { CsrMatrix } from '../../core/sparse.js';
import { weightsFromSwept } from '../ease/solve.js';
import { sharedLayout } from '../linalg/arena.js';
import { SWEEP_KERNELS, sweepInverse, sweepLayout, sweepShape, type SweepPrecision } from '../linalg/spd-inverse.js';
import { kernelModule } from '../linalg/wasm/kernels.js';
import { topK } from '../topk.js';
import { WorkerPool } from '../workers/pool.js';
import { checkDpParams, DP_DEFAULTS, dpBudget, dpMeta, dpSeed, type DpParams } from './dp-params.js';
import { PrivateGram, type DpBounding } from './private-gram.js';

/** EASE's private-fit params (EaseParams extends this, so each is documented once). */
export interface PrivateEaseOptions extends DpParams {
  /** With dpEpsilon: bound each user's contribution by sampling k items or by scaling heavy users down (private-gram.ts). */
  dpBounding: DpBounding;
  /** With dpEpsilon: extra ridge in units of noise standard deviation × √n, so that the noisy Gram + λI is positive definite. */
  dpRidge: number;
  /** With dpEpsilon: noisy pair counts at or below this many noise scales are set to 0 before the inverse (post-processing). */
  dpPairThreshold: number;
  /** With dpEpsilon: only items whose noisy count exceeds this many noise scales are modelled (post-processing). */
  dpItemThreshold: number;
}

interface PrivateEaseParams extends PrivateEaseOptions {
  /** EASE's λ, used as given (a data-scaled default would read the private data). */
  lambda: number;
  maxItems: number;
}

export interface PrivateEaseSolution {
  items: Int32Array;
  weights: Float32Array;
  /** The λ the inverse used: lambda + the noise ridge (raised further when the first try was not positive definite). */
  lambda: number;
  privacy: Record<string, unknown>;
}

/**
 * EASE on a differentially private Gram matrix: release G̃ = XᵀWX + noise once (private-gram.ts, all of ε), then
 * B = I − P diag(1/diag P), P = (G̃ + λ′I)⁻¹ is post-processing. G̃ is symmetric but its noise E is indefinite: a
 * symmetric n×n matrix of independent N(0, σ²) entries has ‖E‖₂ ≈ 2σ√n, and XᵀWX is positive semi-definite, so
 * λ′ = λ + dpRidge·σ√n with dpRidge > 2 keeps G̃ + λ′I positive definite with high probability; should the sweep
 * still meet a non-positive pivot, λ′ grows by σ√n and the inverse is tried again (still post-processing: only the
 * release is read). Without dpEpsilon's noise (ε = ∞) this is EASE on the bounded Gram. Items: the whole catalogue,
 * or the `maxItems` with the largest released counts (choosing by exact counts would leak).
 *
 * @example const { items, weights } = await privateEase(data.matrix, params, ctx.seed, 2, onStep);
 */
export async function privateEase(
  userItems: CsrMatrix,
  p: PrivateEaseParams,
  seed: number | undefined,
  opts: { threads: number; precision: SweepPrecision; onStep: (done: number, total: number) => Promise<void> },
): Promise<PrivateEaseSolution> {
  const budget = dpBudget(p, 1);
  const gram = PrivateGram.release(userItems, { k: p.dpMaxItemsPerUser, bounding: p.dpBounding, budget, seed: dpSeed(seed) });
  const items = modelledItems(gram, p);
  const n = items.length;
  // the noise's standard deviation: σ for Gaussian, √2·b for Laplace
  const step = gram.scale * (budget.mechanism === 'laplace' ? Math.SQRT2 : 1) * Math.sqrt(n);
  let lambda = p.lambda + p.dpRidge * step;
  const privacy = { ...dpMeta(p, { gram: { epsilon: budget.epsilon, delta: budget.delta, ...gram.sensitivity, noiseScale: gram.scale } }), bounding: p.dpBounding };
  for (let attempt = 0; ; attempt++) {
    try {
      const weights = await invertRegularised(gram, items, lambda, p.dpPairThreshold * gram.scale, opts);
      return { items, weights, lambda, privacy };
    } catch (e) {
      if (!(isEngineError(e) && e.code === 'INVALID_INPUT') || step === 0 || attempt >= 20) throw e;
      lambda += step;
    }
  }
}

/**
 * The items EASE models, chosen from the release only: those whose noisy count exceeds dpItemThreshold noise scales
 * (at small ε rare items are pure noise and would score everywhere), at most maxItems of them by noisy count, and at
 * least the single most counted item. Ascending.
 */
function modelledItems(gram: PrivateGram, p: PrivateEaseParams): Int32Array {
  const floor = Math.max(0, p.dpItemThreshold * gram.scale);
  const ranked = topK(gram.diagonal, Math.min(p.maxItems, gram.n), { above: floor });
  const kept = ranked.length > 0 ? ranked : topK(gram.diagonal, 1);
  return Int32Array.from(kept.map((s) => s.index)).sort();
}

/** dp* options EASE accepts, and the EASE options a private fit cannot honour (their inputs have no bounded sensitivity). */
export const PRIVATE_EASE_DEFAULTS = { ...DP_DEFAULTS, dpMaxItemsPerUser: 10, dpBounding: 'scale' as DpBounding, dpRidge: 3, dpPairThreshold: 0, dpItemThreshold: 2 };

export function checkPrivateEaseParams(p: PrivateEaseParams & { dropout: number; userNorm: number; itemNorm: number; binary: boolean }): void {
  checkDpParams('ease', p, PRIVATE_EASE_DEFAULTS);
  if (p.dpEpsilon === undefined) {
    for (const key of ['dpBounding', 'dpRidge', 'dpPairThreshold', 'dpItemThreshold'] as const) {
      if (p[key] !== PRIVATE_EASE_DEFAULTS[key]) throw new EngineError('INVALID_CONFIG', `ease: param "${key}" needs dpEpsilon`, { path: key });
    }
    return;
  }
  // the release counts users per item and pair: weights, dropout and DAN normalisations would need their own bounds
  for (const key of ['dropout', 'userNorm', 'itemNorm'] as const) {
    if (p[key] !== 0) throw new EngineError('INVALID_CONFIG', `ease: dpEpsilon works with ${key} 0 only`, { path: key });
  }
  if (!p.binary) throw new EngineError('INVALID_CONFIG', 'ease: dpEpsilon works with binary true only', { path: 'binary' });
}

/** B from (G̃ + λI)⁻¹ over `items` by the blocked sweep on worker threads (the same kernels as solveEase). */
async function invertRegularised(
  gram: PrivateGram,
  items: Int32Array,
  lambda: number,
  floor: number,
  opts: { threads: number; precision: SweepPrecision; onStep: (done: number, total: number) => Promise<void> },
): Promise<Float32Array> {
  const n = items.length;
  const { nb, padded } = sweepShape(Math.max(1, n));
  const ld = padded + 8;
  const threads = padded <= 256 ? 1 : Math.max(1, opts.threads);
  const { memory, blocks } = sharedLayout(sweepLayout(padded, nb, opts.precision, threads));
  const s = blocks.s.view;
  const row = new Float64Array(gram.n);
  for (let d = 0; d < n; d++) {
    gram.row(items[d], row);
    for (let e = 0; e < d; e++) {
      const v = row[items[e]];
      s[d * ld + e] = v > floor ? v : 0;
    }
    s[d * ld + d] = row[items[d]] + lambda;
  }
  // padding rows and columns: identity, so they do not touch the real block
  for (let d = n; d < padded; d++) s[d * ld + d] = 1;
  const steps = padded / nb + 1;
  await opts.onStep(1, steps);
  const pool = WorkerPool.start({ kernels: SWEEP_KERNELS, size: threads, memory, module: kernelModule() });
  try {
    await sweepInverse(pool, { precision: opts.precision, n: padded, nb, ld, s: blocks.s, qb: blocks.qb, wa: blocks.wa, va: blocks.va, tmp: blocks.tmp }, {
      onBlock: (done) => opts.onStep(1 + done, steps),
    });
  } finally {
    await pool.close();
  }
  return weightsFromSwept(s, ld, n);
}
