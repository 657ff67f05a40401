import { EngineError } from '../core/errors.js';

/** The recall channels the pipeline knows (src/pipeline/stages/recall/, one file each). */
export const RECALL_CHANNEL_NAMES = ['cf', 'semantic', 'cold-items', 'popular', 'query', 'ensemble'] as const;
export type RecallChannelName = (typeof RECALL_CHANNEL_NAMES)[number];

/** The re-rank stages the pipeline knows, run in the configured order after fusion. */
export const RERANK_STAGE_NAMES = ['llm-rerank'] as const;
export type RerankStageName = (typeof RERANK_STAGE_NAMES)[number];

/** The fusion stages the pipeline knows. */
export const FUSE_STAGE_NAMES = ['main-first', 'rrf', 'learned'] as const;
export type FuseStageName = (typeof FUSE_STAGE_NAMES)[number];

/**
 * The extra collaborative models trained beside the main one (config train.channels), each with its default params:
 * ALS and item-kNN add what EASE or item-kNN alone miss (docs/fusion.md has the measurements).
 */
export const DEFAULT_TRAIN_CHANNELS: Record<string, Record<string, unknown>> = { als: {}, itemknn: {} };

/** One recall channel's budget: it recalls `quota × list length + pad` candidates within `deadlineMs`. */
export interface RecallChannelConfig {
  quota: number;
  pad: number;
  deadlineMs: number;
}

export const DEFAULT_RECALL_CHANNELS: Record<RecallChannelName, RecallChannelConfig> = {
  cf: { quota: 3, pad: 10, deadlineMs: 2000 },
  semantic: { quota: 3, pad: 10, deadlineMs: 2000 },
  // New items compete for the user's best `list length` items by content; fusion gives them a share of the list.
  'cold-items': { quota: 1, pad: 0, deadlineMs: 2000 },
  popular: { quota: 3, pad: 10, deadlineMs: 2000 },
  query: { quota: 3, pad: 10, deadlineMs: 2000 },
  // The extra collaborative models of config train.channels, each recalling this many (see recall/ensemble.ts).
  ensemble: { quota: 3, pad: 10, deadlineMs: 2000 },
};

export const RECALL_CHANNEL_LIMITS: Record<keyof RecallChannelConfig, { min: number; max: number }> = {
  quota: { min: 0, max: 100 },
  pad: { min: 0, max: 10_000 },
  deadlineMs: { min: 1, max: 60_000 },
};

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
    for (const field of Object.keys(value)) if (!(field in RECALL_CHANNEL_LIMITS)) throw bad(`${path}.${field}`, 'is not a channel setting (known: quota, pad, deadlineMs)');
    for (const [field, { min, max }] of Object.entries(RECALL_CHANNEL_LIMITS)) {
      const v = (value as Record<string, unknown>)[field];
      if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) throw bad(`${path}.${field}`, `must be a number from ${min} to ${max}`);
    }
  }
  rerank.forEach((name, i) => {
    if (!(RERANK_STAGE_NAMES as readonly string[]).includes(name)) throw bad(`pipeline.rerank[${i}]`, `is not a re-rank stage (known: ${RERANK_STAGE_NAMES.join(', ')})`);
  });
}
