/**
 * Pulls JSON out of what language models actually return: code fences, prose before and after, and answers cut
 * off by the token limit (the complete elements of a truncated list are kept).
 */

const OPEN: Record<string, string> = { '{': '}', '[': ']' };

function stripFences(text: string): string {
  const fence = /```[a-zA-Z]*\s*\n?([\s\S]*?)(?:```|$)/.exec(text);
  return fence ? fence[1] : text;
}

function tryParse(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}

/** Scans one value starting at an opening bracket; returns it, or a repaired prefix when the text ends early. */
function scanFrom(text: string, start: number): { value: unknown; end: number } | undefined {
  const closers: string[] = [];
  // Cut points where everything before is complete, with the closers still open there.
  const safe: { at: number; closers: string[] }[] = [];
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') { inString = false; safe.push({ at: i + 1, closers: [...closers] }); }
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch in OPEN) closers.push(OPEN[ch]); // no cut point here: a trailing empty container says nothing
    else if (ch === '}' || ch === ']') {
      if (closers.pop() !== ch) return undefined;
      if (closers.length === 0) {
        const parsed = tryParse(text.slice(start, i + 1));
        return parsed ? { value: parsed.value, end: i + 1 } : undefined;
      }
      safe.push({ at: i + 1, closers: [...closers] });
    } else if (ch === ',') safe.push({ at: i, closers: [...closers] });
  }
  // Truncated: close the brackets at the latest cut point that yields valid JSON.
  for (let k = safe.length - 1; k >= 0 && k >= safe.length - 50; k--) {
    const { at, closers: open } = safe[k];
    const repaired = tryParse(text.slice(start, at).replace(/,\s*$/, '') + [...open].reverse().join(''));
    if (repaired && Object.keys(repaired.value as object).length > 0) return { value: repaired.value, end: text.length };
  }
  return undefined;
}

/**
 * The first JSON object or array in a model's answer, or undefined.
 *
 * @example extractJson('Sure!\n```json\n{"ranking": ["b", "a"]}\n```') // { ranking: ['b', 'a'] }
 */
export function extractJson(text: string): unknown {
  const body = stripFences(text);
  const whole = tryParse(body.trim());
  if (whole && typeof whole.value === 'object' && whole.value !== null) return whole.value;
  for (let i = 0; i < body.length; i++) {
    if (!(body[i] in OPEN)) continue;
    const found = scanFrom(body, i);
    if (found) return found.value;
  }
  return undefined;
}

/**
 * The first list in a JSON answer: the answer itself when it is an array, else the first array-valued property
 * (preferring `preferredKeys`). Undefined when there is none.
 *
 * @example firstJsonList({ ranking: [1, 2] }, ['ranking']) // [1, 2]
 */
export function firstJsonList(value: unknown, preferredKeys: readonly string[] = []): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  for (const key of preferredKeys) if (Array.isArray(record[key])) return record[key] as unknown[];
  for (const v of Object.values(record)) if (Array.isArray(v)) return v;
  return undefined;
}
