import { EngineError } from '../../core/errors.js';

/** Where a filter error points: a zero-based character offset into the expression and the length of the token there. */
export interface SourceSpan {
  position: number;
  length: number;
}

/**
 * The INVALID_INPUT error of a bad filter expression: the message names what was expected and where, the details
 * carry the span for tools. User text is never copied in (callers quote at most a short operator or field name).
 *
 * @example throw filterSyntaxError('a value after "<"', { position: 8, length: 3 }, 'a value')
 */
export function filterSyntaxError(what: string, at: SourceSpan, expected: string): EngineError {
  return new EngineError('INVALID_INPUT', `filter: expected ${what} at position ${at.position}`, {
    field: 'filter', position: at.position, length: at.length, expected,
  });
}

/**
 * The INVALID_INPUT error of a filter past one of its limits (length, nesting depth); the message names the limit.
 *
 * @example throw filterLimitError('is longer than 2000 characters', { position: 2000, length: 1 }, 2000)
 */
export function filterLimitError(what: string, at: SourceSpan, limit: number): EngineError {
  return new EngineError('INVALID_INPUT', `filter: ${what} (the limit) at position ${at.position}`, {
    field: 'filter', position: at.position, length: at.length, limit,
  });
}
