import type { Candidate } from '../candidates.js';

/** What fusion knows about the request besides the candidates (user activity, item popularity). */
export interface FusionInputs {
  /** Length of the user's history row over the trained items. */
  historyLength: number;
  /** Popularity score (event count, or decayed count) per candidate, parallel to the candidates; 0 when unknown. */
  popularity: ArrayLike<number>;
  /**
   * Per channel, its model's score of every candidate (channel-scores.ts), parallel to the candidates: a candidate
   * the channel did not recall still gets its normalised score from here (NaN = unknown, left at 0).
   */
  scored?: Record<string, ArrayLike<number>>;
  /**
   * The main model's score of each candidate from the user's most recent items only (short-term interest), parallel
   * to the candidates; NaN = unknown. Absent: 0.
   */
  recent?: ArrayLike<number>;
}

/** Features per channel, in this order (see candidateFeatures). */
export const CHANNEL_FEATURES = ['recalled', 'score', 'rank', 'rank-by-history'] as const;

/** Features that do not depend on a channel, after the channel blocks. */
export const GLOBAL_FEATURES = ['log-popularity', 'log-popularity-by-history', 'log-history', 'channels-recalled', 'short-term'] as const;

/**
 * The names of the features candidateFeatures writes for these channels, e.g. 'cf.rank'.
 *
 * @example featureNames(['cf', 'popular']) // ['cf.recalled', 'cf.score', 'cf.rank', 'popular.recalled', ..., 'channels-recalled']
 */
export function featureNames(channels: readonly string[]): string[] {
  return [...channels.flatMap((ch) => CHANNEL_FEATURES.map((f) => `${ch}.${f}`)), ...GLOBAL_FEATURES];
}

/** Per channel, the lowest and highest score among the candidates it recalled (for min-max normalisation). */
function scoreRanges(candidates: readonly Candidate[], channels: readonly string[]): Array<{ min: number; max: number }> {
  return channels.map((ch) => {
    let min = Infinity;
    let max = -Infinity;
    for (const c of candidates) {
      const s = c.scores[ch]?.score;
      if (s === undefined || !Number.isFinite(s)) continue;
      if (s < min) min = s;
      if (s > max) max = s;
    }
    return { min, max };
  });
}

/**
 * One feature row per candidate (row-major, featureNames(channels).length columns). For each channel: whether it
 * recalled the item, its score min-max normalised over that channel's list in this request (1 = its best, 0 = its
 * worst or not recalled), its rank as 1 / log2(rank + 2) (1 for its first item, 0 when not recalled), and that rank
 * times the user's log history length (so a linear ranker can trust a channel more for heavy users than light ones).
 * Then the item's log popularity, the same times log history length, the user's log history length, the share of
 * channels that recalled the item, and its short-term score (inputs.recent) min-max normalised over the candidates.
 * Channels are matched by name, so a channel added to the pipeline becomes features as soon as a ranker is learned
 * with it; channels the ranker does not know are ignored.
 *
 * @example candidateFeatures(merged.candidates, ['cf', 'popular'], { historyLength: 12, popularity: [30, 4] })
 */
export function candidateFeatures(candidates: readonly Candidate[], channels: readonly string[], inputs: FusionInputs): Float64Array {
  const width = channels.length * CHANNEL_FEATURES.length + GLOBAL_FEATURES.length;
  const out = new Float64Array(candidates.length * width);
  const ranges = scoreRanges(candidates, channels);
  const logHistory = Math.log1p(inputs.historyLength);
  let recentMin = Infinity;
  let recentMax = -Infinity;
  for (let i = 0; i < candidates.length; i++) {
    const v = inputs.recent?.[i] ?? NaN;
    if (Number.isFinite(v)) {
      recentMin = Math.min(recentMin, v);
      recentMax = Math.max(recentMax, v);
    }
  }
  candidates.forEach((c, row) => {
    const base = row * width;
    let recalledBy = 0;
    channels.forEach((ch, j) => {
      const s = c.scores[ch];
      const { min, max } = ranges[j];
      const at = base + j * CHANNEL_FEATURES.length;
      const normalised = (score: number) => (Number.isFinite(score) && min <= max ? (max > min ? (score - min) / (max - min) : 1) : 0);
      if (!s) {
        // Not recalled: the model's own score, normalised by the same list (so below 0 when it fell short of the list).
        out[at + 1] = normalised(inputs.scored?.[ch]?.[row] ?? NaN);
        return;
      }
      recalledBy++;
      out[at] = 1;
      out[at + 1] = normalised(s.score);
      out[at + 2] = 1 / Math.log2(s.rank + 2);
      out[at + 3] = out[at + 2] * logHistory;
    });
    const g = base + channels.length * CHANNEL_FEATURES.length;
    out[g] = Math.log1p(Math.max(0, inputs.popularity[row] ?? 0));
    out[g + 1] = out[g] * logHistory;
    out[g + 2] = logHistory;
    out[g + 3] = channels.length > 0 ? recalledBy / channels.length : 0;
    const recent = inputs.recent?.[row] ?? NaN;
    out[g + 4] = Number.isFinite(recent) ? (recentMax > recentMin ? (recent - recentMin) / (recentMax - recentMin) : 1) : 0;
  });
  return out;
}
