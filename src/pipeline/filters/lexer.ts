import { filterSyntaxError } from './filter-error.js';

export type Keyword = 'and' | 'or' | 'not' | 'in' | 'is' | 'null' | 'true' | 'false' | 'exists';
export type ComparisonOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type Token =
  | { kind: 'name'; text: string; position: number; length: number }
  | { kind: 'string'; value: string; position: number; length: number }
  | { kind: 'number'; value: number; position: number; length: number }
  | { kind: 'keyword'; keyword: Keyword; position: number; length: number }
  | { kind: 'operator'; operator: ComparisonOperator; position: number; length: number }
  | { kind: '(' | ')' | ','; position: number; length: number }
  | { kind: 'end'; position: number; length: number };

const KEYWORDS: ReadonlySet<string> = new Set<Keyword>(['and', 'or', 'not', 'in', 'is', 'null', 'true', 'false', 'exists']);
const OPERATORS: readonly ComparisonOperator[] = ['<=', '>=', '!=', '=', '<', '>'];
const NAME_START = /[A-Za-z_]/;
const NAME_PART = /[A-Za-z0-9_]/;
const NUMBER = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/;
const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'" };
/** Field names longer than this are described, not quoted, in error messages. */
const MAX_QUOTED_NAME = 24;

/**
 * How an error message refers to a token: operators, keywords and short field names are quoted; strings and numbers
 * (user values) are only named by kind.
 *
 * @example describeToken({ kind: 'operator', operator: '<', position: 6, length: 1 }) // '"<"'
 */
export function describeToken(token: Token): string {
  switch (token.kind) {
    case 'name': return token.text.length <= MAX_QUOTED_NAME ? `"${token.text}"` : 'a field name';
    case 'string': return 'a string';
    case 'number': return 'a number';
    case 'keyword': return `"${token.keyword}"`;
    case 'operator': return `"${token.operator}"`;
    case 'end': return 'the end';
    default: return `"${token.kind}"`;
  }
}

function readQuoted(source: string, start: number, quote: string): { value: string; end: number } {
  let value = '';
  let i = start + 1;
  while (i < source.length && source[i] !== quote) {
    if (source[i] === '\\' && i + 1 < source.length) {
      const escaped = ESCAPES[source[i + 1]];
      if (escaped === undefined) throw filterSyntaxError('a known escape (\\" \\\' \\\\ \\n \\t \\r)', { position: i, length: 2 }, 'escape');
      value += escaped;
      i += 2;
    } else {
      value += source[i];
      i += 1;
    }
  }
  if (i >= source.length) throw filterSyntaxError('a closing quote for the text that starts', { position: start, length: 1 }, 'closing quote');
  return { value, end: i + 1 };
}

/** A dotted name (attributes.price) read from `start`. */
function readName(source: string, start: number): number {
  let i = start;
  for (;;) {
    while (i < source.length && NAME_PART.test(source[i])) i += 1;
    if (source[i] === '.' && i + 1 < source.length && NAME_START.test(source[i + 1])) i += 1;
    else return i;
  }
}

/**
 * Splits a filter expression into tokens with their positions (zero-based character offsets). Keywords are
 * case-insensitive; `"..."` and `'...'` are strings; a backquoted name (`` `in stock` ``) is a field name with any
 * characters. Ends with an `end` token.
 *
 * @example tokenize('price < 50').map((t) => t.kind) // ['name', 'operator', 'number', 'end']
 */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (/\s/.test(c)) { i += 1; continue; }
    if (c === '(' || c === ')' || c === ',') { tokens.push({ kind: c, position: i, length: 1 }); i += 1; continue; }
    const number = /[-.\d]/.test(c) ? NUMBER.exec(source.slice(i, i + 64)) : null;
    if (number) {
      tokens.push({ kind: 'number', value: Number(number[0]), position: i, length: number[0].length });
      i += number[0].length;
      continue;
    }
    const operator = OPERATORS.find((op) => source.startsWith(op, i));
    if (operator) { tokens.push({ kind: 'operator', operator, position: i, length: operator.length }); i += operator.length; continue; }
    if (c === '"' || c === "'") {
      const { value, end } = readQuoted(source, i, c);
      tokens.push({ kind: 'string', value, position: i, length: end - i });
      i = end;
      continue;
    }
    if (c === '`') {
      const close = source.indexOf('`', i + 1);
      if (close <= i + 1) throw filterSyntaxError('a closing backquote for the field name that starts', { position: i, length: 1 }, 'closing backquote');
      tokens.push({ kind: 'name', text: source.slice(i + 1, close), position: i, length: close + 1 - i });
      i = close + 1;
      continue;
    }
    if (NAME_START.test(c)) {
      const end = readName(source, i);
      const text = source.slice(i, end);
      const lower = text.toLowerCase();
      tokens.push(KEYWORDS.has(lower)
        ? { kind: 'keyword', keyword: lower as Keyword, position: i, length: end - i }
        : { kind: 'name', text, position: i, length: end - i });
      i = end;
      continue;
    }
    throw filterSyntaxError('a field name, a value, an operator or a parenthesis', { position: i, length: 1 }, 'token');
  }
  tokens.push({ kind: 'end', position: source.length, length: 0 });
  return tokens;
}
