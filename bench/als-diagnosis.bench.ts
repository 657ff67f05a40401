/**
 * Why ALS can score no better than popularity on a sparse, long-tailed catalogue (issue 15): on one synthetic slice,
 * the eval-scale split (ratio protocol, per-user random 80/10/10, seed 42, full ranking), popularity, item-kNN and
 * ALS under several settings, each with validation and test NDCG@10, and for each ALS fit what its factors look
 * like: how much of the item Gram YᵀY (and so of every user's score vector) lies along its leading direction, how
 * closely item-factor norms follow item popularity, and how much of each ALS top-10 is popularity's top-10.
 *
 * `ALS_DIAG_DATA=ml1m KINDRED_DATA_DIR=/work/shared/data nice -n 10 npm run bench -- als-diagnosis`
 * - ALS_DIAG_DATA: `ml1m` (SYNTHETIC_SIZES.ml1m), `items100k` (all of it), or `items100k/5` (every 5th user of it).
 * - ALS_DIAG_SETTINGS: a JSON array of explicit ALS params, one fit each (default: the sweep below).
 * - ALS_DIAG_USERS: rank an evenly strided sample of about this many valid and test users (default 5000).
 * - ALS_DIAG_BASELINES=0 skips popularity and item-kNN.
 */
import { RatingsTableBuilder, type RatingsTable } from '../src/eval/dataset.js';
import { accuracyMetrics } from '../src/eval/metrics/evaluate.js';
import { rankUsers } from '../src/eval/ranking.js';
import { prepareEvaluation, type EvalSetup } from '../src/eval/setup.js';
import { silentLogger } from '../src/core/logger.js';
import { dataShape } from '../src/models/data-shape.js';
import type { Model } from '../src/models/model.js';
import { modelDefinition } from '../src/models/registry.js';
import { resolveParams } from '../src/models/scaled-defaults.js';
import type { BenchResult } from './harness.js';
import { forEachSyntheticEvent, SYNTHETIC_SIZES } from './synthetic/log.js';

const DEFAULT_SETTINGS: Record<string, unknown>[] = [
  {},
  { regularization: 0.005 },
  { regularization: 0.001 },
  { regularization: 0.0002 },
  { alpha: 10 },
  { alpha: 10, regularization: 0.005 },
];
const RANKED_USERS = Number(process.env.ALS_DIAG_USERS ?? 5000);

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** The chosen synthetic slice as a ratings table (weight 1, unix seconds); `/n` keeps every n-th user. */
function syntheticTable(name: string): RatingsTable {
  const [size, every] = name.split('/');
  const spec = SYNTHETIC_SIZES[size as keyof typeof SYNTHETIC_SIZES];
  if (!spec) throw new Error(`unknown ALS_DIAG_DATA ${name}`);
  const stride = Number(every ?? 1);
  const builder = new RatingsTableBuilder();
  forEachSyntheticEvent(spec, (u, i, t) => {
    if (u % stride === 0) builder.push(`u${u}`, `i${i}`, 1, Math.floor(t / 1000));
  });
  return builder.build(name);
}

function strided(users: Int32Array): Int32Array {
  if (!(RANKED_USERS > 0) || RANKED_USERS >= users.length) return users;
  const step = users.length / RANKED_USERS;
  return Int32Array.from({ length: RANKED_USERS }, (_, j) => users[Math.floor(j * step)]);
}

interface Scored { valid: number; test: number; testLists: Int32Array[] }

async function score(setup: EvalSetup, model: Model<object>, users: { valid: Int32Array; test: Int32Array }): Promise<Scored> {
  const valid = await rankUsers(model, { users: users.valid, k: 10, exclude: setup.validMask });
  const testLists = await rankUsers(model, { users: users.test, k: 10, exclude: setup.testMask });
  return {
    valid: accuracyMetrics({ users: users.valid, lists: valid, truth: setup.valid.matrix }, [10])['ndcg@10'],
    test: accuracyMetrics({ users: users.test, lists: testLists, truth: setup.test.matrix }, [10])['ndcg@10'],
    testLists,
  };
}

async function fitted(setup: EvalSetup, name: string, explicit: Record<string, unknown>): Promise<{ model: Model<object>; params: Record<string, unknown>; cpu: number }> {
  const def = modelDefinition(name);
  const { params } = resolveParams(def, explicit, dataShape(setup.train.matrix));
  const model = def.create(params);
  const c0 = cpuSeconds();
  const now = setup.trainEndMs;
  await model.fit(setup.train, { logger: silentLogger, clock: { now: () => now }, seed: 42 });
  return { model, params, cpu: cpuSeconds() - c0 };
}

/** The k x k Gram FᵀF of `rows` factor rows (row-major, `stride` apart), float64. */
function gram(f: Float32Array, rows: number, stride: number): Float64Array {
  const g = new Float64Array(stride * stride);
  for (let r = 0; r < rows; r++) {
    const base = r * stride;
    for (let a = 0; a < stride; a++) {
      const fa = f[base + a];
      if (fa === 0) continue;
      for (let b = 0; b < stride; b++) g[a * stride + b] += fa * f[base + b];
    }
  }
  return g;
}

/** Leading eigenvector and eigenvalue of a symmetric PSD k x k matrix (power iteration). */
function leadingEigen(g: Float64Array, k: number): { vector: Float64Array; value: number } {
  let v = new Float64Array(k).fill(1 / Math.sqrt(k));
  let value = 0;
  for (let it = 0; it < 300; it++) {
    const w = new Float64Array(k);
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) w[a] += g[a * k + b] * v[b];
    const norm = Math.hypot(...w);
    if (norm === 0) break;
    value = norm;
    v = w.map((x) => x / norm);
  }
  return { vector: v, value };
}

