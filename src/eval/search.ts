import type { ParamSpace } from '../models/definition.js';
import { createRandom, shuffleInPlace, type Random } from './random.js';

export type SearchMethod = 'random' | 'grid';
export type ParamValue = string | number | boolean;

/** Points tried per numeric parameter in grid search when its space declares no `grid`. */
const GRID_POINTS = 5;

/** Rounds floats to 4 significant digits so reported params stay readable (1e-3, not 0.0010000000474974513). */
function tidy(x: number): number {
  return Number(x.toPrecision(4));
}

/**
 * One random draw from a parameter space: log-uniform when `log`, else uniform; ints rounded; choices uniform.
 *
 * @example sampleParam({ type: 'float', min: 1, max: 1000, log: true }, createRandom(1))
 */
export function sampleParam(space: ParamSpace, rng: Random): ParamValue {
  if (space.type === 'choice') return space.values[rng.int(space.values.length)];
  const u = rng.next();
  const x = space.log ? Math.exp(Math.log(space.min) + u * (Math.log(space.max) - Math.log(space.min))) : space.min + u * (space.max - space.min);
  return space.type === 'int' ? Math.min(space.max, Math.max(space.min, Math.round(x))) : tidy(x);
}

/**
 * The values grid search tries for one parameter: its declared `grid`, its choices, or GRID_POINTS points spread
 * evenly (geometrically when `log`) from min to max.
 *
 * @example gridValues({ type: 'int', min: 10, max: 50 }) // [10, 20, 30, 40, 50]
 */
export function gridValues(space: ParamSpace): ParamValue[] {
  if (space.type === 'choice') return [...space.values];
  if (space.grid && space.grid.length > 0) return [...space.grid];
  const out: number[] = [];
  for (let i = 0; i < GRID_POINTS; i++) {
    const f = i / (GRID_POINTS - 1);
    const x = space.log ? space.min * Math.pow(space.max / space.min, f) : space.min + f * (space.max - space.min);
    const v = space.type === 'int' ? Math.round(x) : tidy(x);
    if (!out.includes(v)) out.push(v);
  }
  return out;
}

/**
 * Parameter sets to try. Keys in `fixed` are not searched. Random search starts with the defaults (just `fixed`) so it
 * never reports worse than the untuned model, then draws `trials − 1` sets. Grid search enumerates the full product,
 * and when that exceeds `trials` keeps a seeded random subset of `trials` points.
 *
 * @example searchTrials({ lambda: { type: 'float', min: 10, max: 1e4, log: true } }, {}, 'random', 10, 42)
 */
export function searchTrials(
  space: Readonly<Record<string, ParamSpace>>,
  fixed: Record<string, unknown>,
  method: SearchMethod,
  trials: number,
  seed: number,
): Record<string, unknown>[] {
  const keys = Object.keys(space).filter((k) => !(k in fixed));
  const rng = createRandom(seed);
  if (keys.length === 0 || trials <= 1) return [{ ...fixed }];
  if (method === 'random') {
    const out: Record<string, unknown>[] = [{ ...fixed }];
    const seen = new Set<string>([JSON.stringify({})]);
    // Small discrete spaces run out of new points: stop after a bounded number of repeats.
    for (let attempts = 0; out.length < trials && attempts < trials * 20; attempts++) {
      const drawn = Object.fromEntries(keys.map((k) => [k, sampleParam(space[k], rng)]));
      const key = JSON.stringify(drawn);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ ...fixed, ...drawn });
    }
    return out;
  }
  let grid: Record<string, ParamValue>[] = [{}];
  for (const k of keys) grid = grid.flatMap((partial) => gridValues(space[k]).map((v) => ({ ...partial, [k]: v })));
  if (grid.length > trials) grid = shuffleInPlace(grid, rng).slice(0, trials);
  return grid.map((g) => ({ ...fixed, ...g }));
}
