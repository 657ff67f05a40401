import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { federatedUpdateOfRow, type FederatedUpdate } from '../../client/federated.js';
import { EngineError } from '../../core/errors.js';
import type { CsrMatrix, SparseRow } from '../../core/sparse.js';
import { accuracyMetrics } from '../../eval/metrics/evaluate.js';
import { foldInUser, type ItemSide } from '../../models/als/fold-in.js';
import { mulberry32, mulberry32At } from '../../models/linalg/random.js';
import { topByFactors } from '../../models/linalg/factor-similarity.js';
import { FederatedAlsServer, type FederatedServerOptions, type RoundReport } from './federated-server.js';

export interface FederatedSimulationOptions extends Omit<FederatedServerOptions, 'items'> {
  rounds: number;
  /** Calls `evaluate` after every this many rounds (and after the last). */
  evaluateEvery: number;
  /** Scores the item side after a round (e.g. validation NDCG@10); its values make the report's curve. */
  evaluate?: (side: ItemSide, round: number) => number;
  signal?: AbortSignal;
}

export interface FederatedSimulationReport {
  /** One entry per round: clients and update norms. */
  rounds: RoundReport[];
  /** `evaluate` after round r (1-based: rounds completed). */
  curve: Array<{ round: number; value: number }>;
  /** What one client sends per round: items × factors float32. */
  bytesPerClientPerRound: number;
  /** The final item side, ready for fold-in and scoring. */
  side: ItemSide;
}

/**
 * Simulates federated ALS over the rows of a training matrix, one simulated device per row: each round the server
 * samples clients, each computes its update with the device code (`kindred/federated`) from its own row only, and
 * the server applies their average. Deterministic for a seed (noise draws come from a seeded stream per round, where
 * real devices use a cryptographic source).
 *
 * @example const report = await simulateFederatedAls(setup.train.matrix, { factors: 64, ..., rounds: 100, evaluateEvery: 10, evaluate });
 */
export async function simulateFederatedAls(train: CsrMatrix, opts: FederatedSimulationOptions): Promise<FederatedSimulationReport> {
  if (!Number.isInteger(opts.rounds) || opts.rounds < 1) throw new EngineError('INVALID_INPUT', 'rounds must be a positive integer', { path: 'rounds' });
  if (!Number.isInteger(opts.evaluateEvery) || opts.evaluateEvery < 1) throw new EngineError('INVALID_INPUT', 'evaluateEvery must be a positive integer', { path: 'evaluateEvery' });
  const items = Array.from({ length: train.cols }, (_, i) => String(i));
  const server = new FederatedAlsServer({ ...opts, items });
  const rows = Array.from({ length: train.rows }, (_, u): SparseRow => ({ indices: train.rowIndices(u), values: train.rowData(u) }));
  const reports: RoundReport[] = [];
  const curve: FederatedSimulationReport['curve'] = [];
  for (let r = 0; r < opts.rounds; r++) {
    if (opts.signal?.aborted) throw new EngineError('CANCELLED', 'federated simulation cancelled');
    const model = server.roundModel();
    const random = mulberry32(Math.floor(mulberry32At(opts.seed ^ 0x5bd1e995, r) * 4294967296));
    const updates: FederatedUpdate[] = [];
    for (const u of server.sampleClients(train.rows)) updates.push(federatedUpdateOfRow(model, rows[u], { random }));
    reports.push(server.applyRound(updates));
    const done = r + 1;
    if (opts.evaluate && (done % opts.evaluateEvery === 0 || done === opts.rounds)) curve.push({ round: done, value: opts.evaluate(sideOf(server), done) });
    await yieldToLoop();
  }
  return { rounds: reports, curve, bytesPerClientPerRound: train.cols * opts.factors * 4, side: sideOf(server) };
}

function sideOf(server: FederatedAlsServer): ItemSide {
  const m = server.roundModel();
  return { itemFactors: m.itemFactors.slice(), itemGram: m.itemGram.slice(), stride: m.stride, alpha: m.alpha, regularization: m.regularization };
}

export interface ItemSideScoring {
  users: Int32Array;
  /** Each user's history (the fold-in input): training rows. */
  history: CsrMatrix;
  /** Items hidden per user (train, or train + valid). */
  exclude: (user: number) => Int32Array;
  truth: CsrMatrix;
  ks: number[];
}

/**
 * Accuracy metrics of an ALS item side when every user's vector is their exact fold-in against it (what a device
 * ranks with, `kindred/on-device`), with full ranking over the catalogue.
 *
 * @example itemSideMetrics(side, { users: setup.testUsers, history: setup.train.matrix, exclude: setup.testMask, truth: setup.test.matrix, ks: [10] })
 */
export function itemSideMetrics(side: ItemSide, s: ItemSideScoring): Record<string, number> {
  const k = Math.max(...s.ks);
  const n = side.itemFactors.length / side.stride;
  const lists = Array.from(s.users, (u) => {
    const x = foldInUser({ indices: s.history.rowIndices(u), values: s.history.rowData(u) }, side);
    return Int32Array.from(topByFactors(x, side.itemFactors, side.stride, n, { k, exclude: s.exclude(u) }), (r) => r.index);
  });
  return accuracyMetrics({ users: s.users, lists, truth: s.truth }, s.ks);
}
