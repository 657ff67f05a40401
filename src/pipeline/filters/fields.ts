import type { Item } from '../../core/types.js';

/** A scalar a filter compares: dates are read as epoch milliseconds. */
export type FilterScalar = string | number | boolean;

/**
 * What a field holds, known when the expression is compiled: built-in string fields, string lists (compared element by
 * element), dates (ISO-8601, compared in time), or an attribute whose type is only known per item.
 */
export type FieldType = 'string' | 'string-list' | 'date' | 'attribute';

export interface FieldRef {
  /** The field as the expression names it (for messages). */
  name: string;
  type: FieldType;
  /** The values of this field on an item; an empty array when it is missing, null or an empty list. */
  read(item: Item): FilterScalar[];
  position: number;
  length: number;
}

const ATTRIBUTE_PREFIX = 'attributes.';

const present = <T>(v: T | null | undefined): v is T => v !== undefined && v !== null;

function readDate(iso: string | undefined): FilterScalar[] {
  if (iso === undefined) return [];
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? [] : [ms];
}

const BUILT_IN: Readonly<Record<string, { type: FieldType; read: (item: Item) => FilterScalar[] }>> = {
  id: { type: 'string', read: (item) => [item.id] },
  title: { type: 'string', read: (item) => (present(item.title) ? [item.title] : []) },
  category: { type: 'string-list', read: (item) => item.categories ?? [] },
  categories: { type: 'string-list', read: (item) => item.categories ?? [] },
  tag: { type: 'string-list', read: (item) => item.tags ?? [] },
  tags: { type: 'string-list', read: (item) => item.tags ?? [] },
  createdAt: { type: 'date', read: (item) => readDate(item.createdAt) },
  expiresAt: { type: 'date', read: (item) => readDate(item.expiresAt) },
};

/** The names of the built-in fields; any other name is an attribute. */
export const BUILT_IN_FIELDS: readonly string[] = Object.keys(BUILT_IN);

/**
 * Resolves a field name: a built-in field (id, title, category/categories, tag/tags, createdAt, expiresAt), else the
 * attribute of that name; `attributes.<name>` always means the attribute (also for an attribute called `id`).
 *
 * @example resolveField('price', { position: 0, length: 5 }).type // 'attribute'
 */
export function resolveField(name: string, at: { position: number; length: number }): FieldRef {
  const builtIn = Object.hasOwn(BUILT_IN, name) ? BUILT_IN[name] : undefined;
  if (builtIn) return { name, type: builtIn.type, read: builtIn.read, ...at };
  const attribute = name.startsWith(ATTRIBUTE_PREFIX) ? name.slice(ATTRIBUTE_PREFIX.length) : name;
  return {
    name,
    type: 'attribute',
    read: (item) => {
      const value = item.attributes && Object.hasOwn(item.attributes, attribute) ? item.attributes[attribute] : undefined;
      if (Array.isArray(value)) return value.filter(present);
      return present(value) ? [value] : [];
    },
    ...at,
  };
}
