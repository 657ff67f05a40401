import { compileNode, type ItemPredicate } from './evaluate.js';
import { parseFilter } from './parser.js';

export type { ItemPredicate } from './evaluate.js';
export { FILTER_LIMITS } from './parser.js';

/**
 * Parses and compiles a filter expression into a predicate over items. Throws EngineError INVALID_INPUT with
 * details { field: 'filter', position, length, expected | limit } when the expression is not valid (docs/filters.md).
 *
 * @example const keep = compileFilter('price < 50 and "rock" in categories'); keep(item)
 */
export function compileFilter(source: string): ItemPredicate {
  return compileNode(parseFilter(source));
}

export interface FilterCompiler {
  /** The predicate of `source`, compiled on first use and kept while it is among the most recently used. */
  compile(source: string): ItemPredicate;
  readonly size: number;
}

/**
 * A compiler that keeps the last `capacity` compiled expressions (least recently used dropped first): the same
 * filters repeat across requests. Invalid expressions are not kept; they fail again, the same way.
 *
 * @example const filters = createFilterCompiler(256); filters.compile('in_stock = true')
 */
export function createFilterCompiler(capacity = 256): FilterCompiler {
  const compiled = new Map<string, ItemPredicate>();
  return {
    compile(source: string): ItemPredicate {
      const hit = compiled.get(source);
      if (hit) {
        // Map keeps insertion order: re-inserting marks the entry as the most recently used.
        compiled.delete(source);
        compiled.set(source, hit);
        return hit;
      }
      const predicate = compileFilter(source);
      compiled.set(source, predicate);
      if (compiled.size > capacity) compiled.delete(compiled.keys().next().value as string);
      return predicate;
    },
    get size() { return compiled.size; },
  };
}
