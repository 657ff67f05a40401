import type { ItemId } from '../core/types.js';
import type { Candidate } from './candidates.js';

/** One re-rank stage's output, as the pipeline kept it (a reference to the list the stage returned, never a copy). */
export interface StageOutput {
  stage: string;
  out: readonly Candidate[];
}

/**
 * What one request's re-rank phase did, kept by reference: the fused list and each re-rank stage's output, in order.
 * Keeping it costs one small array per request; positions are worked out only when asked (movesOf).
 */
export interface MovementLog {
  fused: readonly Candidate[];
  reranks: StageOutput[];
}

/** An item's passage through one re-rank stage: 1-based positions before and after, or removed. */
export interface StageMove {
  stage: string;
  from: number;
  /** Undefined when the stage removed the item. */
  to?: number;
  removed?: boolean;
}

/** An item's whole passage: its fused position and score, and each re-rank stage that moved or removed it. */
export interface ItemMovement {
  itemId: ItemId;
  fused?: { position: number; score: number };
  moves: StageMove[];
  /** 1-based position after the last re-rank stage, before the cut to the list length; undefined when removed or never fused. */
  final?: number;
}

function positionIn(list: readonly Candidate[], itemId: ItemId): number {
  for (let i = 0; i < list.length; i++) if (list[i].itemId === itemId) return i + 1;
  return 0;
}

/**
 * How one item went through fusion and the re-rank stages: stages that left it where it was are not listed.
 *
 * @example movementOf(run.movement, 'i7') // { itemId: 'i7', fused: { position: 3, score: 0.4 }, moves: [{ stage: 'diversity', from: 3, to: 1 }], final: 1 }
 */
export function movementOf(log: MovementLog, itemId: ItemId): ItemMovement {
  const at = positionIn(log.fused, itemId);
  if (at === 0) return { itemId, moves: [] };
  const fused = { position: at, score: log.fused[at - 1].score };
  const moves: StageMove[] = [];
  let from = at;
  for (const { stage, out } of log.reranks) {
    const to = positionIn(out, itemId);
    if (to === 0) return { itemId, fused, moves: [...moves, { stage, from, removed: true }] };
    if (to !== from) moves.push({ stage, from, to });
    from = to;
  }
  return { itemId, fused, moves, final: from };
}

/**
 * The movements of the items a request ends with plus those a re-rank stage removed: what a "why" answer or a debug
 * trace reads. O((shown + removed) × stages) id lookups over lists of a few hundred candidates.
 *
 * @example movementsOf(run.movement, run.shown.map((c) => c.itemId))
 */
export function movementsOf(log: MovementLog, shownIds: readonly ItemId[]): ItemMovement[] {
  const removed = new Set<ItemId>();
  let before: readonly Candidate[] = log.fused;
  for (const { out } of log.reranks) {
    if (out !== before) {
      const kept = new Set(out.map((c) => c.itemId));
      for (const c of before) if (!kept.has(c.itemId)) removed.add(c.itemId);
    }
    before = out;
  }
  return [...shownIds, ...removed].map((id) => movementOf(log, id));
}
