import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InteractionMatrix } from '../core/interactions.js';
import { InteractionsBuilder } from '../models/interactions-builder.js';
import { mulberry32 } from '../models/linalg/random.js';
import type { Model } from '../models/model.js';

/**
 * A quick offline check for model tests (the full protocols live in src/eval): a per-user random holdout and
 * NDCG / hit rate at k with the user's training items excluded.
 */
export interface Holdout {
  train: InteractionMatrix;
  /** Per user index, the held-out item indexes (empty for users that kept everything). */
  test: Int32Array[];
}

export interface HoldoutOptions {
  /** Share of each user's ratings held out (at least one per user with `minRatings`). Default 0.2. */
  fraction?: number;
  /** Users with fewer ratings keep all of them in training. Default 5. */
  minRatings?: number;
  seed?: number;
  /** 'random' (default) holds out a random share; 'last' holds out each user's latest ratings by time. */
  pick?: 'random' | 'last';
}

/**
 * Reads MovieLens 100K (`u.data`: user, item, rating, unix seconds) and holds out a share of every user's ratings
 * (random, or the latest). Training weights are the star ratings; every catalogue item keeps its index.
 *
 * @example const h = movieLens100kHoldout(testDataset('ml-100k')!, { seed: 7 }); evaluateTopK(model, h, 10)
 */
export function movieLens100kHoldout(dir: string, opts: HoldoutOptions = {}): Holdout {
  const lines = readFileSync(join(dir, 'u.data'), 'utf8').split('\n').filter((l) => l.trim() !== '');
  const rows = lines.map((l) => l.split('\t'));
  const byUser = new Map<string, number[]>();
  rows.forEach((r, j) => {
    const list = byUser.get(r[0]);
    if (list) list.push(j);
    else byUser.set(r[0], [j]);
  });
  const random = mulberry32(opts.seed ?? 1); // seeded so holdouts are reproducible
  const heldOut = new Uint8Array(rows.length);
  for (const list of byUser.values()) {
    if (list.length < (opts.minRatings ?? 5)) continue;
    const n = Math.max(1, Math.round(list.length * (opts.fraction ?? 0.2)));
    if (opts.pick === 'last') {
      const latestFirst = list.slice().sort((a, b) => Number(rows[b][3]) - Number(rows[a][3]) || b - a);
      for (let j = 0; j < n; j++) heldOut[latestFirst[j]] = 1;
      continue;
    }
    // partial Fisher-Yates: the first n of a shuffled copy are held out
    const order = list.slice();
    for (let j = 0; j < n; j++) {
      const pick = j + Math.floor(random() * (order.length - j));
      [order[j], order[pick]] = [order[pick], order[j]];
      heldOut[order[j]] = 1;
    }
  }
  const items = [...new Set(rows.map((r) => r[1]))];
  const builder = new InteractionsBuilder({ items, users: [...byUser.keys()], capacity: rows.length });
  const test: number[][] = Array.from({ length: byUser.size }, () => []);
  rows.forEach((r, j) => {
    if (heldOut[j]) test[builder.users.add(r[0])].push(builder.items.add(r[1]));
    else builder.add(r[0], r[1], Number(r[2]), Number(r[3]) * 1000);
  });
  return { train: builder.build(), test: test.map((t) => Int32Array.from(t)) };
}

export interface TopKQuality {
  ndcg: number;
  hitRate: number;
  recall: number;
  users: number;
}

/**
 * Mean NDCG@k (binary gain), hit rate@k and recall@k over users with held-out items, training items excluded.
 *
 * @example const { ndcg } = evaluateTopK(model, holdout, 10);
 */
export function evaluateTopK(model: Model<object>, holdout: Holdout, k = 10): TopKQuality {
  let ndcg = 0;
  let hits = 0;
  let recall = 0;
  let users = 0;
  for (let u = 0; u < holdout.test.length; u++) {
    const relevant = new Set(holdout.test[u]);
    if (relevant.size === 0) continue;
    users++;
    const list = model.recommend({ user: u, k, exclude: holdout.train.matrix.rowIndices(u) });
    let dcg = 0;
    let found = 0;
    list.forEach((s, rank) => {
      if (!relevant.has(s.index)) return;
      dcg += 1 / Math.log2(rank + 2);
      found++;
    });
    let ideal = 0;
    for (let r = 0; r < Math.min(k, relevant.size); r++) ideal += 1 / Math.log2(r + 2);
    ndcg += dcg / ideal;
    hits += found > 0 ? 1 : 0;
    recall += found / relevant.size;
  }
  return { ndcg: ndcg / users, hitRate: hits / users, recall: recall / users, users };
}
