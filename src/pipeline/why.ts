import type { Item, ItemId, Reason, UserId } from '../core/types.js';
import type { RerankStageName } from '../config/pipeline-section.js';
import { isAvailable, type Candidate } from './candidates.js';
import { movementOf, type StageMove } from './movement.js';
import { runPipeline } from './pipeline.js';
import type { PipelineStages } from './registry.js';
import type { RecommendContext } from './request-context.js';
import type { StageTrace } from './stage.js';

/** Where the item stands in the user's list, or what kept it out. */
export type WhyVerdict =
  | 'shown' | 'consumed' | 'not-interested' | 'excluded' | 'unavailable' | 'filtered' | 'removed' | 'below-cut' | 'not-recalled';

/** A re-rank stage that moved or removed the item, with what the stage does in words. */
export interface WhyMove extends StageMove {
  does: string;
}

/** The answer to "why am I seeing this?" (or "why not?"). Positions and ranks are 1-based. */
export interface WhyResult {
  userId: UserId;
  itemId: ItemId;
  title?: string;
  verdict: WhyVerdict;
  /** The verdict in words. */
  text: string;
  /** The list length the request asked for. */
  count: number;
  /** Its place in the list, when shown. */
  position?: number;
  /** Each recall channel that proposed it, with its rank and score in that channel's list. */
  channels: Array<{ channel: string; rank: number; score: number }>;
  /** Its place and score after fusion, when it got that far. */
  fused?: { position: number; score: number };
  /** Each re-rank stage that moved it (from, to) or removed it. */
  moves: WhyMove[];
  /** Its reasons, as the list would give them (also for an item ranked below the cut or removed by a stage). */
  reasons: Reason[];
  trace: StageTrace[];
}

/** What each built-in re-rank stage does, for the answer's words; a stage not listed is named by its name. */
// Typed by the stage names, so a new re-rank stage cannot ship without its words.
const STAGE_DOES: Readonly<Record<RerankStageName, string>> = {
  fatigue: 'fades items shown to you often without you taking them up, and leaves out those shown too often',
  diversity: 'varies the list, trading the fused order against likeness to the items above',
  calibration: "matches the list's mix of categories to your own",
  'short-term-slot': 'keeps the best item for your newest activity in the last shown place',
  'interest-preferences': 'applies the interests you muted or boosted',
  'llm-rerank': 'lets a language model reorder the head of the list',
  budget: 'keeps the list within your daily budget and above the quality floor',
  'negative-feedback': 'shows less of the categories, tags and look-alikes of what you turned down',
  'long-tail': 'gives less-known items that suit you a fair share of the list',
  gentle: 'moves distressing items down while your own recent words are strongly negative (gentle mode)',
};

/**
 * What a re-rank stage does, in words.
 *
 * @example stageDoes('fatigue') // 'fades items shown to you often ...'
 */
export function stageDoes(stage: string): string {
  return Object.hasOwn(STAGE_DOES, stage) ? STAGE_DOES[stage as RerankStageName] : `re-ranks the list (stage "${stage}")`;
}

/** The checks that keep an item out before any channel runs, in the order the filter applies them. */
function keptOut(item: Item, ctx: RecommendContext, excluded: ReadonlySet<ItemId>): { verdict: WhyVerdict; text: string } | undefined {
  if (ctx.profile?.negatives.has(item.id)) return { verdict: 'not-interested', text: 'You said you were not interested in it, so it is never shown to you' };
  if (excluded.has(item.id)) return { verdict: 'excluded', text: 'This request excluded it' };
  if (ctx.blocked.has(item.id)) return { verdict: 'consumed', text: 'You already chose it, and lists leave out what you have chosen' };
  if (!isAvailable(item, ctx.clock.now())) return { verdict: 'unavailable', text: 'It is hidden or expired, so it is not recommended to anyone' };
  if (ctx.keepItem && !ctx.keepItem(item)) return { verdict: 'filtered', text: "The request's filter or the scenario's rule keeps it out" };
  return undefined;
}

const channelsOf = (c: Candidate | undefined): WhyResult['channels'] =>
  Object.entries(c?.scores ?? {}).map(([channel, s]) => ({ channel, rank: s.rank + 1, score: s.score })).sort((a, b) => a.rank - b.rank);

/**
 * Runs the user's list live (never from the list cache, so every stage's effect is seen) and says where `item` stands:
 * shown (its place, the channels that recalled it, its fused place, the stages that moved it, its reasons), or what
 * kept it out: negative feedback, the request's excludes, already consumed, unavailable, a filter, a stage that
 * removed it, the cut, or no channel recalling it.
 *
 * @example const why = await whyItem(stages, ctx, item, new Set())
 */
export async function whyItem(stages: PipelineStages, ctx: RecommendContext, item: Item, excluded: ReadonlySet<ItemId>): Promise<WhyResult> {
  const base = { userId: ctx.userId ?? '', itemId: item.id, ...(item.title !== undefined ? { title: item.title } : {}), count: ctx.count };
  const out = keptOut(item, ctx, excluded);
  if (out) return { ...base, ...out, channels: [], moves: [], reasons: [], trace: ctx.trace };
  const run = await runPipeline(stages, ctx);
  const shownAt = run.shown.findIndex((c) => c.itemId === item.id);
  const movement = run.movement ? movementOf(run.movement, item.id) : { itemId: item.id, moves: [] };
  const moves = movement.moves.map((m) => ({ ...m, does: stageDoes(m.stage) }));
  const fusedCandidate = run.movement?.fused.find((c) => c.itemId === item.id);
  const recalled = fusedCandidate ?? run.recalled?.find((c) => c.itemId === item.id);
  const trail = { channels: channelsOf(recalled), ...(movement.fused ? { fused: movement.fused } : {}), moves, trace: ctx.trace };
  if (shownAt >= 0) {
    return { ...base, verdict: 'shown', text: `Shown at place ${shownAt + 1} of ${run.shown.length}`, position: shownAt + 1, reasons: run.items[shownAt].reasons, ...trail };
  }
  if (!recalled) {
    return { ...base, verdict: 'not-recalled', text: 'No recall channel proposed it for you: neither your history nor any list the channels keep points to it', reasons: [], ...trail };
  }
  // Explained as if shown: the reasons it would carry (the explain stage is run directly, so it adds no trace entry).
  const explained = await stages.explain.run([fusedCandidate ?? recalled], ctx);
  const reasons = Array.isArray(explained) ? explained[0]?.reasons ?? [] : explained.out[0]?.reasons ?? [];
  const removal = moves.find((m) => m.removed);
  if (removal) return { ...base, verdict: 'removed', text: `Removed at place ${removal.from} by the ${removal.stage} stage, which ${removal.does}`, reasons, ...trail };
  if (!fusedCandidate) return { ...base, verdict: 'removed', text: `Recalled, but left out by the ${stages.fuse.name} fusion`, reasons, ...trail };
  const place = movement.final ?? 0;
  return { ...base, verdict: 'below-cut', text: `Ranked at place ${place}, below the cut at ${ctx.count}`, reasons, ...trail };
}
