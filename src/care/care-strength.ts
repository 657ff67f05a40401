import { EngineError } from '../core/errors.js';
import type { RecommendContext } from '../pipeline/request-context.js';
import { checkCareSettings, REQUEST_CARE } from './care-settings.js';
import type { FatigueSettings } from './fatigue.js';

/**
 * Care settings over config `care`: a request's own (RecommendOptions.care, the HTTP query), a user's stored
 * preferences, a scenario's `care`. The request context layers them into `ctx.care` (request > user > scenario); each
 * stage reads a key through a getter here, falling back to config. Ranges are config's (care-settings.ts).
 */
export interface CareOverride {
  /** Diversity strength (config care.diversity). */
  diversity?: number;
  /** Calibration trade-off λ (config care.calibration). */
  calibration?: number;
  /** Quality floor on the fused score (config care.qualityFloor). */
  qualityFloor?: number;
  /** Long-tail strength 0..1 (the long-tail stage). */
  novelty?: number;
  /** Gentle mode: items whose text is distressing are demoted (the sentiment stage). */
  gentle?: boolean;
  /** Impressions without engagement after which an item fades (config care.fatigueAfter). */
  fatigueAfter?: number;
  /** Share of its relevance a fading item loses per impression (config care.fatigueDecay). */
  fatigueDecay?: number;
  /** Impressions without engagement at which an item is left out (config care.impressionCap). */
  impressionCap?: number;
  /** Hours without an impression after which an item's count starts again (config care.cooldownHours). */
  cooldownHours?: number;
  /** Consumed items may come back after this many days (config care.repeatAfterDays). */
  repeatAfterDays?: number;
  /** Items shown per rolling 24 h (config care.dailyBudget). */
  dailyBudget?: number;
}

/**
 * How much of the configured care strengths a user gets by the length of their history (distinct items in their
 * row): 0 up to care.historyRampStart items, rising linearly to 1 at care.historyRampFull. A user with a few likes
 * has not shown the breadth of their taste, so the engine does not yet vary their list away from it (docs/care.md).
 *
 * @example historyRamp(ctx) // 0.5 for 12 items with the ramp 5..19
 */
export function historyRamp(ctx: RecommendContext): number {
  const n = ctx.row.indices.length;
  const { historyRampStart: start, historyRampFull: full } = ctx.config.care;
  if (n >= full) return 1;
  if (n <= start) return 0;
  return (n - start) / (full - start);
}

/**
 * The diversity strength for this request: the request's own, else config care.diversity grown with the user's
 * history (historyRamp: a request's own strength is taken as asked).
 *
 * @example diversityStrength(ctx) // 0.3
 */
export function diversityStrength(ctx: RecommendContext): number {
  return ctx.care?.diversity ?? ctx.config.care.diversity * historyRamp(ctx);
}

/**
 * The long-tail strength for this request: the request's own, else config care.novelty grown with the user's history
 * (historyRamp).
 *
 * @example noveltyStrength(ctx) // 0.2
 */
export function noveltyStrength(ctx: RecommendContext): number {
  return ctx.care?.novelty ?? ctx.config.care.novelty * historyRamp(ctx);
}

/**
 * The calibration trade-off λ for this request: the request's own, else config care.calibration.
 *
 * @example calibrationStrength(ctx) // 0.5
 */
export function calibrationStrength(ctx: RecommendContext): number {
  return ctx.care?.calibration ?? ctx.config.care.calibration;
}

/**
 * The quality floor for this request: the request's own, else config care.qualityFloor (0 = off).
 *
 * @example qualityFloor(ctx) // 0.05
 */
export function qualityFloor(ctx: RecommendContext): number {
  return ctx.care?.qualityFloor ?? ctx.config.care.qualityFloor;
}

/**
 * Whether gentle mode is on for this request: the request's own, else config care.gentle.
 *
 * @example gentleMode(ctx) // true
 */
export function gentleMode(ctx: RecommendContext): boolean {
  return ctx.care?.gentle ?? ctx.config.care.gentle;
}

/**
 * The fatigue settings for this request: each of the request's (or the user's, or the scenario's) own, else config care.
 *
 * @example fatigueSettingsOf(ctx) // { after: 3, decay: 0.3, cap: 6, cooldownHours: 72 }
 */
export function fatigueSettingsOf(ctx: Pick<RecommendContext, 'care' | 'config'>): FatigueSettings {
  const c = ctx.config.care;
  const o = ctx.care;
  return { after: o?.fatigueAfter ?? c.fatigueAfter, decay: o?.fatigueDecay ?? c.fatigueDecay, cap: o?.impressionCap ?? c.impressionCap, cooldownHours: o?.cooldownHours ?? c.cooldownHours };
}

/**
 * After how many days a consumed item may come back for this request (0 = never): its own, else config care.repeatAfterDays.
 *
 * @example repeatAfterDays(ctx) // 30
 */
export function repeatAfterDays(ctx: Pick<RecommendContext, 'care' | 'config'>): number {
  return ctx.care?.repeatAfterDays ?? ctx.config.care.repeatAfterDays;
}

/**
 * The daily budget for this request (0 = off): its own, else config care.dailyBudget.
 *
 * @example dailyBudget(ctx) // 20
 */
export function dailyBudget(ctx: Pick<RecommendContext, 'care' | 'config'>): number {
  return ctx.care?.dailyBudget ?? ctx.config.care.dailyBudget;
}

/**
 * The request's care override, checked: only known keys, each in its config range (strengths 0 to 1), `gentle` a
 * boolean (INVALID_INPUT naming it otherwise). Keys set to undefined are left out; undefined when none is set.
 *
 * @example checkCareOverride({ diversity: 2 }) // throws INVALID_INPUT care.diversity must be a number from 0 to 1
 */
export function checkCareOverride(care: CareOverride | undefined): CareOverride | undefined {
  if (care === undefined) return undefined;
  if (typeof care !== 'object' || care === null) throw new EngineError('INVALID_INPUT', 'care must be an object', { path: 'care' });
  const checked = checkCareSettings(care, REQUEST_CARE) as CareOverride;
  return Object.keys(checked).length > 0 ? checked : undefined;
}
