import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';

/** Where a stage sits in the request flow (see pipeline.ts). */
export type StageKind = 'recall' | 'merge' | 'filter' | 'fuse' | 'rank' | 'rerank' | 'explain';

/** What a stage reports about itself in the per-request trace. */
export interface StageTrace {
  stage: string;
  kind: StageKind;
  ms: number;
  candidatesIn: number;
  candidatesOut: number;
  cached?: boolean;
  /** Set when the stage failed or timed out and a fallback was used (or, for a recall channel, it was left out). */
  degraded?: string;
  /** Recall channel `uncovered`: how many trained items the main model cannot score, which this channel stood in for. */
  uncovered?: number;
}

export interface RequestContext {
  clock: Clock;
  logger: Logger;
  signal?: AbortSignal;
  trace: StageTrace[];
}

/**
 * A stage's answer when it fell back instead of doing its work (e.g. kept the order past a deadline): the runner
 * uses `out` and traces the stage as degraded with `reason`.
 */
export class Degraded<O> {
  constructor(readonly out: O, readonly reason: string) {}
}

/**
 * One named step of the request flow. The runner (pipeline.ts) times it, counts candidates in and out with `count`,
 * and appends its trace entry; a stage only adds trace entries of its own for sub-steps (e.g. the query floor).
 */
export interface Stage<I, O, C extends RequestContext = RequestContext> {
  readonly kind: StageKind;
  readonly name: string;
  /** False when the stage has nothing to do for this request (it is then neither run nor traced); default true. */
  applies?(ctx: C): boolean;
  run(input: I, ctx: C): Promise<O | Degraded<O>>;
}
