import { EngineError } from '../core/errors.js';
import { RECALL_CHANNEL_EXTRAS, type RecallChannelExtras } from './recall-channel-settings.js';

/** The recall channels the pipeline knows (src/pipeline/stages/recall/, one file each). */
export const RECALL_CHANNEL_NAMES = [
  'cf', 'semantic', 'cold-items', 'popular', 'query', 'ensemble', 'item-to-item', 'category', 'trending', 'fresh', 'next-item', 'interests', 'uncovered',
] as const;
export type RecallChannelName = (typeof RECALL_CHANNEL_NAMES)[number];

/** The re-rank stages the pipeline knows, run in the configured order after fusion. */
export const RERANK_STAGE_NAMES = ['short-term-slot', 'interest-preferences', 'llm-rerank', 'diversity', 'calibration', 'fatigue', 'negative-feedback', 'gentle', 'budget', 'long-tail'] as const;
export type RerankStageName = (typeof RERANK_STAGE_NAMES)[number];

/** The fusion stages the pipeline knows. */
export const FUSE_STAGE_NAMES = ['main-first', 'rrf', 'learned'] as const;
export type FuseStageName = (typeof FUSE_STAGE_NAMES)[number];

/**
 * The extra collaborative models trained beside the main one (config train.channels), each with its default params:
 * ALS and item-kNN add what EASE or item-kNN alone miss (docs/fusion.md has the measurements).
 */
export const DEFAULT_TRAIN_CHANNELS: Record<string, Record<string, unknown>> = { als: {}, itemknn: {} };

/**
 * One recall channel's budget: it recalls `quota × list length + pad` candidates within `deadlineMs`, and keeps only
 * those scoring at least `minScore` (on the channel's own scale) when set. Some channels read extra settings
 * (recall-channel-settings.ts).
 */
export interface RecallChannelConfig extends RecallChannelExtras {
  quota: number;
  pad: number;
  deadlineMs: number;
  minScore?: number;
}

/** Every channel's budget when config turns it on without one (scenarios, or a channel named with `{}` fields). */
export const RECALL_CHANNEL_BUDGETS: Record<RecallChannelName, RecallChannelConfig> = {
  cf: { quota: 3, pad: 10, deadlineMs: 2000 },
  semantic: { quota: 3, pad: 10, deadlineMs: 2000 },
  // New items compete for the user's best `list length` items by content; fusion gives them a share of the list.
  'cold-items': { quota: 1, pad: 0, deadlineMs: 2000 },
  popular: { quota: 3, pad: 10, deadlineMs: 2000 },
  query: { quota: 3, pad: 10, deadlineMs: 2000 },
  // The extra collaborative models of config train.channels, each recalling this many (see recall/ensemble.ts).
  ensemble: { quota: 3, pad: 10, deadlineMs: 2000 },
  'item-to-item': { quota: 2, pad: 10, deadlineMs: 2000, lastEvents: 10 },
  category: { quota: 2, pad: 10, deadlineMs: 2000, halfLifeDays: 90 },
  trending: { quota: 1, pad: 10, deadlineMs: 2000, windowDays: 7, baselineDays: 56 },
  fresh: { quota: 1, pad: 5, deadlineMs: 2000, windowDays: 30 },
  'next-item': { quota: 2, pad: 10, deadlineMs: 2000, lastEvents: 10 },
  // Split across the user's stored interests by weight × boost (recall/interests.ts).
  interests: { quota: 2, pad: 10, deadlineMs: 2000 },
  // Trained items the main model cannot score (dense EASE's maxItems cap, ...); fusion gives them a share of the list.
  uncovered: { quota: 1, pad: 0, deadlineMs: 2000 },
};

