import type { RecallChannelName } from '../../../config/pipeline-section.js';
import type { SparseRow } from '../../../core/sparse.js';
import type { Reason } from '../../../core/types.js';
import type { Contribution, Model } from '../../../models/model.js';
import type { Candidate } from '../../candidates.js';
import type { RecommendContext } from '../../request-context.js';
import type { Stage } from '../../stage.js';

/** What a recall channel is asked for: how many candidates, and a signal aborted at its deadline. */
export interface RecallRequest {
  k: number;
  signal: AbortSignal;
}

/** The model and user whose Explainer capability names the history items behind a channel's candidates. */
export interface EvidenceSource {
  model: Model<object>;
  user: number | SparseRow;
}

/**
 * One recall strategy (one file each in this folder). It runs when named in config `pipeline.recall` and when it
 * `applies` to the request; its candidates carry its score and rank (see candidates.ts `fromChannel`).
 */
export interface RecallChannel extends Stage<RecallRequest, Candidate[], RecommendContext> {
  readonly kind: 'recall';
  readonly name: RecallChannelName;
  /** Whether the channel has anything to say for this request (cf needs a history of trained items, ...). */
  applies(ctx: RecommendContext): boolean;
  /** The name in the trace, when it says more than the channel name (cf names its model: 'cf:ease'). */
  traceName?(ctx: RecommendContext): string;
  /**
   * For a channel standing in for the main model (recall/uncovered.ts): how many trained items the main model cannot
   * score, which the trace entry records as `uncovered`.
   */
  uncovered?(ctx: RecommendContext): number;
  /** Where the explain stage finds the history items behind this channel's candidates, if anywhere. */
  evidence(ctx: RecommendContext): EvidenceSource | undefined;
  /**
   * The history items behind one of this channel's items, when the channel knows them itself (no model Explainer):
   * item-to-item names the recent item whose neighbour it is. Takes the place of `evidence` when present.
   */
  because?(ctx: RecommendContext, item: number): Contribution[];
  /** This channel's own reasons for an item it placed (trending, category), when no history item says it better. */
  reasons?(ctx: RecommendContext, item: number, score: number): Reason[];
}
