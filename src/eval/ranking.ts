import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { EngineError } from '../core/errors.js';
import type { CsrMatrix, SparseRow } from '../core/sparse.js';
import { hasBlockScoring, type BlockScorer, type Model } from '../models/model.js';
import { threadCount } from '../models/workers/pool.js';
import { blockRankTask, blockRows, rankBlock, taskLists } from './block-ranking.js';
import { rankInWorkers, restorableInWorkers } from './block-workers.js';
import { mergeSorted } from './matrix.js';
import { createRandom, type Random } from './random.js';

export interface RankOptions {
  /** Users to rank for. */
  users: Int32Array;
  /** Length of each list (the largest K). */
  k: number;
  /** Items to hide per user (train, or train+valid), by user index. */
  exclude: (user: number) => Int32Array;
  /**
   * Score each user from this history row (time order, folded in by the model) instead of the rows the model was
   * fitted on: events after its training. Ranks per user through recommend(): block scoring reads trained rows.
   */
  history?: (user: number) => SparseRow;
  /** Sampled evaluation: rank only these items per user (same order as `users`). */
  candidates?: Int32Array[];
  /** Users per batch between progress reports / cancellation checks (per-user path). */
  batchSize?: number;
  /**
   * Full ranking of a model with block scoring (BlockScoring) scores users in blocks by matrix products, on worker
   * threads when the job is large; false keeps the per-user recommend() path. Default true.
   */
  blockScoring?: boolean;
  /** Threads for block scoring (default: every core); 1 scores on the calling thread. */
  threads?: number;
  /** Memory for one block of scores per thread, bytes (default 32 MiB): rows per block = budget / (4 · items). */
  blockBytes?: number;
  /**
   * Block scoring starts worker threads from this many user × item scores (default 5·10⁸): below it, starting them
   * (each restores the model) costs more than it saves.
   */
  minParallelScores?: number;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

/**
 * Top-k lists of a trained model for many users, with each user's `exclude` mask (full ranking) or candidate set
 * (sampled ranking). Full ranking of a model that scores blocks (BlockScoring) goes by blocks of users sized to a
 * memory budget, across worker threads for large jobs; other models and sampled ranking call recommend() per user.
 * Works in batches and yields to the event loop between them so progress and aborts get through.
 *
 * @example const lists = await rankUsers(model, { users, k: 20, exclude: (u) => train.matrix.rowIndices(u) })
 */
export async function rankUsers(model: Model<object>, opts: RankOptions): Promise<Int32Array[]> {
  const scorer = !opts.candidates && !opts.history && opts.blockScoring !== false && hasBlockScoring(model) ? model.blockScorer() : undefined;
  if (scorer) return rankByBlocks(model, scorer, opts);
  const { users, k } = opts;
  const batch = opts.batchSize ?? 256;
  const lists: Int32Array[] = new Array(users.length);
  for (let start = 0; start < users.length; start += batch) {
    if (opts.signal?.aborted) throw new EngineError('CANCELLED', 'evaluation cancelled');
    const end = Math.min(users.length, start + batch);
    for (let idx = start; idx < end; idx++) {
      const user = opts.history ? opts.history(users[idx]) : users[idx];
      const scored = opts.candidates
        ? model.recommend({ user, k, candidates: opts.candidates[idx] })
        : model.recommend({ user, k, exclude: opts.exclude(users[idx]) });
      lists[idx] = Int32Array.from(scored.slice(0, k), (s) => s.index);
    }
    opts.onProgress?.(end, users.length);
    await yieldToLoop();
  }
  return lists;
}

/** Default memory for one block of scores per thread. */
const BLOCK_BYTES = 32 * 2 ** 20;
/** Below this many user × item scores, starting workers (restoring the model in each) costs more than it saves. */
const WORKER_MIN_SCORES = 500_000_000;

/** Full ranking by blocks of users: on worker threads for large jobs, else block by block on this thread. */
async function rankByBlocks(model: Model<object>, scorer: BlockScorer, opts: RankOptions): Promise<Int32Array[]> {
  const { users, k } = opts;
  const rows = Math.min(users.length, blockRows(scorer.items, opts.blockBytes ?? BLOCK_BYTES));
  const threads = threadCount(opts.threads);
  const parallel = threads > 1 && users.length > rows && users.length * scorer.items >= (opts.minParallelScores ?? WORKER_MIN_SCORES) && restorableInWorkers(model);
  const task = blockRankTask(users, k, opts.exclude, parallel);
  if (parallel) {
    await rankInWorkers(model, task, { threads, rows, signal: opts.signal, onProgress: opts.onProgress });
    return taskLists(task);
  }
  const scratch = new Float32Array(Math.max(1, rows) * scorer.items);
  for (let start = 0; start < users.length; start += rows) {
    if (opts.signal?.aborted) throw new EngineError('CANCELLED', 'evaluation cancelled');
    const end = Math.min(users.length, start + rows);
    rankBlock(scorer, task, start, end, scratch);
    opts.onProgress?.(end, users.length);
    await yieldToLoop();
  }
  return taskLists(task);
}

/**
 * Candidate sets for sampled evaluation: each user's relevant items plus `negatives` random items per relevant item,
 * drawn without replacement from items the user never interacted with (`seen` = all of the user's known items).
 *
 * @example sampleCandidates(users, test.matrix, (u) => allSeen(u), nItems, 99, 42)
 */
export function sampleCandidates(
  users: Int32Array,
  truth: CsrMatrix,
  seen: (user: number) => Int32Array,
  nItems: number,
  negatives: number,
  seed: number,
): Int32Array[] {
  const rng = createRandom(seed);
  return Array.from(users, (u) => {
    const relevant = truth.rowIndices(u);
    const known = mergeSorted(seen(u), relevant);
    const wanted = Math.min(negatives * relevant.length, nItems - known.length);
    return mergeSorted(relevant, drawUnseen(known, nItems, wanted, rng));
  });
}

function drawUnseen(known: Int32Array, nItems: number, wanted: number, rng: Random): Int32Array {
  const knownSet = new Set(known);
  const picked = new Set<number>();
  // Rejection sampling is fast while the user's known items are a small part of the catalogue; otherwise enumerate.
  if (known.length + wanted < nItems / 2) {
    while (picked.size < wanted) {
      const i = rng.int(nItems);
      if (!knownSet.has(i)) picked.add(i);
    }
  } else {
    const pool: number[] = [];
    for (let i = 0; i < nItems; i++) if (!knownSet.has(i)) pool.push(i);
    for (let j = 0; j < wanted; j++) {
      const pick = j + rng.int(pool.length - j);
      [pool[j], pool[pick]] = [pool[pick], pool[j]];
      picked.add(pool[j]);
    }
  }
  return Int32Array.from(picked).sort();
}
