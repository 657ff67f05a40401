import { EngineError } from '../core/errors.js';
import type { FitContext } from './model.js';

export interface FitControl {
  /** Throws EngineError CANCELLED when the fit's signal is aborted. */
  check(): void;
  /** Marks `done` of `total` units finished; every `yieldEvery` calls reports progress and yields. */
  step(done: number): Promise<void>;
  /** For fits driven by a solver's own callback: checks cancellation, reports `done` of `of`, yields. */
  report(done: number, of: number): Promise<void>;
  /** Reports completion (total of total); call once the fit is done. */
  finish(): void;
}

/**
 * Cancellation and progress for a model's fit loop: `step(done)` throws EngineError CANCELLED once the signal is
 * aborted and every `yieldEvery` steps reports progress and yields to the event loop, so an abort (or a server
 * request) can get in during a long synchronous fit. Throws at once if the signal is already aborted.
 *
 * @example const ctl = fitControl(ctx, n); for (let i = 0; i < n; i++) { work(i); await ctl.step(i + 1); } ctl.finish();
 */
export function fitControl(ctx: FitContext, total: number, yieldEvery = 256): FitControl {
  let steps = 0;
  const check = (): void => {
    if (ctx.signal?.aborted) throw new EngineError('CANCELLED', 'model fit was cancelled');
  };
  check();
  return {
    check,
    async step(done: number): Promise<void> {
      check();
      if (++steps % yieldEvery !== 0) return;
      ctx.onProgress?.(Math.min(done, total), total);
      await new Promise<void>((resolve) => setImmediate(resolve));
      check();
    },
    async report(done: number, of: number): Promise<void> {
      check();
      ctx.onProgress?.(done, of);
      await new Promise<void>((resolve) => setImmediate(resolve));
    },
    finish(): void {
      check();
      ctx.onProgress?.(total, total);
    },
  };
}

/** Seconds elapsed since `startMs` on the injected clock (fit reports never read the system time directly). */
export function secondsSince(ctx: FitContext, startMs: number): number {
  return (ctx.clock.now() - startMs) / 1000;
}
