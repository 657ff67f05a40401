import type { KernelExports } from '../linalg/wasm/kernels.js';
import type { KernelEnv } from '../workers/pool.js';

/** Byte offsets and settings of one worker's share of a BPR epoch. */
export interface BprEpochArgs {
  /** users x items CSR (columns sorted per row) and, per stored interaction, its row. */
  indptr: number;
  indices: number;
  rowOf: number;
  users: number;
  items: number;
  nnz: number;
  /** users x stride and items x stride float32 factors (stride % 8 == 0), items float32 biases. */
  x: number;
  y: number;
  bias: number;
  stride: number;
  samples: number;
  learningRate: number;
  regularization: number;
  seed: number;
  /** Resample negatives that the user actually interacted with (up to 16 tries, else skip the sample). */
  verifyNegative: boolean;
}

export interface BprEpochResult {
  /** Σ ln σ(x_uij) over the samples taken (the BPR objective without its penalty). */
  logLikelihood: number;
  taken: number;
}

/**
 * Worker kernel (self-contained): `samples` SGD steps of BPR (Rendle et al. 2009). Each step draws a stored
 * interaction (u, i) uniformly and a negative item j uniformly, then ascends ln σ(x_u·(y_i - y_j) + b_i - b_j)
 * minus an L2 penalty. Sampling and the sigmoid run here; the O(k) vector work runs in the WASM kernels. Several
 * workers on shared factors make it Hogwild (lock-free, racy by design).
 *
 * @example const { logLikelihood, taken } = await pool.run(0, 'bprEpoch', { ...buffers, samples: nnz, seed: 7 })
 */
export function bprEpochKernel(env: KernelEnv, a: BprEpochArgs): BprEpochResult {
  const wasm = env.wasm as unknown as KernelExports;
  const buf = env.memory.buffer;
  const indptr = new Int32Array(buf, a.indptr, a.users + 1);
  const indices = new Int32Array(buf, a.indices, a.nnz);
  const rowOf = new Int32Array(buf, a.rowOf, a.nnz);
  const bias = new Float32Array(buf, a.bias, a.items);
  const k = a.stride;
  const lr = a.learningRate;
  const reg = a.regularization;
  // mulberry32
  let state = a.seed >>> 0;
  const rand = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const liked = (u: number, item: number): boolean => {
    let lo = indptr[u];
    let hi = indptr[u + 1] - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = indices[mid];
      if (v === item) return true;
      if (v < item) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  };
  let logLikelihood = 0;
  let taken = 0;
  for (let s = 0; s < a.samples; s++) {
    const p = Math.floor(rand() * a.nnz);
    const u = rowOf[p];
    const i = indices[p];
    let j = Math.floor(rand() * a.items);
    if (a.verifyNegative) {
      let tries = 0;
      while (liked(u, j) && tries++ < 16) j = Math.floor(rand() * a.items);
      if (liked(u, j)) continue;
    } else if (j === i) {
      continue;
    }
    const xu = a.x + u * k * 4;
    const yi = a.y + i * k * 4;
    const yj = a.y + j * k * 4;
    const score = bias[i] - bias[j] + wasm.bprScoreDiff(xu, yi, yj, k);
    // z = σ(-score) = 1 - σ(score): the gradient weight of ln σ(score)
    const z = 1 / (1 + Math.exp(score));
    logLikelihood -= Math.log1p(Math.exp(-score));
    taken++;
    wasm.bprUpdate(xu, yi, yj, k, z, lr, reg);
    bias[i] += lr * (z - reg * bias[i]);
    bias[j] += lr * (-z - reg * bias[j]);
  }
  return { logLikelihood, taken };
}

export const BPR_KERNELS = { bprEpoch: bprEpochKernel };
