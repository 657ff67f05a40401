/**
 * fast-check generators of hostile HTTP input (src/server/http-properties.test.ts): JSON of any shape written as text
 * (so it can hold duplicate keys, `__proto__`, 1e309 and -0), mutations of a valid request, odd path ids and query
 * strings. The strings it makes up carry MARKER, so a test can check that no answer repeats them; the rest are values
 * a schema accepts at its edges (times, bounds, the fixture's ids), so edited requests still reach the engine.
 */
import fc from 'fast-check';

/** A distinctive string every generated value contains; an answer holding it echoed what the client sent. */
export const MARKER = 'Zq9-secret';

/** A number token written into JSON text as is: JSON.stringify cannot write 1e309 or -0. */
export interface RawToken { raw: string }

/** JSON as text is written: objects are entry lists, so keys may repeat and `__proto__` is an ordinary key. */
export type JsonText = null | boolean | number | string | RawToken | JsonText[] | { entries: [string, JsonText][] };

export function isRaw(v: JsonText): v is RawToken {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'raw' in v;
}

export function isJsonObject(v: JsonText): v is { entries: [string, JsonText][] } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'entries' in v;
}

/**
 * Writes a JsonText as JSON text.
 *
 * @example writeJson({ entries: [['__proto__', { raw: '1e309' }]] }) // '{"__proto__":1e309}'
 */
export function writeJson(v: JsonText): string {
  if (v === null || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') return JSON.stringify(v) ?? 'null';
  if (isRaw(v)) return v.raw;
  if (Array.isArray(v)) return `[${v.map(writeJson).join(',')}]`;
  return `{${v.entries.map(([k, x]) => `${JSON.stringify(k)}:${writeJson(x)}`).join(',')}}`;
}

/** A plain JSON value (a valid request body) as JsonText. */
export function toJsonText(v: unknown): JsonText {
  if (v === null || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(toJsonText);
  if (typeof v === 'object') return { entries: Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, toJsonText(x)]) };
  return null;
}

/**
 * Strings holding MARKER: unicode around it, quotes and control characters, or very long. Some are valid ids
 * (short), some are not (over 256 characters, empty-looking padding).
 */
export const markedString: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.string({ maxLength: 6 }), fc.string({ unit: 'grapheme', maxLength: 6 })).map(([a, b]) => `${a}${MARKER}${b}`),
  fc.constantFrom(`${MARKER}`, `"${MARKER}'; DROP TABLE items; --`, `${MARKER}\u0000\u001f`, `\u202e${MARKER}😀`, `${MARKER}\ud800`, `../${MARKER}`, `${MARKER} = 1 or x`),
  fc.integer({ min: 200, max: 70_000 }).map((n) => `${MARKER}${'x'.repeat(n)}`),
);

/** Object keys: known field names (so mutations reach the validators), prototype keys, and marked keys that are never short names (a space). */
export function hostileKey(known: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: known.length > 0 ? fc.constantFrom(...known) : fc.constant('id') },
    { weight: 3, arbitrary: fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '') },
    { weight: 2, arbitrary: markedString.map((s) => `${s} k`) },
  );
}

/** Number tokens JSON.parse turns into Infinity, -0, 0 or a rounded value; and numbers as strings. */
const oddNumber: fc.Arbitrary<JsonText> = fc.oneof(
  fc.constantFrom<JsonText>({ raw: '1e309' }, { raw: '-1e309' }, { raw: '-0' }, { raw: '1e-400' }, { raw: '123456789012345678901234567890' }, { raw: '0.1e1' }),
  fc.constantFrom<JsonText>(`NaN ${MARKER}`, 'NaN', 'Infinity', '-0', '1e309', `1${MARKER}`),
  fc.double().map((d) => (Number.isFinite(d) ? d : null)),
  fc.integer(),
  fc.constantFrom(0, -1, 1, 2 ** 53, -(2 ** 31), 0.5),
);

/**
 * Values a schema accepts that the code behind it may not expect: times at the calendar's edges and in other zones,
 * lower-case designators, extreme but finite numbers, ids at the length limit in astral characters, the names and
 * ids the test fixtures hold (so edits of a valid body still reach the engine).
 */
