import type { Candidate } from '../candidates.js';
import type { RecommendContext } from '../request-context.js';
import type { Stage } from '../stage.js';

/** One recall channel's answer: its candidates and how many it was asked for; empty and `degraded` when it failed. */
export interface ChannelList {
  channel: string;
  k: number;
  candidates: Candidate[];
  degraded?: string;
}

/** The merged candidates and what each channel answered (fusion reads which channels ran and how full they were). */
export interface Merged {
  candidates: Candidate[];
  channels: ChannelList[];
}

/**
 * Union of the channels' candidates by item: one candidate per item with every channel's score and rank. Its `via` is
 * the first channel (in config order) that found it, until fusion decides.
 *
 * @example const { candidates } = await mergeStage.run([cfList, popularList], ctx)
 */
export const mergeStage: Stage<ChannelList[], Merged, RecommendContext> = {
  kind: 'merge',
  name: 'merge',
  async run(lists) {
    const byItem = new Map<string, Candidate>();
    for (const list of lists) {
      for (const c of list.candidates) {
        const seen = byItem.get(c.itemId);
        if (seen) byItem.set(c.itemId, { ...seen, scores: { ...seen.scores, ...c.scores } });
        else byItem.set(c.itemId, c);
      }
    }
    return { candidates: [...byItem.values()], channels: lists };
  },
};
