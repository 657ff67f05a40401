/** Small, strict conversions from text fields to record values, shared by the file formats. */

/** Unix seconds (as text or number) -> ISO-8601, or undefined when not an integer-like number. */
export function unixSecondsToIso(s: string | number): string | undefined {
  const n = typeof s === 'number' ? s : s.trim() === '' ? NaN : Number(s);
  if (!Number.isFinite(n)) return undefined;
  const d = new Date(n * 1000);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/**
 * A timestamp column: ISO-8601 text is kept as written; a plain number is read as unix seconds, or as milliseconds
 * from 1e11 up (1e11 seconds is the year 5138; 1e11 ms is 1973).
 *
 * @example toTimestamp('964982703') // '2000-07-30T18:45:03.000Z'
 */
export function toTimestamp(s: string): string | undefined {
  const t = s.trim();
  if (/^-?\d+(\.\d+)?$/.test(t)) {
    const n = Number(t);
    return Math.abs(n) >= 1e11 ? unixSecondsToIso(n / 1000) : unixSecondsToIso(n);
  }
  return t === '' ? undefined : t;
}

/** A number field; undefined for empty text, NaN for text that is not a number (so validation reports it). */
export function toNumber(s: string): number | undefined {
  const t = s.trim();
  return t === '' ? undefined : Number(t);
}

/** "a|b| c" -> ['a', 'b', 'c']; empty parts dropped. */
export function splitList(s: string, separator = '|'): string[] {
  const out: string[] = [];
  for (const part of s.split(separator)) {
    const p = part.trim();
    if (p !== '') out.push(p);
  }
  return out;
}

/** An attribute value from text: numbers become numbers, "true"/"false" booleans, everything else stays text. */
export function toAttributeValue(s: string): string | number | boolean {
  const t = s.trim();
  if (t !== '' && /^-?\d+(\.\d+)?$/.test(t) && !/^-?0\d/.test(t)) return Number(t);
  if (t === 'true') return true;
  if (t === 'false') return false;
  return t;
}

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
};

/** MovieLens 100K release dates, "01-Jan-1995" -> "1995-01-01T00:00:00.000Z"; undefined when empty or odd. */
export function dayMonthYearToIso(s: string): string | undefined {
  const m = /^(\d{1,2})-([A-Za-z]{3})-(\d{4})$/.exec(s.trim());
  if (!m) return undefined;
  const month = MONTHS[m[2].toLowerCase()];
  if (month === undefined) return undefined;
  const d = new Date(Date.UTC(Number(m[3]), month - 1, Number(m[1])));
  return d.getUTCDate() === Number(m[1]) ? d.toISOString() : undefined;
}

/** "Toy Story (1995)" -> 1995; undefined when the title has no trailing year. */
export function yearFromTitle(title: string): number | undefined {
  const m = /\((\d{4})(?:\s*[–-]\s*\d{0,4}\s*)?\)\s*$/.exec(title);
  return m ? Number(m[1]) : undefined;
}

/** Longest tag and most tags an item may carry (the Item schema's limits). */
export const MAX_TAG_LENGTH = 256;
export const MAX_TAGS = 256;

/** Tags are compared and stored lower-case with single spaces; undefined when empty or too long. */
export function normaliseTag(s: string): string | undefined {
  const t = s.trim().replace(/\s+/g, ' ').toLowerCase();
  return t === '' || t.length > MAX_TAG_LENGTH ? undefined : t;
}

/**
 * Normalised, de-duplicated tags from several lists, in order of first appearance, at most MAX_TAGS.
 *
 * @example mergeTags(['Sci-Fi', 'space'], ['space ', 'Alien']) // ['sci-fi', 'space', 'alien']
 */
export function mergeTags(...lists: ReadonlyArray<readonly string[]>): string[] {
  const seen = new Set<string>();
  for (const list of lists) {
    for (const raw of list) {
      const t = normaliseTag(raw);
      if (t !== undefined) seen.add(t);
      if (seen.size >= MAX_TAGS) return [...seen];
    }
  }
  return [...seen];
}
