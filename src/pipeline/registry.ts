import type { KindredConfig } from '../config/config.js';
import type { FuseStageName, RecallChannelName, RerankStageName } from '../config/pipeline-section.js';
import type { Recommendation } from '../core/types.js';
import type { Candidate } from './candidates.js';
import type { RecommendContext } from './request-context.js';
import type { Stage } from './stage.js';
import { explainStage } from './stages/explain.js';
import { availabilityStage } from './stages/filter.js';
import { mainFirstFusion } from './stages/fuse.js';
import { interestPreferencesStage } from './stages/interest-preferences.js';
import { shortTermSlotStage } from './stages/short-term-slot.js';
import { calibrationStage } from '../care/calibration-stage.js';
import { diversityStage } from '../care/diversity-stage.js';
import { fatigueStage } from '../care/fatigue-stage.js';
import { budgetStage } from '../care/budget-stage.js';
import { negativeFeedbackStage } from '../care/negative-feedback-stage.js';
import { gentleStage } from '../care/gentle-stage.js';
import { longTailStage } from '../care/long-tail-stage.js';
import { learnedFusion } from './stages/fuse-learned.js';
import { rrfFusion } from './stages/fuse-rrf.js';
import { llmRerankStage } from './stages/llm-rerank.js';
import { mergeStage, type ChannelList, type Merged } from './stages/merge.js';
import type { RecallChannel } from './stages/recall/channel.js';
import { cfChannel } from './stages/recall/cf.js';
import { coldItemsChannel } from './stages/recall/cold-items.js';
import { ensembleChannel } from './stages/recall/ensemble.js';
import { popularChannel } from './stages/recall/popular.js';
import { queryChannel } from './stages/recall/query.js';
import { semanticChannel } from './stages/recall/semantic.js';
import { categoryChannel } from './stages/recall/category.js';
import { freshChannel } from './stages/recall/fresh.js';
import { interestsChannel } from './stages/recall/interests.js';
import { itemToItemChannel } from './stages/recall/item-to-item.js';
import { nextItemChannel } from './stages/recall/next-item.js';
import { trendingChannel } from './stages/recall/trending.js';
import { uncoveredChannel } from './stages/recall/uncovered.js';

type RecommendStage<I, O> = Stage<I, O, RecommendContext>;

/** Every recall channel by its config name (config/pipeline-section.ts lists the names config accepts). */
export const RECALL_CHANNELS = {
  cf: cfChannel, semantic: semanticChannel, 'cold-items': coldItemsChannel, popular: popularChannel, query: queryChannel,
  'item-to-item': itemToItemChannel, category: categoryChannel, trending: trendingChannel, fresh: freshChannel, 'next-item': nextItemChannel,
  ensemble: ensembleChannel, interests: interestsChannel, uncovered: uncoveredChannel,
} as const satisfies Record<RecallChannelName, RecallChannel>;

export const RERANK_STAGES = { 'short-term-slot': shortTermSlotStage, 'interest-preferences': interestPreferencesStage, 'llm-rerank': llmRerankStage, diversity: diversityStage, calibration: calibrationStage, fatigue: fatigueStage, 'negative-feedback': negativeFeedbackStage, gentle: gentleStage, budget: budgetStage, 'long-tail': longTailStage } as const satisfies Record<RerankStageName, RecommendStage<Candidate[], Candidate[]>>;

export const FUSE_STAGES = { 'main-first': mainFirstFusion, rrf: rrfFusion, learned: learnedFusion } as const satisfies Record<FuseStageName, RecommendStage<Merged, Candidate[]>>;

/** The stages of one recommend request, in order; built once from the validated config (see pipeline.ts). */
export interface PipelineStages {
  recall: readonly RecallChannel[];
  merge: RecommendStage<ChannelList[], Merged>;
  filter: RecommendStage<Merged, Merged>;
  fuse: RecommendStage<Merged, Candidate[]>;
  rerank: ReadonlyArray<RecommendStage<Candidate[], Candidate[]>>;
  explain: RecommendStage<Candidate[], Recommendation[]>;
}

/**
 * The stages config `pipeline` names, looked up in the registries above. Config validation already rejected unknown
 * names, so every name resolves.
 *
 * @example const stages = stagesFromConfig(config.pipeline)
 */
export function stagesFromConfig(pipeline: KindredConfig['pipeline']): PipelineStages {
  const recall = (Object.keys(pipeline.recall) as RecallChannelName[]).map((name) => RECALL_CHANNELS[name]);
  return {
    recall,
    merge: mergeStage,
    filter: availabilityStage,
    fuse: FUSE_STAGES[pipeline.fuse],
    rerank: pipeline.rerank.map((name) => RERANK_STAGES[name as RerankStageName]),
    explain: explainStage(Object.values(RECALL_CHANNELS)),
  };
}
