/**
 * ALS fold-in alone (src/models/als/fold-in.ts `userSystem`): the k × k system of one history against fixed item
 * factors and its Cholesky factor, the step every live ALS request (recall and reasons), every fusion-learning row and
 * every user of differentially private ALS runs. Seeded factors of 100,000 items × 64 and 500 seeded histories of
 * FOLD_IN_HISTORY items (default 47, the items100k log's mean), timed in rounds over all of them; the median round's
 * microseconds per system. `npm run bench -- als-fold-in`; compare two trees by running it in each in turn.
 */
import type { BenchResult } from './harness.js';
import { userSystem, type ItemSide } from '../src/models/als/fold-in.js';
import { mulberry32 } from '../src/models/linalg/random.js';

const ITEMS = 100_000;
const K = 64;
const HISTORIES = 500;
const ROUNDS = 9;

export async function run(): Promise<BenchResult[]> {
  const rand = mulberry32(17);
  const itemFactors = Float32Array.from({ length: ITEMS * K }, () => (rand() - 0.5) * 0.2);
  // a Gram matrix of part of the items keeps the system positive definite as a trained model's YᵀY does
  const itemGram = new Float32Array(K * K);
  for (let i = 0; i < 5_000; i++) {
    for (let a = 0; a < K; a++) for (let b = 0; b < K; b++) itemGram[a * K + b] += itemFactors[i * K + a] * itemFactors[i * K + b];
  }
  const side: ItemSide = { itemFactors, itemGram, stride: K, alpha: 10, regularization: 0.00015 };
  const length = Number(process.env.FOLD_IN_HISTORY ?? 47);
  const rows = Array.from({ length: HISTORIES }, () => ({
    indices: Int32Array.from({ length }, () => Math.floor(rand() * ITEMS)).sort(),
    values: new Float32Array(length).fill(1),
  }));
  const rounds: number[] = [];
  let sink = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = process.hrtime.bigint();
    for (const row of rows) sink += userSystem(row, side).factor[0];
    rounds.push(Number(process.hrtime.bigint() - t0) / 1e3 / HISTORIES);
  }
  rounds.sort((a, b) => a - b);
  return [{
    name: 'als.fold-in.user-system', dataset: `synthetic ${ITEMS} items x ${K}`, metric: 'median us per system', value: rounds[ROUNDS >> 1], unit: 'us',
    extra: { history: length, fastestRound: Number(rounds[0].toFixed(1)), checksum: Number(sink.toFixed(3)) },
  }];
}
