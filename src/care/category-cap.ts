/**
 * Keeps at most `cap` items of any one category, in order: an item that would take a category past the cap is
 * dropped (the list may come back shorter; a cap is a promise, not a preference). Returns the kept positions.
 *
 * @example cappedPositions([['a'], ['a'], ['b'], ['a', 'b']], 1) // [0, 2]
 */
export function cappedPositions(categories: ReadonlyArray<readonly string[]>, cap: number): number[] {
  const counts = new Map<string, number>();
  const kept: number[] = [];
  categories.forEach((cats, p) => {
    if (cats.some((c) => (counts.get(c) ?? 0) >= cap)) return;
    for (const c of cats) counts.set(c, (counts.get(c) ?? 0) + 1);
    kept.push(p);
  });
  return kept;
}