/** Spearman rank correlation (ties broken by index; fine for a diagnostic). */
function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const ranks = (x: ArrayLike<number>): Float64Array => {
    const order = Array.from({ length: x.length }, (_, i) => i).sort((i, j) => x[i] - x[j]);
    const r = new Float64Array(x.length);
    order.forEach((i, pos) => (r[i] = pos));
    return r;
  };
  const ra = ranks(a);
  const rb = ranks(b);
  const n = ra.length;
  const mean = (n - 1) / 2;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < n; i++) {
    num += (ra[i] - mean) * (rb[i] - mean);
    da += (ra[i] - mean) ** 2;
    db += (rb[i] - mean) ** 2;
  }
  return num / Math.sqrt(da * db);
}

/**
 * What the factors of a fitted ALS model look like: the leading direction p of YᵀY, its share of the Gram's trace,
 * the mean share of a user's score energy ‖Yx‖² along it ((p·x)²·λ₁ / xᵀYᵀYx), the Spearman correlation of item
 * factor norms with training counts (over items with events), and mean user / item factor norms.
 */
function factorShape(model: Model<object>, setup: EvalSetup, users: Int32Array): Record<string, number> {
  const artifact = model.save();
  const stride = Number(artifact.meta.stride);
  const y = artifact.arrays.itemFactors as Float32Array;
  const x = artifact.arrays.userFactors as Float32Array;
  const items = y.length / stride;
  const g = gram(y, items, stride);
  let trace = 0;
  for (let a = 0; a < stride; a++) trace += g[a * stride + a];
  const { vector: p, value: top } = leadingEigen(g, stride);
  let along = 0;
  let userNorm = 0;
  for (const u of users) {
    const xu = x.subarray(u * stride, (u + 1) * stride);
    let px = 0;
    let quad = 0;
    for (let a = 0; a < stride; a++) {
      px += p[a] * xu[a];
      let ga = 0;
      for (let b = 0; b < stride; b++) ga += g[a * stride + b] * xu[b];
      quad += xu[a] * ga;
    }
    if (quad > 0) along += (px * px * top) / quad;
    userNorm += Math.hypot(...xu);
  }
  const counts = new Float64Array(items);
  const m = setup.train.matrix;
  for (let q = 0; q < m.nnz; q++) counts[m.indices[q]]++;
  const norms: number[] = [];
  const seen: number[] = [];
  let itemNorm = 0;
  for (let i = 0; i < items; i++) {
    if (counts[i] === 0) continue;
    const n = Math.hypot(...y.subarray(i * stride, (i + 1) * stride));
    norms.push(n);
    seen.push(counts[i]);
    itemNorm += n;
  }
  return {
    gramTopShare: top / trace,
    scoreShareAlongTop: along / users.length,
    itemNormVsCountSpearman: spearman(norms, seen),
    meanUserNorm: userNorm / users.length,
    meanItemNorm: itemNorm / norms.length,
  };
}

/** Mean share of each list's items that popularity's list for the same user also holds. */
function overlap(a: Int32Array[], b: Int32Array[]): number {
  let s = 0;
  a.forEach((list, j) => {
    const other = new Set(b[j]);
    let hits = 0;
    for (const i of list) if (other.has(i)) hits++;
    s += list.length > 0 ? hits / list.length : 0;
  });
  return s / Math.max(1, a.length);
}

export async function run(): Promise<BenchResult[]> {
  const data = process.env.ALS_DIAG_DATA ?? 'ml1m';
  const settings = process.env.ALS_DIAG_SETTINGS ? (JSON.parse(process.env.ALS_DIAG_SETTINGS) as Record<string, unknown>[]) : DEFAULT_SETTINGS;
  const setup = prepareEvaluation({ data: syntheticTable(data), protocol: 'ratio', seed: 42 });
  const shape = dataShape(setup.train.matrix);
  console.log('shape', JSON.stringify(shape));
  const users = { valid: strided(setup.validUsers), test: strided(setup.testUsers) };
  const out: BenchResult[] = [];
  const pop = await fitted(setup, 'popular', {});
  const popScores = await score(setup, pop.model, users);
  const baselines = process.env.ALS_DIAG_BASELINES === '0' ? ['popular'] : ['popular', 'itemknn'];
  for (const name of baselines) {
    const m = name === 'popular' ? pop : await fitted(setup, name, {});
    const s = name === 'popular' ? popScores : await score(setup, m.model, users);
    console.log(name, JSON.stringify({ valid: s.valid, test: s.test, fitCpu: m.cpu }));
    out.push({ name: `als-diagnosis.${name}`, dataset: data, metric: 'test ndcg@10', value: s.test, unit: '', extra: { validNdcg10: s.valid, fitCpuSeconds: m.cpu } });
  }
  for (const explicit of settings) {
    const m = await fitted(setup, 'als', explicit);
    const s = await score(setup, m.model, users);
    const p = m.params;
    const extra = {
      validNdcg10: s.valid, fitCpuSeconds: m.cpu, overlapWithPopular: overlap(s.testLists, popScores.testLists),
      ...factorShape(m.model, setup, users.test), factors: Number(p.factors), regularization: Number(p.regularization), alpha: Number(p.alpha), iterations: Number(p.iterations),
    };
    console.log('als', JSON.stringify(explicit), JSON.stringify({ test: s.test, ...extra }));
    out.push({ name: `als-diagnosis.als ${JSON.stringify(explicit)}`, dataset: data, metric: 'test ndcg@10', value: s.test, unit: '', extra });
  }
  return out;
}