const edgeValue: fc.Arbitrary<JsonText> = fc.constantFrom<JsonText>(
  '2024-02-29T00:00:00Z', '2024-01-01t00:00:00z', '0000-01-01T00:00:00Z', '9999-12-31T23:59:59.999+14:00', '1969-12-31T23:59:59.123456789Z',
  '2024-01-01T00:00:00-23:59', '2024-12-31T23:59:60Z', '2099-01-01T00:00:00Z',
  1e308, -1e308, 5e-324, 2 ** 31, 1000, 1001, 86_400, 0.1, 10, 5000, 5001,
  `${MARKER}${'\u{1F600}'.repeat(245)}`, 'x'.repeat(256), 'x'.repeat(257), ' ', '\u0000', 'a,b', '%',
  'i1', 'i2', 'u1', 'spare-item', 'home', 'latest', 'itemknn', 'popular', 'als', 'ease', 'not-interested', 'show-less', 'like', 'impression', 'not_interested', 'rating', 'constructor',
  'in_stock = true', 'price < 1e309', `title = "${MARKER}"`, `${MARKER} = 1`, '(((((((((((((((((((((((((((((((((((x = 1)))))))))))))))))))))))))))))))))))',
);

/** A deep nest, written as text (the parser and validators must not recurse without bound on it). */
const deepNest: fc.Arbitrary<JsonText> = fc.integer({ min: 50, max: 5_000 }).map((depth) => {
  const open = Array.from({ length: depth }, (_, i) => (i % 2 === 0 ? '[' : '{"a":')).join('');
  const close = Array.from({ length: depth }, (_, i) => (i % 2 === 0 ? ']' : '}')).reverse().join('');
  return { raw: `${open}"${MARKER}"${close}` };
});

/**
 * JSON of any shape, with hostile leaves: marked strings, odd numbers, prototype keys, deep nesting.
 *
 * @example fc.sample(hostileJson(['items']), 1)
 */
export function hostileJson(known: readonly string[]): fc.Arbitrary<JsonText> {
  const { tree } = fc.letrec<{ tree: JsonText; leaf: JsonText }>((tie) => ({
    leaf: fc.oneof(markedString, edgeValue, oddNumber, fc.boolean(), fc.constant(null)),
    tree: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      tie('leaf'),
      fc.array(tie('tree'), { maxLength: 4 }),
      fc.array(fc.tuple(hostileKey(known), tie('tree')), { maxLength: 4 }).map((entries) => ({ entries })),
    ),
  }));
  return fc.oneof({ weight: 6, arbitrary: tree }, { weight: 1, arbitrary: deepNest });
}

/** Every path into a JsonText (indexes and entry positions), the root first. */
function pathsOf(v: JsonText, at: number[] = []): number[][] {
  const out = [at];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...pathsOf(x, [...at, i])));
  else if (v !== null && typeof v === 'object' && !isRaw(v)) v.entries.forEach(([, x], i) => out.push(...pathsOf(x, [...at, i])));
  return out;
}

/** One change to a valid body: a value replaced, a key added (maybe repeated) or a key or element removed. */
export type BodyEdit = { kind: 'replace'; pick: number; value: JsonText } | { kind: 'add'; pick: number; key: string; value: JsonText } | { kind: 'remove'; pick: number };

function edited(v: JsonText, path: number[], edit: BodyEdit): JsonText {
  if (path.length === 0) {
    if (edit.kind === 'replace') return edit.value;
    if (edit.kind === 'add' && v !== null && typeof v === 'object' && !isRaw(v)) {
      return Array.isArray(v) ? [...v, edit.value] : { entries: [...v.entries, [edit.key, edit.value]] };
    }
    return v;
  }
  const [i, ...rest] = path;
  const removing = edit.kind === 'remove' && rest.length === 0;
  if (Array.isArray(v)) return removing ? v.filter((_, j) => j !== i) : v.map((x, j) => (j === i ? edited(x, rest, edit) : x));
  if (v !== null && typeof v === 'object' && !isRaw(v)) {
    return { entries: removing ? v.entries.filter((_, j) => j !== i) : v.entries.map(([k, x], j) => [k, j === i ? edited(x, rest, edit) : x]) };
  }
  return v;
}

/**
 * Applies edits to a body, each at the path its `pick` selects (modulo the paths the body has then).
 *
 * @example applyEdits(toJsonText({ items: [{ id: 'a' }] }), [{ kind: 'replace', pick: 3, value: { raw: '1e309' } }])
 */
