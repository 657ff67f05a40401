import type { KindredConfig } from '../config/config.js';
import { eventSentiment } from './sentiment.js';

/**
 * What the tone of a user's review does to that user's signal on the item: a clearly negative review is negative
 * feedback (even with five stars), a warm one strengthens the signal.
 */
export interface ToneSettings {
  /** A review scoring below this (−1..0) is clearly negative; −1 turns the rule off (config care.negativeReviewBelow). */
  negativeBelow: number;
  /** k in weight × (1 + k · score) for positive scores; 0 turns the boost off (config care.warmReviewBoost). */
  warmBoost: number;
}

/** The effect of one review on its item's weight in the user's history. */
export interface ToneWeight {
  /** Multiplies the item's positive weight: 0 for a clearly negative review, 1 + k · score for a warm one. */
  factor: number;
  /** 0..1: how strongly the user wants less like this item (0 unless the review is clearly negative). */
  lessLike: number;
}

/** A review without a score (no text, or a script the model does not read) changes nothing. */
export const NEUTRAL_TONE: ToneWeight = { factor: 1, lessLike: 0 };

/**
 * The weight a review's sentiment gives its item: below `negativeBelow` the item drops to weight 0 and is wanted
 * less with strength −score (capped at 1); a positive score multiplies by 1 + k · score; anything else (mildly
 * negative, neutral, unknown) leaves the weight as it is, since lexicon scores near 0 are mostly noise.
 *
 * @example toneWeight(-0.6, { negativeBelow: -0.25, warmBoost: 0.5 }) // { factor: 0, lessLike: 0.6 }
 * @example toneWeight(0.4, { negativeBelow: -0.25, warmBoost: 0.5 }) // { factor: 1.2, lessLike: 0 }
 */
export function toneWeight(score: number | undefined, settings: ToneSettings): ToneWeight {
  if (score === undefined) return NEUTRAL_TONE;
  if (score < settings.negativeBelow) return { factor: 0, lessLike: Math.min(1, -score) };
  if (score > 0) return { factor: 1 + settings.warmBoost * score, lessLike: 0 };
  return NEUTRAL_TONE;
}

/**
 * The tone settings of config care.
 *
 * @example toneSettings(config) // { negativeBelow: -0.25, warmBoost: 0.5 }
 */
export function toneSettings(config: KindredConfig): ToneSettings {
  return { negativeBelow: config.care.negativeReviewBelow, warmBoost: config.care.warmReviewBoost };
}

/** Reads the tone of an event's text; undefined for events without text. */
export type EventTone = (e: { id?: string; text?: string; sentiment?: number }) => ToneWeight | undefined;

/**
 * The tone reader under config care (the score stored with the event, else memoised sentiment per event id), or undefined when both rules are off so
 * callers skip the work.
 *
 * @example const tone = eventToneOf(config); tone?.({ id: 'e1', text: 'Broke at once' }) // { factor: 0, lessLike: 0.5 }
 */
export function eventToneOf(config: KindredConfig): EventTone | undefined {
  const settings = toneSettings(config);
  if (settings.negativeBelow <= -1 && settings.warmBoost === 0) return undefined;
  return (e) => (e.text ? toneWeight(eventSentiment(e), settings) : undefined);
}
