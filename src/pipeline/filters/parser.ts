import { resolveField, type FieldRef, type FilterScalar } from './fields.js';
import { filterLimitError, filterSyntaxError } from './filter-error.js';
import { describeToken, tokenize, type ComparisonOperator, type Keyword, type Token } from './lexer.js';

/** The parsed expression. Literals are already typed for their field (dates as epoch milliseconds). */
export type FilterNode =
  | { type: 'and' | 'or'; operands: FilterNode[] }
  | { type: 'not'; operand: FilterNode }
  | { type: 'compare'; field: FieldRef; operator: ComparisonOperator; value: FilterScalar }
  | { type: 'in'; field: FieldRef; values: FilterScalar[]; negated: boolean }
  | { type: 'exists'; field: FieldRef; negated: boolean };

/** Limits of one expression; errors name them. */
export const FILTER_LIMITS = { maxLength: 2000, maxDepth: 32, maxListValues: 500 } as const;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

class Parser {
  private index = 0;
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): FilterNode {
    const node = this.or();
    const next = this.peek();
    if (next.kind !== 'end') throw this.expected('"and", "or" or the end of the expression', 'operator or end');
    return node;
  }

  private peek(): Token { return this.tokens[this.index]; }
  private previous(): Token | undefined { return this.index > 0 ? this.tokens[this.index - 1] : undefined; }
  private advance(): Token { return this.tokens[this.index++]; }

  private isKeyword(keyword: Keyword, token = this.peek()): boolean {
    return token.kind === 'keyword' && token.keyword === keyword;
  }

  /** "expected X after <previous token>" pointing at the current token. */
  private expected(what: string, expected: string): Error {
    const prev = this.previous();
    return filterSyntaxError(prev ? `${what} after ${describeToken(prev)}` : what, this.peek(), expected);
  }

  private expect(kind: '(' | ')' | ',', what: string): Token {
    if (this.peek().kind !== kind) throw this.expected(what, what);
    return this.advance();
  }

  /** Parentheses and `not` nest; past the limit the error points at the token that went too deep. */
  private nested<T>(fn: () => T): T {
    if (++this.depth > FILTER_LIMITS.maxDepth) {
      throw filterLimitError(`nests deeper than ${FILTER_LIMITS.maxDepth} levels`, this.peek(), FILTER_LIMITS.maxDepth);
    }
    try { return fn(); } finally { this.depth -= 1; }
  }

  private or(): FilterNode {
    const operands = [this.and()];
    while (this.isKeyword('or')) { this.advance(); operands.push(this.and()); }
    return operands.length === 1 ? operands[0] : { type: 'or', operands };
  }

  private and(): FilterNode {
    const operands = [this.unary()];
    while (this.isKeyword('and')) { this.advance(); operands.push(this.unary()); }
    return operands.length === 1 ? operands[0] : { type: 'and', operands };
  }

  private unary(): FilterNode {
    if (this.isKeyword('not')) {
      return this.nested(() => { this.advance(); return { type: 'not', operand: this.unary() }; });
    }
    return this.primary();
  }

  private primary(): FilterNode {
    const token = this.peek();
    if (token.kind === '(') {
      return this.nested(() => {
        this.advance();
        const inner = this.or();
        this.expect(')', '")"');
        return inner;
      });
    }
    if (this.isKeyword('exists')) {
      this.advance();
      this.expect('(', '"("');
      const field = this.field();
      this.expect(')', '")"');
      return { type: 'exists', field, negated: false };
    }
    if (token.kind === 'name') return this.condition(this.field());
    if (this.isLiteral(token)) return this.membership();
    throw this.expected('a condition (a field name, "not", "exists" or "(")', 'condition');
  }

  private field(): FieldRef {
    const token = this.peek();
    if (token.kind !== 'name') throw this.expected('a field name', 'field');
    this.advance();
    return resolveField(token.text, token);
  }

  /** After a field: a comparison, `[not] in (...)`, or `is [not] null`. */
  private condition(field: FieldRef): FilterNode {
    const token = this.peek();
    if (token.kind === 'operator') {
      this.advance();
      return { type: 'compare', field, operator: token.operator, value: this.literalFor(field, token.operator) };
    }
    if (this.isKeyword('is')) {
      this.advance();
      const negated = this.isKeyword('not');
      if (negated) this.advance();
      if (!this.isKeyword('null')) throw this.expected('"null"', 'null');
      this.advance();
      return { type: 'exists', field, negated: !negated };
    }
    const negated = this.isKeyword('not');
    if (negated) this.advance();
    if (!this.isKeyword('in')) {
      throw this.expected(negated ? '"in"' : 'a comparison (= != < <= > >=), "in", "not in" or "is"', negated ? 'in' : 'operator');
    }
    this.advance();
    this.expect('(', '"(" to open a list of values');
    const values = [this.literalFor(field, '=')];
    while (this.peek().kind === ',') {
      this.advance();
      if (values.length >= FILTER_LIMITS.maxListValues) {
        throw filterLimitError(`lists more than ${FILTER_LIMITS.maxListValues} values`, this.peek(), FILTER_LIMITS.maxListValues);
      }
      values.push(this.literalFor(field, '='));
    }
    this.expect(')', '"," or ")" to close the list');
    return { type: 'in', field, values, negated };
  }

  /** `"rock" in categories` is `categories = "rock"`; `"rock" not in categories` is `categories != "rock"`. */
  private membership(): FilterNode {
    const literal = this.advance();
    const negated = this.isKeyword('not');
    if (negated) this.advance();
    if (!this.isKeyword('in')) throw this.expected(negated ? '"in"' : '"in" (a value can only be tested for membership in a field)', 'in');
    this.advance();
    const field = this.field();
    const value = this.checkLiteral(field, literal, '=', `before ${negated ? '"not in"' : '"in"'}`);
    return { type: 'compare', field, operator: negated ? '!=' : '=', value };
  }

  private isLiteral(token: Token): boolean {
    return token.kind === 'string' || token.kind === 'number' || this.isKeyword('true', token) || this.isKeyword('false', token);
  }

  private literalFor(field: FieldRef, operator: ComparisonOperator): FilterScalar {
    const token = this.peek();
    if (!this.isLiteral(token)) {
      const hint = this.isKeyword('null', token) ? ' (test a missing field with "is null")' : '';
      throw this.expected(`a value${hint}`, 'value');
    }
    const context = `after ${describeToken(this.previous() ?? token)}`;
    this.advance();
    return this.checkLiteral(field, token, operator, context);
  }

  /** The literal as the field compares it; a type mismatch that is visible from the expression alone is an error. */
  private checkLiteral(field: FieldRef, token: Token, operator: ComparisonOperator, context: string): FilterScalar {
    let value: FilterScalar;
    if (token.kind === 'string' || token.kind === 'number') value = token.value;
    else value = this.isKeyword('true', token);
    const ordering = operator !== '=' && operator !== '!=';
    if (field.type === 'date') {
      if (typeof value !== 'string' || !ISO_DATE.test(value) || Number.isNaN(Date.parse(value))) {
        throw filterSyntaxError(`an ISO-8601 date such as "2024-05-01" ${context} (${field.name} is a date)`, token, 'date');
      }
      return Date.parse(value);
    }
    if ((field.type === 'string' || field.type === 'string-list') && typeof value !== 'string') {
      throw filterSyntaxError(`a string ${context} (${field.name} holds text)`, token, 'string');
    }
    if (ordering && typeof value === 'boolean') {
      throw filterSyntaxError(`a number, a string or a date ${context} (true and false have no order)`, token, 'value');
    }
    return value;
  }
}

/**
 * Parses a filter expression into its tree (no evaluation). Throws EngineError INVALID_INPUT pointing at the bad
 * token: details { field: 'filter', position, length, expected } or, past a limit, { field, position, length, limit }.
 *
 * @example parseFilter('price < 50 and in_stock = true').type // 'and'
 */
export function parseFilter(source: string): FilterNode {
  if (source.length > FILTER_LIMITS.maxLength) {
    throw filterLimitError(`is longer than ${FILTER_LIMITS.maxLength} characters`, { position: FILTER_LIMITS.maxLength, length: source.length - FILTER_LIMITS.maxLength }, FILTER_LIMITS.maxLength);
  }
  return new Parser(tokenize(source)).parse();
}
