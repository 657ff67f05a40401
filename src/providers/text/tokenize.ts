/**
 * Text normalisation and tokenisation shared by the offline encoders. Pure functions, no state.
 */

const CJK_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
// Letters, digits and combining marks (Devanagari, Arabic vowel signs...); everything else separates tokens.
const WORD_RUN = /[\p{L}\p{N}\p{M}]+(?:-[\p{L}\p{N}\p{M}]+)*/gu;

/**
 * NFKC, lowercase, unified apostrophes, and English negation contractions expanded ("don't" -> "do not").
 *
 * @example normaliseText('Don’t PANIC') // 'do not panic'
 */
export function normaliseText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[’‘`´]/g, "'")
    .replace(/\bcan't\b/g, 'can not')
    .replace(/\bwon't\b/g, 'will not')
    .replace(/(\p{L})n't\b/gu, '$1 not');
}

/**
 * Lowercased word tokens with punctuation stripped. Internal hyphens are kept ("well-known": GloVe has such
 * words) and apostrophes split a word ("world's" -> "world", "s").
 *
 * @example wordTokens('The well-known ship’s crew!') // ['the', 'well-known', 'ship', 's', 'crew']
 */
export function wordTokens(text: string): string[] {
  return normaliseText(text).match(WORD_RUN) ?? [];
}

/** True for Han, Hiragana, Katakana and Hangul characters (scripts written without spaces between words). */
export function isCjk(ch: string): boolean {
  return CJK_CHAR.test(ch);
}

/** A word token split into runs of CJK and non-CJK characters, e.g. "東京tower" -> ["東京", "tower"]. */
export function splitCjkRuns(token: string): { text: string; cjk: boolean }[] {
  const runs: { text: string; cjk: boolean }[] = [];
  for (const ch of token) {
    const cjk = isCjk(ch);
    const last = runs[runs.length - 1];
    if (last && last.cjk === cjk) last.text += ch;
    else runs.push({ text: ch, cjk });
  }
  return runs;
}

/** True when the text has no letters or digits at all (empty, whitespace, punctuation only). */
export function hasNoContent(text: string): boolean {
  return !/[\p{L}\p{N}]/u.test(text);
}
