import { describe, expect, it } from 'vitest';
import { eventSentiment, MAX_SCORED_CHARS, readability, textSentiment } from './sentiment.js';

describe('textSentiment (wink-nlp, English)', () => {
  it('scores clearly positive and clearly negative English reviews on the right side of 0', () => {
    expect(textSentiment('I love this guitar, it sounds great and the build is excellent!')).toBeGreaterThan(0.3);
    expect(textSentiment('Terrible. It broke after two days, a complete waste of money.')).toBeLessThan(-0.3);
  });

  it('reads negation: "not good" is negative, "not bad at all" positive', () => {
    expect(textSentiment('It is not good')).toBeLessThan(0);
    expect(textSentiment('Not bad at all')).toBeGreaterThan(0);
  });

  it('stays within −1..1', () => {
    const angry = 'Awful awful awful, horrible, the worst, I hate it, disgusting, useless! '.repeat(20);
    const s = textSentiment(angry) ?? 0;
    expect(s).toBeGreaterThanOrEqual(-1);
    expect(s).toBeLessThan(-0.5);
  });

  it('gives no signal (undefined) for empty text and for scripts the English model does not read', () => {
    expect(textSentiment('')).toBeUndefined();
    expect(textSentiment('   ')).toBeUndefined();
    expect(textSentiment(undefined)).toBeUndefined();
    expect(textSentiment('这个产品很好，我非常喜欢')).toBeUndefined(); // Chinese: "very good, I like it a lot"
    expect(textSentiment('これは最悪の製品です')).toBeUndefined(); // Japanese: "the worst product"
    expect(textSentiment('Это ужасный товар')).toBeUndefined(); // Russian
    expect(textSentiment('12345 !!! ???')).toBeUndefined();
  });

  it('reads emoji: a smiling review is positive, an angry one negative', () => {
    expect(textSentiment('😀😀 love it')).toBeGreaterThan(0);
    expect(textSentiment('😡')).toBeLessThan(0);
  });

  it('scores only the head of a very long text (the first MAX_SCORED_CHARS characters), without throwing', () => {
    const long = `Awful product. ${'filler words here. '.repeat(50_000)}`;
    expect(long.length).toBeGreaterThan(MAX_SCORED_CHARS * 100);
    expect(textSentiment(long)).toBeLessThan(0);
    // The same complaint past the head is never read.
    const buried = `${'filler words here. '.repeat(Math.ceil(MAX_SCORED_CHARS / 19))}Awful, terrible, broken product.`;
    expect(textSentiment(buried)).toBe(0);
  });

  it('never throws on odd input (control characters, lone surrogates, mixed scripts)', () => {
    for (const t of ['\u0000\u0001', '\ud800abc', 'good 好', '<script>bad</script>', '\n\n\t']) expect(() => textSentiment(t)).not.toThrow();
  });
});

describe('readability', () => {
  it('is english-model for Latin letters or emoji alone, unknown for CJK, Cyrillic and empty text', () => {
    expect(readability('Great strings')).toBe('english-model');
    expect(readability('🙂')).toBe('english-model');
    expect(readability('很好')).toBe('unknown');
    expect(readability('Хорошо')).toBe('unknown');
    expect(readability('')).toBe('unknown');
  });

  it('goes by the share of Latin letters in mixed text', () => {
    expect(readability('Great 好')).toBe('english-model'); // 5 Latin letters, 1 Han
    expect(readability('这个吉他非常好用 ok')).toBe('unknown'); // 8 Han, 2 Latin
  });
});

describe('eventSentiment', () => {
  it('memoises by event id: the first score is returned for the same id', () => {
    const first = eventSentiment({ id: 'memo-test-1', text: 'I love it, wonderful' });
    expect(first).toBeGreaterThan(0);
    // Event ids are idempotent (one id, one text): a second read with the same id is served from the memo.
    expect(eventSentiment({ id: 'memo-test-1', text: 'I hate it, awful' })).toBe(first);
  });

  it('is undefined without text and for unreadable text, also when memoised', () => {
    expect(eventSentiment({ id: 'memo-test-2' })).toBeUndefined();
    expect(eventSentiment({ id: 'memo-test-3', text: '最悪' })).toBeUndefined();
    expect(eventSentiment({ id: 'memo-test-3', text: '最悪' })).toBeUndefined();
  });
});
