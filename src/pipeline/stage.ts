import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';

export type StageKind = 'recall' | 'fuse' | 'rank' | 'rerank' | 'explain';

/** What a stage reports about itself in the per-request trace. */
export interface StageTrace {
  stage: string;
  kind: StageKind;
  ms: number;
  candidatesIn: number;
  candidatesOut: number;
  cached?: boolean;
  /** Set when the stage failed or timed out and a fallback was used. */
  degraded?: string;
}

export interface RequestContext {
  clock: Clock;
  logger: Logger;
  signal?: AbortSignal;
  trace: StageTrace[];
}

export interface Stage<I, O> {
  readonly kind: StageKind;
  readonly name: string;
  run(input: I, ctx: RequestContext): Promise<O>;
}
