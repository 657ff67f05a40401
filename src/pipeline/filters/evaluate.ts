import type { Item } from '../../core/types.js';
import type { FilterScalar } from './fields.js';
import type { ComparisonOperator } from './lexer.js';
import type { FilterNode } from './parser.js';

/** A compiled filter: true when the item may stay in the list. */
export type ItemPredicate = (item: Item) => boolean;

function holds(operator: Exclude<ComparisonOperator, '=' | '!='>, left: string | number, right: string | number): boolean {
  switch (operator) {
    case '<': return left < right;
    case '<=': return left <= right;
    case '>': return left > right;
    case '>=': return left >= right;
  }
}

/** The field's values of the literal's type: values of another type never compare (the comparison is false). */
const sameType = (values: FilterScalar[], like: FilterScalar) => values.filter((v) => typeof v === typeof like);

function compare(operator: ComparisonOperator, value: FilterScalar): (values: FilterScalar[]) => boolean {
  switch (operator) {
    case '=': return (values) => values.some((v) => v === value);
    case '!=': return (values) => {
      const comparable = sameType(values, value);
      return comparable.length > 0 && comparable.every((v) => v !== value);
    };
    default: {
      if (typeof value === 'boolean') return () => false; // the parser rejects this; kept total for safety
      return (values) => sameType(values, value).some((v) => holds(operator, v as string | number, value));
    }
  }
}

function memberOf(values: FilterScalar[], negated: boolean): (fieldValues: FilterScalar[]) => boolean {
  const set = new Set(values);
  if (!negated) return (fieldValues) => fieldValues.some((v) => set.has(v));
  return (fieldValues) => {
    const comparable = fieldValues.filter((v) => values.some((w) => typeof w === typeof v));
    return comparable.length > 0 && !comparable.some((v) => set.has(v));
  };
}

/**
 * Turns a parsed filter into a predicate over items, once; the predicate reads only the item record.
 * A field that is missing (absent, null, an empty list) makes every comparison on it false, `!=` and `not in`
 * included; `exists(f)` and `f is null` test for it. List fields match when some element does (`!=`: when none does).
 *
 * @example compileNode(parseFilter('price < 50'))({ id: 'a', attributes: { price: 20 } }) // true
 */
export function compileNode(node: FilterNode): ItemPredicate {
  switch (node.type) {
    case 'and': {
      const parts = node.operands.map(compileNode);
      return (item) => parts.every((p) => p(item));
    }
    case 'or': {
      const parts = node.operands.map(compileNode);
      return (item) => parts.some((p) => p(item));
    }
    case 'not': {
      const inner = compileNode(node.operand);
      return (item) => !inner(item);
    }
    case 'exists': {
      const { field, negated } = node;
      return (item) => (field.read(item).length > 0) !== negated;
    }
    case 'compare': {
      const test = compare(node.operator, node.value);
      const { field } = node;
      return (item) => test(field.read(item));
    }
    case 'in': {
      const test = memberOf(node.values, node.negated);
      const { field } = node;
      return (item) => test(field.read(item));
    }
  }
}
