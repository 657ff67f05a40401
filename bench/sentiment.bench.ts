/**
 * Issue 10, sentiment from review text, on Amazon musical instruments 5-core (reviews with stars and text):
 * 1. how often text and stars disagree (share of ≥ 4-star reviews whose text scores below care.negativeReviewBelow,
 *    and how the flagged reviews spread over the stars), at several thresholds;
 * 2. whether sentiment-weighted training changes accuracy: the ratio protocol (every review a positive, 80/10/10 per
 *    user), split seeds 1–5, EASE / ALS / item-kNN at their (data-scaled) defaults, each fitted on the same training
 *    cells weighted four ways: binary (as docs/benchmarks.md evaluates Amazon), binary × tone, stars (as the engine
 *    weighs rating events) and stars × tone, where tone is what events.sentimentWeighting applies (a review below the
 *    threshold leaves its cell out, a positive one multiplies it by 1 + k · score). Test NDCG@10 and Recall@10, over
 *    every test review (the protocol of docs/benchmarks.md) and over the liked ones only (4–5 stars, text not negative).
 * The review text is the summary and the review joined ("<summary>. <reviewText>"), as an import would store it.
 * SENTIMENT_BENCH_SEEDS, SENTIMENT_BENCH_THRESHOLD (default −0.3) and SENTIMENT_BENCH_K (default 0.5) override.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InteractionMatrix } from '../src/core/interactions.js';
import { silentLogger } from '../src/core/logger.js';
import { CsrMatrix } from '../src/core/sparse.js';
import { RatingsTableBuilder, type RatingsTable } from '../src/eval/dataset.js';
import { accuracyMetrics } from '../src/eval/metrics/evaluate.js';
import { deriveSeed } from '../src/eval/random.js';
import { rankUsers } from '../src/eval/ranking.js';
import { prepareEvaluation, type EvalSetup } from '../src/eval/setup.js';
import { dataShape } from '../src/models/data-shape.js';
import { modelDefinition } from '../src/models/registry.js';
import { resolveParams } from '../src/models/scaled-defaults.js';
import { toneWeight, type ToneSettings } from '../src/care/review-tone.js';
import { textSentiment } from '../src/care/sentiment.js';
import { datasetPath } from '../src/testkit/datasets.js';
import type { BenchResult } from './harness.js';

const DATASET = 'amazon-musical-instruments-5core';
const MODELS = ['ease', 'als', 'itemknn'];
const VARIANTS = ['binary', 'binary+tone', 'stars', 'stars+tone'] as const;
type Variant = (typeof VARIANTS)[number];

interface Review { user: string; item: string; stars: number; time: number; score: number | undefined }

function readReviews(file: string): Review[] {
  const out: Review[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as { reviewerID: string; asin: string; overall: number; unixReviewTime: number; summary?: string; reviewText?: string };
    const text = [r.summary, r.reviewText].filter((t) => t).join('. ');
    out.push({ user: r.reviewerID, item: r.asin, stars: r.overall, time: r.unixReviewTime, score: textSentiment(text) });
  }
  return out;
}

const pct = (a: number, b: number): number => (b === 0 ? 0 : (100 * a) / b);

/** Text against stars: the share of each star level scored below each threshold. */
function disagreement(reviews: Review[]): BenchResult[] {
  const out: BenchResult[] = [];
  const unknown = reviews.filter((r) => r.score === undefined).length;
  out.push({ name: 'sentiment.text.unknown', dataset: DATASET, metric: 'reviews without signal', value: unknown, unit: 'reviews', extra: { of: reviews.length } });
  const low = reviews.filter((r) => r.stars <= 2);
  const high = reviews.filter((r) => r.stars >= 4);
  // AUC of the score separating 1–2-star from 4–5-star reviews (0.5 = chance).
  const highScores = high.map((r) => r.score ?? 0).sort((a, b) => a - b);
  let wins = 0;
  for (const r of low) {
    const s = r.score ?? 0;
    let lo = 0;
    let hi = highScores.length;
    while (lo < hi) { const m = (lo + hi) >> 1; if (highScores[m] <= s) lo = m + 1; else hi = m; }
    let below = lo;
    while (below > 0 && highScores[below - 1] === s) below--;
    wins += highScores.length - lo + (lo - below) / 2;
  }
  out.push({ name: 'sentiment.text.auc', dataset: DATASET, metric: 'AUC 4-5 vs 1-2 stars', value: wins / (low.length * high.length), unit: 'ratio' });
  for (const t of [0, -0.1, -0.2, -0.3, -0.4, -0.5]) {
    const flagged = reviews.filter((r) => r.score !== undefined && r.score < t);
    const byStars = [1, 2, 3, 4, 5].map((s) => flagged.filter((r) => r.stars === s).length);
    out.push({
      name: `sentiment.text.below${t}`, dataset: DATASET, metric: 'share of >=4 stars', value: pct(flagged.filter((r) => r.stars >= 4).length, high.length), unit: '%',
      extra: { flagged: flagged.length, flaggedShare: pct(flagged.length, reviews.length).toFixed(2), lowStarShareOfFlagged: pct(byStars[0] + byStars[1], flagged.length).toFixed(1), lowStarsCaught: pct(byStars[0] + byStars[1], low.length).toFixed(1), byStars: byStars.join(' ') },
    });
  }
  return out;
}

