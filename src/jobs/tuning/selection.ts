import type { CsrMatrix } from '../../core/sparse.js';
import { hitFlags, ndcgAtK } from '../../eval/metrics/accuracy.js';

/** What the selection needs of one trial: its per-user validation NDCG and whether it ran a model's defaults. */
export interface ScoredTrial {
  perUser: Float64Array;
  defaults: boolean;
}

/** How the trial was chosen: the best mean, or a model's defaults because no draw beat them beyond the noise. */
export type ChosenBy = 'best' | 'defaults-within-noise';

/**
 * NDCG@k of each user's list against their held-out items (users with none score 0 and are never passed here).
 *
 * @example perUserNdcg(lists, split.users, split.valid, 10)
 */
export function perUserNdcg(lists: Int32Array[], users: Int32Array, truth: CsrMatrix, k: number): Float64Array {
  const out = new Float64Array(users.length);
  users.forEach((u, idx) => {
    const relevant = truth.rowIndices(u);
    out[idx] = relevant.length === 0 ? 0 : ndcgAtK(hitFlags(lists[idx], relevant), relevant.length, k);
  });
  return out;
}

function mean(xs: Float64Array): number {
  let s = 0;
  for (const x of xs) s += x;
  return xs.length > 0 ? s / xs.length : 0;
}

/**
 * The one-standard-error rule against the defaults: the trial with the best mean wins, unless the best defaults
 * trial trails it by no more than one paired standard error (sd of the per-user differences / √users). Random search
 * over many draws on one validation split rewards luck; defaults that suit the data need not beat that luck.
 *
 * @example chooseTrial([{ perUser: a, defaults: true }, { perUser: b, defaults: false }]) // { index: 0, chosenBy: 'defaults-within-noise' } when b ≈ a
 */
export function chooseTrial(trials: readonly ScoredTrial[]): { index: number; chosenBy: ChosenBy } {
  const means = trials.map((t) => mean(t.perUser));
  const argmax = (keep: (i: number) => boolean): number => {
    let best = -1;
    means.forEach((m, i) => { if (keep(i) && !Number.isNaN(m) && (best < 0 || m > means[best])) best = i; });
    return best;
  };
  const best = Math.max(0, argmax(() => true));
  const defaults = argmax((i) => trials[i].defaults);
  if (defaults < 0 || defaults === best) return { index: best, chosenBy: 'best' };
  const a = trials[best].perUser;
  const b = trials[defaults].perUser;
  const n = a.length;
  if (n < 2) return { index: best, chosenBy: 'best' };
  let sum = 0;
  let squares = 0;
  for (let u = 0; u < n; u++) {
    const d = a[u] - b[u];
    sum += d;
    squares += d * d;
  }
  const gap = sum / n;
  const sd = Math.sqrt(Math.max(0, (squares - n * gap * gap) / (n - 1)));
  return gap <= sd / Math.sqrt(n) ? { index: defaults, chosenBy: 'defaults-within-noise' } : { index: best, chosenBy: 'best' };
}
