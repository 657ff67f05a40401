import type { Item } from '../../core/types.js';

type ItemPredicate = (item: Item) => boolean;

/**
 * Both predicates must keep an item (a request filter and a scenario filter); either may be absent.
 *
 * @example bothKept(requestFilter, scenario?.keepItem)
 */
export function bothKept(a: ItemPredicate | undefined, b: ItemPredicate | undefined): ItemPredicate | undefined {
  if (!a) return b;
  if (!b) return a;
  return (item) => a(item) && b(item);
}