/** The training cells re-weighted: stars or 1 per cell, times the review's tone (cells of factor 0 left out). */
function weighted(setup: EvalSetup, variant: Variant, reviews: Map<string, Review>, tone: ToneSettings): InteractionMatrix {
  const train = setup.train;
  const { users, items } = setup.table;
  const m = train.matrix;
  const indptr = new Int32Array(m.rows + 1);
  const indices: number[] = [];
  const data: number[] = [];
  const times: number[] = [];
  for (let u = 0; u < m.rows; u++) {
    for (let p = m.indptr[u]; p < m.indptr[u + 1]; p++) {
      const r = reviews.get(`${users.idAt(u)}\t${items.idAt(m.indices[p])}`);
      const base = variant.startsWith('stars') ? (r?.stars ?? 5) : 1;
      const factor = variant.endsWith('+tone') ? toneWeight(r?.score, tone).factor : 1;
      if (factor <= 0) continue;
      indices.push(m.indices[p]);
      data.push(base * factor);
      times.push(train.times?.[p] ?? 0);
    }
    indptr[u + 1] = indices.length;
  }
  const matrix = new CsrMatrix(m.rows, m.cols, indptr, Int32Array.from(indices), Float32Array.from(data));
  const sequences = train.sequences?.map((seq, u) => {
    const kept = new Set(matrix.rowIndices(u));
    return seq.filter((i) => kept.has(i));
  });
  return { ...train, matrix, times: Float64Array.from(times), sequences };
}

/**
 * The test cells the user liked (4–5 stars and text not below the threshold), and the test users who have one: a
 * second view of accuracy, since the ratio protocol counts every reviewed item, a 1-star one too, as a hit.
 */
function likedTruth(setup: EvalSetup, reviews: Map<string, Review>, tone: ToneSettings): { truth: CsrMatrix; users: Int32Array } {
  const m = setup.test.matrix;
  const { users, items } = setup.table;
  const indptr = new Int32Array(m.rows + 1);
  const indices: number[] = [];
  for (let u = 0; u < m.rows; u++) {
    for (let p = m.indptr[u]; p < m.indptr[u + 1]; p++) {
      const r = reviews.get(`${users.idAt(u)}\t${items.idAt(m.indices[p])}`);
      if (r && r.stars >= 4 && toneWeight(r.score, tone).factor > 0) indices.push(m.indices[p]);
    }
    indptr[u + 1] = indices.length;
  }
  const truth = new CsrMatrix(m.rows, m.cols, indptr, Int32Array.from(indices), new Float32Array(indices.length).fill(1));
  return { truth, users: setup.testUsers.filter((u) => truth.rowLength(u) > 0) };
}

