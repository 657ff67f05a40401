import type { Candidate } from '../../candidates.js';
import type { RecallChannel } from './channel.js';
import { fromScored } from './from-model.js';

/**
 * The extra collaborative models trained beside the main one (config train.channels, e.g. als and itemknn), each
 * folding in the live history row and recalling its own list. Each model's score and rank are kept under the model's
 * name (candidate.scores.als, ...), so fusion sees them as separate channels; merged here into one list per item.
 *
 * @example await ensembleChannel.run({ k: 40, signal }, ctx)
 */
export const ensembleChannel: RecallChannel = {
  kind: 'recall',
  name: 'ensemble',
  applies: (ctx) => !ctx.query && ctx.cfRow.indices.length > 0 && Object.keys(ctx.bundle.channels ?? {}).length > 0,
  traceName: (ctx) => `ensemble:${Object.keys(ctx.bundle.channels ?? {}).join('+')}`,
  async run({ k }, ctx) {
    const byItem = new Map<string, Candidate>();
    for (const [name, model] of Object.entries(ctx.bundle.channels ?? {})) {
      const scored = model.recommend({ user: ctx.cfRow, k, exclude: ctx.blockedIndexes.trained });
      for (const c of fromScored(name, scored, ctx.bundle.items, 'cf')) {
        const seen = byItem.get(c.itemId);
        byItem.set(c.itemId, seen ? { ...seen, scores: { ...seen.scores, ...c.scores } } : c);
      }
    }
    return [...byItem.values()];
  },
  // Reasons for an ensemble candidate come from the history item closest to it (pipeline/evidence.ts).
  evidence: () => undefined,
};
