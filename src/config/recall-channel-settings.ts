import type { RecallChannelName } from './pipeline-section.js';

/**
 * Settings only some recall channels read, beside the budget every channel has (quota, pad, deadlineMs, minScore).
 * A setting given to a channel that does not read it is rejected, never silently ignored.
 */
export interface RecallChannelExtras {
  /** item-to-item, next-item: how many of the user's latest distinct items seed the channel. */
  lastEvents?: number;
  /** category: half-life in days of a history item's weight in the user's categories and tags (0 = no decay). */
  halfLifeDays?: number;
  /** fresh: items published (item createdAt) at most this many days before now; trending: the recent window. */
  windowDays?: number;
  /** trending: the baseline window before the recent one that a rise is measured against. */
  baselineDays?: number;
}

export type RecallChannelExtraName = keyof RecallChannelExtras;

/** Which extra settings each channel reads, with their allowed ranges. */
export const RECALL_CHANNEL_EXTRAS: Readonly<Partial<Record<RecallChannelName, Partial<Record<RecallChannelExtraName, { min: number; max: number }>>>>> = {
  'item-to-item': { lastEvents: { min: 1, max: 200 } },
  'next-item': { lastEvents: { min: 1, max: 200 } },
  category: { halfLifeDays: { min: 0, max: 36_500 } },
  fresh: { windowDays: { min: 0.01, max: 3650 } },
  trending: { windowDays: { min: 0.01, max: 3650 }, baselineDays: { min: 0.01, max: 36_500 } },
};

/** The extra settings a channel reads when config leaves them out. */
export const RECALL_CHANNEL_EXTRA_DEFAULTS: Required<RecallChannelExtras> = {
  lastEvents: 10,
  halfLifeDays: 90,
  windowDays: 7,
  baselineDays: 56,
};

/**
 * The value of an extra setting for a channel: the configured one, or the default.
 *
 * @example channelSetting(config.pipeline.recall['item-to-item'], 'lastEvents') // 10
 */
export function channelSetting(budget: RecallChannelExtras | undefined, name: RecallChannelExtraName): number {
  return budget?.[name] ?? RECALL_CHANNEL_EXTRA_DEFAULTS[name];
}
