/**
 * Plain-TypeScript twin of the WASM `alsSolveRows` kernel (implicit ALS, conjugate gradient after Takács et al. as
 * in the implicit library). It is the readable statement of the algorithm, the oracle the kernel is tested against,
 * and the baseline in bench/als.bench.ts. Training runs the WASM kernel, which is several times faster.
 */
export interface AlsSide {
  indptr: Int32Array;
  indices: Int32Array;
  /** α·r per stored interaction: the confidence above the baseline 1. */
  conf: Float32Array;
}

/** Rows to update and how: λ_u = regBase + regPerEvent · |row u|. */
export interface AlsSolveSettings {
  k: number;
  r0: number;
  r1: number;
  cgSteps: number;
  withLoss: boolean;
  regBase: number;
  regPerEvent: number;
}

/**
 * CG-updates rows [r0, r1) of `x` (row-major, stride k) against fixed `y` with G = YᵀY, warm-starting from the
 * current rows (empty rows become zero); returns Σ_u [x_uᵀ (G + λ_u I) x_u + Σ_i ((1 + conf)(1 - s)² - s²)] when
 * withLoss.
 *
 * @example alsSolveRowsReference(side, x, y, g, { k: 64, r0: 0, r1: users, cgSteps: 3, withLoss: false, regBase: 1, regPerEvent: 0.01 });
 */
export function alsSolveRowsReference(side: AlsSide, x: Float32Array, y: Float32Array, g: Float32Array, opts: AlsSolveSettings): number {
  const { k, r0, r1, cgSteps, withLoss } = opts;
  const r = new Float32Array(k);
  const p = new Float32Array(k);
  const ap = new Float32Array(k);
  let loss = 0;
  for (let u = r0; u < r1; u++) {
    const xu = x.subarray(u * k, (u + 1) * k);
    const start = side.indptr[u];
    const end = side.indptr[u + 1];
    if (end === start) {
      xu.fill(0);
      continue;
    }
    const lambda = opts.regBase + opts.regPerEvent * (end - start);
    matvec(g, xu, ap, k);
    axpy(lambda, xu, ap, k);
    for (let a = 0; a < k; a++) r[a] = -ap[a];
    for (let q = start; q < end; q++) {
      const yi = y.subarray(side.indices[q] * k, (side.indices[q] + 1) * k);
      const c = side.conf[q];
      axpy(1 + c - c * dot(yi, xu, k), yi, r, k);
    }
    p.set(r);
    let rsold = dot(r, r, k);
    for (let it = 0; it < cgSteps && rsold >= 1e-20; it++) {
      matvec(g, p, ap, k);
      axpy(lambda, p, ap, k);
      for (let q = start; q < end; q++) {
        const yi = y.subarray(side.indices[q] * k, (side.indices[q] + 1) * k);
        axpy(side.conf[q] * dot(yi, p, k), yi, ap, k);
      }
      const d = dot(p, ap, k);
      if (d <= 0) break;
      const alpha = rsold / d;
      axpy(alpha, p, xu, k);
      axpy(-alpha, ap, r, k);
      const rsnew = dot(r, r, k);
      if (rsnew < 1e-20) break;
      for (let a = 0; a < k; a++) p[a] = r[a] + (rsnew / rsold) * p[a];
      rsold = rsnew;
    }
    if (withLoss) {
      matvec(g, xu, ap, k);
      axpy(lambda, xu, ap, k);
      loss += dot(xu, ap, k);
      for (let q = start; q < end; q++) {
        const s = dot(y.subarray(side.indices[q] * k, (side.indices[q] + 1) * k), xu, k);
        loss += (1 + side.conf[q]) * (1 - s) ** 2 - s * s;
      }
    }
  }
  return loss;
}

function dot(a: Float32Array, b: Float32Array, k: number): number {
  let s = 0;
  for (let i = 0; i < k; i++) s += a[i] * b[i];
  return s;
}

function axpy(alpha: number, x: Float32Array, y: Float32Array, k: number): void {
  for (let i = 0; i < k; i++) y[i] += alpha * x[i];
}

function matvec(g: Float32Array, v: Float32Array, out: Float32Array, k: number): void {
  for (let a = 0; a < k; a++) out[a] = dot(g.subarray(a * k, (a + 1) * k), v, k);
}
