import { systemClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import type { CsrMatrix } from '../../core/sparse.js';
import { CsrBuilder } from '../csr-builder.js';
import { fitControl } from '../fit-control.js';
import { withoutRow } from '../user-rows.js';
import { pairwiseSimilarity } from './similarity.js';
import { weightedItemUsers, type WeightingParams } from './weighting.js';

export interface ItemKnnForgetParams extends WeightingParams {
  neighbors: number;
  shrink: number;
}

/** The trained state that forgetting a user replaces. */
export interface ItemKnnRows {
  similarity: CsrMatrix;
  userItems: CsrMatrix;
}

/**
 * Item-kNN without one user, equal to fitting on the data without them, bit for bit: the model keeps every training
 * row (`userItems`), so similarities are recomputed from the rows that remain, but only where they can change.
 * With cosine or TF-IDF weighting an item's weighted row depends on its own users alone (a user's TF-IDF weight on
 * their own row length), so only similarities to the user's items T move:
 * - rows of T are recomputed in full (every positive similarity; the pruned row is its `neighbors` largest);
 * - any other row j keeps its similarities to items outside T; its pruned row is rebuilt from the kept entries outside
 *   T plus its new similarities to T (read from T's full rows: the kernel sums the same products in the same order from
 *   either side). That is exact when the row was not full (it held every candidate), or when its new `neighbors`-th
 *   entry is a kept one outside T or a similarity to T above the old worst kept value (every candidate pruned before
 *   ranked after all kept ones); otherwise, or on a float32 tie at the boundary, the row is recomputed.
 * BM25 normalises by the mean item length, which every user moves: all rows are recomputed. Every recomputed row runs
 * the fit's own kernel over the same values in the same order.
 *
 * @example const { similarity, userItems } = await forgetItemKnnUser(trained, 7, params);
 */
export async function forgetItemKnnUser(trained: ItemKnnRows, user: number, params: ItemKnnForgetParams): Promise<ItemKnnRows> {
  const userItems = withoutRow(trained.userItems, user);
  const weighted = weightedItemUsers(userItems, params);
  const n = weighted.rows;
  const control = fitControl({ logger: silentLogger, clock: systemClock }, n);
  const options = { neighbors: params.neighbors, shrink: params.shrink };
  if (params.weighting === 'bm25') return { similarity: await pairwiseSimilarity(weighted, options, control), userItems };
  const inT = new Uint8Array(n);
  for (const t of trained.userItems.rowIndices(user)) inT[t] = 1;
  const full = await pairwiseSimilarity(weighted, { ...options, neighbors: n, only: inT }, control);
  const toT = full.transpose();
  const rows: Array<Entry[] | undefined> = new Array<Entry[] | undefined>(n);
  const again = new Uint8Array(n);
  for (let j = 0; j < n; j++) {
    rows[j] = inT[j] === 1 ? prunedRow(entriesOf(full, j), params.neighbors) : rebuiltRow(trained.similarity, toT, j, inT, params.neighbors);
    if (!rows[j]) again[j] = 1;
  }
  const redone = again.includes(1) ? await pairwiseSimilarity(weighted, { ...options, only: again }, control) : undefined;
  const out = new CsrBuilder(n);
  for (let j = 0; j < n; j++) out.pushRow(redone && again[j] === 1 ? entriesOf(redone, j) : (rows[j] as Entry[]));
  return { similarity: out.build(n), userItems };
}

interface Entry { index: number; score: number }

function entriesOf(m: CsrMatrix, row: number): Entry[] {
  const cols = m.rowIndices(row);
  const data = m.rowData(row);
  return Array.from(cols, (index, p) => ({ index, score: data[p] }));
}

/**
 * The `neighbors` largest of a full row (sorted by column), as the kernel's top-k keeps them, or undefined on a float32
 * tie at the boundary (the kernel decides it on the float64 sums this row no longer has).
 */
function prunedRow(all: Entry[], neighbors: number): Entry[] | undefined {
  if (all.length <= neighbors) return all;
  const ranked = all.slice().sort((a, b) => b.score - a.score || a.index - b.index);
  if (ranked[neighbors].score === ranked[neighbors - 1].score) return undefined;
  return ranked.slice(0, neighbors).sort((a, b) => a.index - b.index);
}

/**
 * Row j's new pruned neighbours from its old entries outside T and its new similarities to T (sorted by column), or
 * undefined when they cannot be known without recomputing the row (see forgetItemKnnUser).
 */
function rebuiltRow(old: CsrMatrix, toT: CsrMatrix, j: number, inT: Uint8Array, neighbors: number): Entry[] | undefined {
  const before = entriesOf(old, j);
  const kept = before.filter((e) => inT[e.index] !== 1);
  if (before.length < neighbors) return [...kept, ...entriesOf(toT, j)].sort((a, b) => a.index - b.index); // it held every candidate
  // A new similarity below the old worst kept value could only close the row, which needs a recomputation anyway.
  const threshold = Math.min(...before.map((e) => e.score));
  const cols = toT.rowIndices(j);
  const sims = toT.rowData(j);
  const candidates = kept;
  for (let p = 0; p < cols.length; p++) if (sims[p] >= threshold) candidates.push({ index: cols[p], score: sims[p] });
  if (candidates.length < neighbors) return undefined;
  candidates.sort((a, b) => b.score - a.score || a.index - b.index);
  const last = candidates[neighbors - 1];
  if (candidates.length > neighbors && candidates[neighbors].score === last.score) return undefined; // order unknown in float32
  // Every pruned candidate ranked after each kept entry: a kept entry outside T (unchanged) may close the row; a new
  // similarity to T must beat the old worst kept value.
  if (inT[last.index] === 1 && last.score <= threshold) return undefined;
  return candidates.slice(0, neighbors).sort((a, b) => a.index - b.index);
}
