/**
 * An open-addressing hash index from word to row, stored in the word-vector cache so start-up needs no Map of
 * 200,000 strings (building one costs more than reading the whole cache). Slots hold row + 1; 0 is empty.
 */
import { hash32 } from '../text/hash.js';

/**
 * Builds the index at a load factor of at most 1/2 (linear probing stays short).
 *
 * @example const index = buildWordIndex(['the', 'of']); lookupWord(index, ['the', 'of'], 'of') // 1
 */
export function buildWordIndex(words: readonly string[]): Int32Array {
  let size = 2;
  while (size < words.length * 2) size *= 2;
  const index = new Int32Array(size);
  const mask = size - 1;
  words.forEach((word, row) => {
    let slot = hash32(word, 0) & mask;
    while (index[slot] !== 0) {
      if (words[index[slot] - 1] === word) return; // keep the first (most frequent) row of a repeated word
      slot = (slot + 1) & mask;
    }
    index[slot] = row + 1;
  });
  return index;
}

/** Row of `word`, or undefined. */
export function lookupWord(index: Int32Array, words: readonly string[], word: string): number | undefined {
  const mask = index.length - 1;
  for (let slot = hash32(word, 0) & mask; index[slot] !== 0; slot = (slot + 1) & mask) {
    const row = index[slot] - 1;
    if (words[row] === word) return row;
  }
  return undefined;
}

/** True when `index` has a valid shape for `rows` words (a power-of-two size of at least twice the rows). */
export function isWordIndexFor(index: Int32Array, rows: number): boolean {
  return index.length >= rows * 2 && (index.length & (index.length - 1)) === 0;
}