export function applyEdits(body: JsonText, edits: readonly BodyEdit[]): JsonText {
  return edits.reduce((v, edit) => {
    const paths = pathsOf(v);
    return edited(v, paths[edit.pick % paths.length], edit);
  }, body);
}

export function bodyEdit(known: readonly string[]): fc.Arbitrary<BodyEdit> {
  const pick = fc.nat(1_000);
  const value = hostileJson(known);
  return fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('replace' as const), pick, value }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('add' as const), pick, key: hostileKey(known), value }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('remove' as const), pick }) },
  );
}

/** A request body as sent: its text and content type (undefined: no header). */
export interface RawBody { contentType?: string; payload?: string }

/** Bodies that are not JSON objects at all: invalid JSON, empty, another media type, JSON scalars. Marked keys are never short names (a space). */
export const oddBody: fc.Arbitrary<RawBody> = fc.oneof(
  markedString.map((s) => ({ contentType: 'application/json', payload: `{"a": "${s}` })),
  fc.constantFrom<RawBody>(
    { contentType: 'application/json', payload: '' },
    { contentType: 'application/json', payload: 'null' },
    { contentType: 'application/json', payload: `"${MARKER}"` },
    { contentType: 'application/json', payload: '1e309' },
    { contentType: 'application/json', payload: `[{"${MARKER} k": NaN}]` },
    { contentType: 'application/json', payload: `{"__proto__": {"polluted": "${MARKER}"}}` },
    { contentType: 'application/json', payload: `{"constructor": {"prototype": {"polluted": "${MARKER}"}}}` },
    { contentType: 'application/json; charset=utf-16', payload: `{"${MARKER} k": 1}` },
    { contentType: 'text/plain', payload: MARKER },
    { contentType: 'application/x-www-form-urlencoded', payload: `items=${MARKER}` },
    { contentType: `application/${MARKER}`, payload: '{}' },
    { payload: `{"${MARKER} k": 1}` },
    {},
  ),
);

/** A path parameter value as it appears in the URL (already encoded): marked ids, encoded or not, odd escapes, very long. */
export const hostilePathSegment: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: markedString.filter((s) => s.length < 5_000).map((s) => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, '?'))) },
  { weight: 2, arbitrary: fc.constantFrom(`%E0%A4%A${MARKER}`, `${MARKER}%`, `${MARKER}%2F..%2F`, `%00${MARKER}`, `${MARKER}%C0%AF`, `%FF%FE${MARKER}`, '%20', '.', '..', `${MARKER};x=1`, `${MARKER}:1`) },
  { weight: 1, arbitrary: fc.integer({ min: 256, max: 4_000 }).map((n) => `${MARKER}${'y'.repeat(n)}`) },
);

/** One query parameter: a known name with a hostile value, or a marked unknown name (never a short name). */
export function hostileQueryPair(known: readonly string[]): fc.Arbitrary<string> {
  const value = fc.oneof(
    markedString.filter((s) => s.length < 3_000).map((s) => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, '?'))),
    fc.constantFrom('Infinity', '1e309', '-0', 'NaN', '', '%', `%ZZ${MARKER}`, `${MARKER}%`, 'true', '1', '0', '-1', '99999999999999999999', `${MARKER},${MARKER}`),
    // Values a parameter accepts, so the request reaches the engine with them.
    fc.constantFrom('false', '1000', '0.5', '0.0', '24', 'home', 'spare', 'i1,i2,i3', 'i1,,%20,i1', encodeURIComponent('price < 10 or "low" in categories'), encodeURIComponent('(in_stock = true) and not (price >= 5)'), encodeURIComponent('lamp 😀 ランプ'), `${encodeURIComponent(MARKER)}%20lamp`),
  );
  const name = fc.oneof(
    { weight: 3, arbitrary: known.length > 0 ? fc.constantFrom(...known) : fc.constant('x') },
    { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', '__proto__[x]', 'a[b]', '') },
    { weight: 1, arbitrary: markedString.filter((s) => s.length < 3_000).map((s) => encodeURIComponent(`${s} q`.replace(/[\ud800-\udfff]/g, '?'))) },
  );
  return fc.oneof({ weight: 8, arbitrary: fc.tuple(name, value).map(([n, v]) => `${n}=${v}`) }, { weight: 1, arbitrary: name });
}