async function testMetrics(modelName: string, data: InteractionMatrix, setup: EvalSetup, seed: number, liked: { truth: CsrMatrix; users: Int32Array }): Promise<Record<string, number>> {
  const def = modelDefinition(modelName);
  const params = resolveParams(def, {}, dataShape(data.matrix)).params;
  const model = def.create(params);
  const endMs = setup.trainEndMs;
  await model.fit(data, { logger: silentLogger, clock: { now: () => endMs }, seed: deriveSeed(seed, def.name), content: setup.content, threads: 1 });
  const lists = await rankUsers(model, { users: setup.testUsers, k: 10, exclude: setup.testMask });
  const all = accuracyMetrics({ users: setup.testUsers, lists, truth: setup.test.matrix }, [10]);
  const listOf = new Map(Array.from(setup.testUsers, (u, i) => [u, lists[i]]));
  const likedLists = Array.from(liked.users, (u) => listOf.get(u) ?? new Int32Array());
  const onLiked = accuracyMetrics({ users: liked.users, lists: likedLists, truth: liked.truth }, [10]);
  return { ...all, 'liked ndcg@10': onLiked['ndcg@10'], 'liked recall@10': onLiked['recall@10'] };
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

export async function run(): Promise<BenchResult[]> {
  const dir = datasetPath(DATASET);
  if (!dir) {
    console.warn(`skipping: ${DATASET} not found (set KINDRED_DATA_DIR)`);
    return [];
  }
  const seeds = (process.env.SENTIMENT_BENCH_SEEDS ?? '1,2,3,4,5').split(',').map(Number);
  const tone: ToneSettings = { negativeBelow: Number(process.env.SENTIMENT_BENCH_THRESHOLD ?? -0.3), warmBoost: Number(process.env.SENTIMENT_BENCH_K ?? 0.5) };
  const t0 = performance.now();
  const reviews = readReviews(join(dir, 'Musical_Instruments.json'));
  const scoreMs = performance.now() - t0;
  const out = disagreement(reviews);
  out.push({ name: 'sentiment.text.cost', dataset: DATASET, metric: 'ms per review', value: scoreMs / reviews.length, unit: 'ms', extra: { reviews: reviews.length, seconds: scoreMs / 1000 } });
  const byCell = new Map(reviews.map((r) => [`${r.user}\t${r.item}`, r]));
  const b = new RatingsTableBuilder();
  for (const r of reviews) b.push(r.user, r.item, r.stars, r.time);
  const table: RatingsTable = b.build(DATASET);
  const values = new Map<string, number[]>();
  for (const seed of seeds) {
    const setup = prepareEvaluation({ data: table, protocol: 'ratio', seed });
    const liked = likedTruth(setup, byCell, tone);
    for (const variant of VARIANTS) {
      const data = variant === 'binary' ? setup.train : weighted(setup, variant, byCell, tone);
      for (const model of MODELS) {
        const m = await testMetrics(model, data, setup, seed, liked);
        for (const metric of ['ndcg@10', 'recall@10', 'liked ndcg@10', 'liked recall@10']) {
          const key = `${model}|${variant}|${metric}`;
          values.set(key, [...(values.get(key) ?? []), m[metric]]);
          out.push({ name: `sentiment.${model}.${variant}`, dataset: DATASET, metric: `${metric} seed ${seed}`, value: m[metric], unit: 'ratio' });
        }
      }
    }
  }
  for (const [key, xs] of values) {
    const [model, variant, metric] = key.split('|');
    out.push({ name: `sentiment.${model}.${variant}`, dataset: DATASET, metric: `mean ${metric}`, value: mean(xs), unit: 'ratio', extra: { seeds: seeds.join(' '), values: xs.map((x) => x.toFixed(4)).join(' '), threshold: tone.negativeBelow, k: tone.warmBoost } });
  }
  return out;
}
