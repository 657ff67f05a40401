import { explainCandidates, type CandidateEvidence } from '../../care/explain.js';
import { maxPopularity, popularityOf } from '../../care/item-popularity.js';
import type { Reason, Recommendation } from '../../core/types.js';
import { hasExplainer } from '../../models/model.js';
import { evidenceOf, loadItemMap, type Candidate } from '../candidates.js';
import { attributeToHistory, popularReason } from '../evidence.js';
import type { RecommendContext } from '../request-context.js';
import type { Stage } from '../stage.js';
import type { RecallChannel } from './recall/channel.js';

/** How many contributing history items a reason names at most. */
const EXPLAIN_TOP = 3;

/** The reason that needs no history, by the evidence kind of the channel that placed the item. */
function channelReasons(kind: string, score: number, ctx: RecommendContext): Reason[] {
  // The content channels' general reason rests on the channel's score: no history item was named for it.
  const channel = [{ kind: 'channel' as const, id: kind, value: score }];
  switch (kind) {
    case 'popular':
      return [popularReason(score, ctx.bundle.models.popular.params, ctx.row.indices.length > 0)];
    case 'query': {
      const text = (ctx.query?.text ?? '').slice(0, 80);
      return [{ kind: 'query', text: `Matches your search "${text}"`, evidence: [{ kind: 'query', id: ctx.query?.text ?? '', value: score }] }];
    }
    case 'semantic':
      return [{ kind: 'semantic', text: 'Close in content to what you like', evidence: channel }];
    case 'cold-items':
      return [{ kind: 'new-item', text: 'New here, and close in content to what you like', evidence: channel }];
    case 'fresh':
      return [{ kind: 'fresh', text: 'New, and close in content to what you like', evidence: channel }];
    default:
      return [];
  }
}

/** The popularity behind each item the long-tail stage brought into the list, and the catalogue's largest. */
function lessKnownCounts(candidates: Candidate[], ctx: RecommendContext): Map<string, { popularity: number; most: number }> {
  const flagged = candidates.filter((c) => c.lessKnown);
  if (flagged.length === 0) return new Map();
  const counts = popularityOf(ctx.bundle, Int32Array.from(flagged, (c) => ctx.bundle.items.indexOf(c.itemId) ?? -1));
  const most = maxPopularity(ctx.bundle);
  return new Map(flagged.map((c, i) => [c.itemId, { popularity: counts[i], most }]));
}

/**
 * Reasons, built last from each shown candidate's provenance: the channel that placed it, the history items its
 * channel's model credits (Explainer), or, for a collaborative score that cannot be split, the most similar history
 * item (evidence.ts); then worded by care/explain.ts. Only the shown items are explained.
 *
 * @example const items = await explainStage(channels).run(shown, ctx)
 */
export function explainStage(channels: readonly RecallChannel[]): Stage<Candidate[], Recommendation[], RecommendContext> {
  const byName = new Map<string, RecallChannel>(channels.map((c) => [c.name, c]));
  return {
    kind: 'explain',
    name: 'reasons',
    async run(candidates, ctx) {
      const { bundle } = ctx;
      const lessKnown = lessKnownCounts(candidates, ctx);
      const evidence: CandidateEvidence[] = candidates.map((c) => {
        const channel = byName.get(c.via);
        const source = channel?.because ? undefined : channel?.evidence(ctx);
        const index = bundle.items.indexOf(c.itemId);
        // a list served again from the cache carries the credits its first run found (same model, same history)
        c.because ??= (index === undefined ? []
          : channel?.because ? channel.because(ctx, index)
            : source && hasExplainer(source.model) ? source.model.explain(source.user, index) : [])
          .filter((x) => x.weight > 0).slice(0, EXPLAIN_TOP).map((x) => ({ itemId: bundle.items.idAt(x.item), weight: x.weight }));
        const kind = evidenceOf(c);
        const own = index !== undefined && channel?.reasons && kind === channel.name ? channel.reasons(ctx, index, c.score) : undefined;
        return {
          itemId: c.itemId,
          score: c.score,
          channel: kind,
          ...(c.via !== kind ? { placedBy: c.via } : {}),
          because: c.because,
          reasons: own ?? channelReasons(kind, c.score, ctx),
          item: c.item,
          ...(c.variety ? { variety: true } : {}),
          ...(lessKnown.has(c.itemId) ? { lessKnown: lessKnown.get(c.itemId) } : {}),
        };
      });
      const attributed = ctx.profile ? attributeToHistory(bundle, ctx.cfRow, evidence) : evidence;
      const lookup = await loadItemMap(ctx.store, attributed.flatMap((c) => c.because.map((b) => b.itemId)));
      return explainCandidates(attributed, { lookup, typeOf: ctx.profile?.typeOf });
    },
  };
}
