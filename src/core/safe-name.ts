/** Names (field names, parameter keys) an error may repeat back: short identifiers only, so no user text is echoed. */
const SHOWABLE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_./:-]{0,63}$/;

/**
 * The name itself when it is a short identifier that is safe to repeat in an error, else undefined. Errors name fields
 * and limits, never values: a client-chosen key (a 1 MB attribute name, a quote-laden model name) is not repeated.
 *
 * @example showableName('neighbors') // 'neighbors'; showableName("x'; DROP TABLE") // undefined
 */
export function showableName(name: string): string | undefined {
  return SHOWABLE_NAME.test(name) ? name : undefined;
}
