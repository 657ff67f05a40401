import { mulberry32 } from '../models/linalg/random.js';
import type { TextVectors } from '../models/semantic/text-query.js';

const ANCHORS = 96;
const PARTNERS = 128;
const SEED = 0x6b696e64;

/**
 * Cosines of random item pairs in a text-vector model's space (about ANCHORS x PARTNERS pairs, seeded, so the same
 * model always gives the same sample; every pair of a small catalogue). Items without a text vector are left out.
 *
 * @example const sims = randomPairSimilarities(semantic, semantic.itemCount)
 */
export function randomPairSimilarities(model: TextVectors, itemCount: number): number[] {
  if (itemCount < 2) return [];
  const rand = mulberry32(SEED);
  // A small catalogue is taken whole; a large one is sampled.
  const pick = (n: number): number[] =>
    itemCount <= n ? Array.from({ length: itemCount }, (_, i) => i) : Array.from({ length: n }, () => Math.floor(rand() * itemCount));
  const partners = Int32Array.from(new Set(pick(PARTNERS)));
  const out: number[] = [];
  for (const a of new Set(pick(ANCHORS))) {
    const va = model.userVector({ indices: Int32Array.of(a), values: Float32Array.of(1) });
    if (!va.some((x) => x !== 0)) continue; // no text vector
    // Items without a vector score exactly 0: a real cosine of exactly 0 is too rare to matter.
    for (const s of model.recommendByVector(va, partners.length, { candidates: partners, exclude: [a] })) if (s.score !== 0) out.push(s.score);
  }
  return out;
}

/**
 * Below this many items the floor is off: in a small catalogue a random pair is too often a related pair (two films of
 * the same few genres) for the pair distribution to say what "unrelated" looks like.
 */
export const MIN_ITEMS = 200;

const floors = new WeakMap<TextVectors, Map<number, number>>();

/**
 * The similarity a text-query match must reach to count as a match: the `quantile` of the cosines of random item
 * pairs in the model's own space. It adapts to the encoder and the catalogue (a sentence encoder puts unrelated texts
 * far higher than word vectors do), so the floor needs no tuning per provider. Computed once per model; -Infinity
 * (no floor) when the quantile is 0, the catalogue has fewer than MIN_ITEMS items, or too few have vectors to tell.
 *
 * @example const floor = queryFloorOf(semantic, bundle.items.size, 0.99); top.filter((s) => s.score >= floor)
 */
export function queryFloorOf(model: TextVectors, itemCount: number, quantile: number): number {
  if (quantile <= 0 || itemCount < MIN_ITEMS) return -Infinity;
  let byQuantile = floors.get(model);
  if (!byQuantile) floors.set(model, (byQuantile = new Map()));
  const cached = byQuantile.get(quantile);
  if (cached !== undefined) return cached;
  const sims = randomPairSimilarities(model, itemCount).sort((a, b) => a - b);
  const floor = sims.length < 1000 ? -Infinity : sims[Math.min(sims.length - 1, Math.floor(quantile * sims.length))];
  byQuantile.set(quantile, floor);
  return floor;
}
