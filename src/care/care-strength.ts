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
  /** Gentle mode on or off for this request (config care.gentle). */
  gentle?: boolean;
}

/**
 * The diversity strength for this request: the request's own, else config care.diversity.
 *
 * @example diversityStrength(ctx) // 0.3
 */
export function diversityStrength(ctx: RecommendContext): number {
  return ctx.care?.diversity ?? ctx.config.care.diversity;
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
 * The request's care override, checked: each strength a number from 0 to 1 (INVALID_INPUT naming it otherwise).
 *
 * @example checkCareOverride({ diversity: 2 }) // throws INVALID_INPUT care.diversity must be a number from 0 to 1
 */
export function checkCareOverride(care: CareOverride | undefined): CareOverride | undefined {
  if (care === undefined) return undefined;
  for (const key of ['diversity', 'calibration', 'qualityFloor'] as const) {
    const v = care[key];
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1)) {
      throw new EngineError('INVALID_INPUT', `care.${key} must be a number from 0 to 1`, { path: `care.${key}` });
    }
  }
  if (care.gentle !== undefined && typeof care.gentle !== 'boolean') {
    throw new EngineError('INVALID_INPUT', 'care.gentle must be true or false', { path: 'care.gentle' });
  }
  return care;
}
