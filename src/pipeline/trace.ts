import type { RequestContext, StageKind } from './stage.js';

/**
 * Runs one step of a request and appends its trace entry (name, time, candidate counts). When `fallback` is given,
 * a failure of the step is logged, traced as degraded, and the fallback's result is used instead.
 *
 * @example const out = await traced(ctx, 'recall', 'cf', 0, () => recallCf(...), (o) => o.length);
 */
export async function traced<O>(
  ctx: RequestContext,
  kind: StageKind,
  name: string,
  candidatesIn: number,
  run: () => Promise<O> | O,
  countOut: (out: O) => number,
  fallback?: () => Promise<O> | O,
): Promise<O> {
  const t0 = performance.now();
  try {
    const out = await run();
    ctx.trace.push({ stage: name, kind, ms: performance.now() - t0, candidatesIn, candidatesOut: countOut(out) });
    return out;
  } catch (err) {
    if (!fallback) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    ctx.logger.warn('stage degraded to fallback', { stage: name, reason });
    const out = await fallback();
    ctx.trace.push({ stage: name, kind, ms: performance.now() - t0, candidatesIn, candidatesOut: countOut(out), degraded: reason });
    return out;
  }
}
