/**
 * mulberry32: a tiny, fast seeded PRNG returning floats in [0, 1). Models use it so fits are reproducible from a seed.
 *
 * @example const rand = mulberry32(42); rand() // 0.6011037519201636
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The `t`-th output (0-based) of `mulberry32(seed)`, computed directly: mulberry32 is counter-based (its state after
 * t+1 steps is seed + (t+1) * 0x6d2b79f5), so any position can be read without running the stream. Distinct
 * positions below 2^32 are distinct states. Used where the same noise must be found again from two places.
 *
 * @example mulberry32At(42, 0) === mulberry32(42)()
 */
export function mulberry32At(seed: number, t: number): number {
  let s = ((seed >>> 0) + Math.imul((t + 1) >>> 0, 0x6d2b79f5)) >>> 0;
  s = Math.imul(s ^ (s >>> 15), s | 1);
  s ^= s + Math.imul(s ^ (s >>> 7), s | 61);
  return ((s ^ (s >>> 14)) >>> 0) / 4294967296;
}
