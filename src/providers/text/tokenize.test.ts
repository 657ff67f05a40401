import { describe, expect, it } from 'vitest';
import { hasNoContent, normaliseText, splitCjkRuns, wordTokens } from './tokenize.js';

describe('tokenize', () => {
  it('lowercases, strips punctuation, keeps internal hyphens and splits apostrophes', () => {
    expect(wordTokens('The well-known ship’s crew!')).toEqual(['the', 'well-known', 'ship', 's', 'crew']);
    expect(wordTokens('"Hello," she said -- twice...')).toEqual(['hello', 'she', 'said', 'twice']);
  });

  it('expands negations so "not" is a separate token', () => {
    expect(normaliseText("Don't stop; can't won't")).toBe('do not stop; can not will not');
  });

  it('keeps digits and non-Latin letters', () => {
    expect(wordTokens('Apollo 13 — Привет мир')).toEqual(['apollo', '13', 'привет', 'мир']);
  });

  it('folds full-width characters with NFKC', () => {
    expect(wordTokens('ＡＢＣ１２３')).toEqual(['abc123']);
  });

  it('splits CJK runs from Latin ones', () => {
    expect(splitCjkRuns('東京tower')).toEqual([{ text: '東京', cjk: true }, { text: 'tower', cjk: false }]);
  });

  it('detects texts without letters or digits', () => {
    expect(hasNoContent('')).toBe(true);
    expect(hasNoContent(' \n\t ')).toBe(true);
    expect(hasNoContent('?! -- ...')).toBe(true);
    expect(hasNoContent('a')).toBe(false);
    expect(hasNoContent('电影')).toBe(false);
  });
});
