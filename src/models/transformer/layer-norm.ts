import type { Vec } from './dense.js';

/** What layer norm keeps from forward for backward: the normalised rows and each row's 1 / std. */
export interface LayerNormCache {
  xhat: Vec;
  rstd: Vec;
}

const EPS = 1e-5;

/**
 * Layer normalisation over each row of `width` values: y = (x − mean) / sqrt(var + 1e-5) · gain + bias.
 *
 * @example const cache = layerNormForward(x, gain, bias, y, tokens, d)
 */
export function layerNormForward(x: Vec, gain: Vec, bias: Vec, y: Vec, rows: number, width: number, cache: LayerNormCache): void {
  const { xhat, rstd } = cache;
  for (let t = 0; t < rows; t++) {
    const o = t * width;
    let mean = 0;
    for (let j = 0; j < width; j++) mean += x[o + j];
    mean /= width;
    let variance = 0;
    for (let j = 0; j < width; j++) {
      const c = x[o + j] - mean;
      variance += c * c;
    }
    const r = 1 / Math.sqrt(variance / width + EPS);
    rstd[t] = r;
    for (let j = 0; j < width; j++) {
      const h = (x[o + j] - mean) * r;
      xhat[o + j] = h;
      y[o + j] = h * gain[j] + bias[j];
    }
  }
}

/**
 * Backward of layerNormForward: dx += rstd · (dxhat − mean(dxhat) − xhat · mean(dxhat · xhat)) with
 * dxhat = dy · gain; dgain += dy · xhat and dbias += dy.
 *
 * @example layerNormBackward(dy, gain, cache, dx, dgain, dbias, tokens, d)
 */
export function layerNormBackward(dy: Vec, gain: Vec, cache: LayerNormCache, dx: Vec, dgain: Vec, dbias: Vec, rows: number, width: number): void {
  const { xhat, rstd } = cache;
  for (let t = 0; t < rows; t++) {
    const o = t * width;
    let meanD = 0;
    let meanDX = 0;
    for (let j = 0; j < width; j++) {
      const g = dy[o + j];
      const dh = g * gain[j];
      dgain[j] += g * xhat[o + j];
      dbias[j] += g;
      meanD += dh;
      meanDX += dh * xhat[o + j];
    }
    meanD /= width;
    meanDX /= width;
    const r = rstd[t];
    for (let j = 0; j < width; j++) dx[o + j] += r * (dy[o + j] * gain[j] - meanD - xhat[o + j] * meanDX);
  }
}