/**
 * The channels on by default (config `pipeline.recall`), with their budgets. ensemble runs the extra models of
 * train.channels, which learned fusion weighs with the main model (docs/fusion.md). item-to-item and next-item are
 * off: held out, each finds 7–13 % of users' next items that cf and popular both miss (docs/benchmarks.md,
 * recall-channels), yet with learned fusion turning them on lowered ml-100k's NDCG@10 from 0.2987 to 0.2970 (mean of
 * 5 splits) and slows requests; category, trending and fresh add little on the benchmark data (trending and fresh need
 * current timestamps and item createdAt), and category costs the most time. uncovered stands in for the main model over
 * the trained items it cannot score (dense EASE's maxItems cap, ...); it applies only when there are such items.
 */
export const DEFAULT_RECALL_CHANNELS: Partial<Record<RecallChannelName, RecallChannelConfig>> = {
  cf: RECALL_CHANNEL_BUDGETS.cf,
  semantic: RECALL_CHANNEL_BUDGETS.semantic,
  'cold-items': RECALL_CHANNEL_BUDGETS['cold-items'],
  popular: RECALL_CHANNEL_BUDGETS.popular,
  query: RECALL_CHANNEL_BUDGETS.query,
  ensemble: RECALL_CHANNEL_BUDGETS.ensemble,
  uncovered: RECALL_CHANNEL_BUDGETS.uncovered,
};

/** The budget every channel has: quota, pad and deadlineMs are required, minScore optional. */
export const RECALL_CHANNEL_LIMITS: Record<'quota' | 'pad' | 'deadlineMs' | 'minScore', { min: number; max: number }> = {
  quota: { min: 0, max: 100 },
  pad: { min: 0, max: 10_000 },
  deadlineMs: { min: 1, max: 60_000 },
  minScore: { min: -1e9, max: 1e9 },
};

const OPTIONAL_SETTINGS: ReadonlySet<string> = new Set(['minScore']);

/**
 * The ranges of every setting a channel accepts: the common budget and the channel's own extras.
 *
 * @example Object.keys(channelSettingLimits('item-to-item')) // ['quota', 'pad', 'deadlineMs', 'minScore', 'lastEvents']
 */
export function channelSettingLimits(name: RecallChannelName): Record<string, { min: number; max: number }> {
  return { ...RECALL_CHANNEL_LIMITS, ...RECALL_CHANNEL_EXTRAS[name] };
}

/**
 * Checks `pipeline.recall` (channel name -> budget) and `pipeline.rerank` (stage names) against the registries above.
 * Unknown names and fields are rejected with INVALID_CONFIG naming the key, never silently ignored.
 *
 * @example checkPipelineSection({ cf: { quota: 3, pad: 10, deadlineMs: 2000 } }, ['llm-rerank'])
 */
export function checkPipelineSection(recall: Record<string, unknown>, rerank: readonly string[]): void {
  const bad = (path: string, why: string) => new EngineError('INVALID_CONFIG', `config ${path} ${why}`, { path });
  for (const [name, value] of Object.entries(recall)) {
    const path = `pipeline.recall.${name}`;
    if (!(RECALL_CHANNEL_NAMES as readonly string[]).includes(name)) throw bad(path, `is not a recall channel (known: ${RECALL_CHANNEL_NAMES.join(', ')})`);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad(path, 'must be an object {quota, pad, deadlineMs}');
    const limits = channelSettingLimits(name as RecallChannelName);
    for (const field of Object.keys(value)) if (!(field in limits)) throw bad(`${path}.${field}`, `is not a setting of this channel (known: ${Object.keys(limits).join(', ')})`);
    for (const [field, { min, max }] of Object.entries(limits)) {
      const v = (value as Record<string, unknown>)[field];
      if (v === undefined && (OPTIONAL_SETTINGS.has(field) || !(field in RECALL_CHANNEL_LIMITS))) continue;
      if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) throw bad(`${path}.${field}`, `must be a number from ${min} to ${max}`);
    }
  }
  rerank.forEach((name, i) => {
    if (!(RERANK_STAGE_NAMES as readonly string[]).includes(name)) throw bad(`pipeline.rerank[${i}]`, `is not a re-rank stage (known: ${RERANK_STAGE_NAMES.join(', ')})`);
  });
}
