import { EngineError } from '../core/errors.js';
import type { RecommendContext } from '../pipeline/request-context.js';

/** A request's own care strengths, each 0..1, over config `care` (RecommendOptions.care, the HTTP query). */
export interface CareOverride {
  /** Diversity strength (config care.diversity). */
  diversity?: number;
  /** Calibration trade-off λ (config care.calibration). */
  calibration?: number;
  /** Quality floor on the fused score (config care.qualityFloor). */
  qualityFloor?: number;
  /** Long-tail strength (config care.novelty). */
  novelty?: number;
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
 * The request's care override, checked: each strength a number from 0 to 1 (INVALID_INPUT naming it otherwise).
 *
 * @example checkCareOverride({ diversity: 2 }) // throws INVALID_INPUT care.diversity must be a number from 0 to 1
 */
export function checkCareOverride(care: CareOverride | undefined): CareOverride | undefined {
  if (care === undefined) return undefined;
  for (const key of ['diversity', 'calibration', 'qualityFloor', 'novelty'] as const) {
    const v = care[key];
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1)) {
      throw new EngineError('INVALID_INPUT', `care.${key} must be a number from 0 to 1`, { path: `care.${key}` });
    }
  }
  return care;
}
