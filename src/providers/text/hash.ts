/**
 * FNV-1a over UTF-16 code units followed by the murmur3 finaliser (good avalanche for short keys). Stable across
 * versions: the n-gram encoder's vectors and the word-vector cache's index depend on it.
 *
 * @example hash32('star', 0) // an unsigned 32-bit integer
 */
export function hash32(s: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
