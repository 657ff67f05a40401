import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../config/config.js';
import { fixedClock } from '../../core/clock.js';
import { IdIndex } from '../../core/ids.js';
import { silentLogger } from '../../core/logger.js';
import type { Scored } from '../../core/types.js';
import type { ModelBundle } from '../../models/model-bundle.js';
import type { FitReport, Model, ModelArtifact, RecommendQuery } from '../../models/model.js';
import { MemoryStore } from '../../storage/memory/memory-store.js';
import { fromChannel, type Candidate } from '../candidates.js';
import { featureNames } from '../fusion/features.js';
import type { FusionRanker } from '../fusion/ranker.js';
import type { RecommendContext } from '../request-context.js';
import { learnedFusion } from './fuse-learned.js';
import { rrfFusion, rrfScore } from './fuse-rrf.js';
import { mergeStage, type ChannelList } from './merge.js';

/** Scores each item by a fixed table (a model with a known answer). */
class FixedScores implements Model<object> {
  readonly params = {};
  constructor(readonly name: string, private readonly scores: number[]) {}
  async fit(): Promise<FitReport> {
    return { seconds: 0 };
  }
  recommend(q: RecommendQuery): Scored[] {
    const pool = q.candidates ? Array.from(q.candidates) : this.scores.map((_, i) => i);
    return pool.map((index) => ({ index, score: this.scores[index] })).sort((a, b) => b.score - a.score).slice(0, q.k);
  }
  save(): ModelArtifact {
    return { name: this.name, params: {}, meta: {}, arrays: {} };
  }
}

const ITEMS = ['a', 'b', 'c', 'd'];

function context(fusion?: FusionRanker): RecommendContext {
  const bundle: ModelBundle = {
    version: 1, trainedAt: '2026-01-01T00:00:00Z', users: IdIndex.from(['u']), items: IdIndex.from(ITEMS), trainedItems: ITEMS.length,
    models: { main: new FixedScores('ease', [4, 3, 2, 1]), popular: new FixedScores('popular', [1, 2, 30, 40]) },
    ...(fusion ? { fusion } : {}),
  };
  const row = { indices: Int32Array.of(0), values: Float32Array.of(1) };
  return {
    clock: fixedClock(0), logger: silentLogger, trace: [], count: 3, bundle, store: new MemoryStore(),
    config: resolveConfig({ pipeline: { rerank: [] } }), row, cfRow: row, blocked: new Set(), blockedIndexes: { all: new Int32Array(), trained: new Int32Array() }, textMayLeave: false,
  };
}

const list = (channel: string, ids: string[]): ChannelList => ({ channel, k: 10, candidates: fromChannel(channel, ids.map((itemId, i) => ({ itemId, score: 10 - i }))) });

async function merged(ctx: RecommendContext) {
  // cf: b a c; popular: d c; item-to-item (a channel no ranker knows): c.
  return mergeStage.run([list('cf', ['b', 'a', 'c']), list('popular', ['d', 'c']), list('item-to-item', ['c'])], ctx);
}

const ids = (cs: Candidate[]) => cs.map((c) => c.itemId);

describe('reciprocal-rank fusion', () => {
  it('sums 1/(60 + rank) over the channels that recalled an item', async () => {
    const ctx = context();
    const m = await merged(ctx);
    if (!('candidates' in m)) throw new Error('merge degraded');
    // c: cf rank 3, popular rank 2, item-to-item rank 1 -> 1/63 + 1/62 + 1/61; b: 1/61; a: 1/62; d: 1/61.
    const byId = new Map(m.candidates.map((c) => [c.itemId, rrfScore(c)]));
    expect(byId.get('c')).toBeCloseTo(1 / 63 + 1 / 62 + 1 / 61, 12);
    const out = await rrfFusion.run(m, ctx);
    if (!Array.isArray(out)) throw new Error('rrf degraded');
    // c first (three channels); b and d tie at 1/61 and keep merge order (b first); a last.
    expect(ids(out)).toEqual(['c', 'b', 'd', 'a']);
    // Each item is placed by the main channel when it recalled it, d by popular (the only one to recall it).
    expect(out.map((c) => c.via)).toEqual(['cf', 'cf', 'popular', 'cf']);
  });
});

/** A ranker over these channels that weighs only `feature` (weight 1, no scaling), as if learned from one user. */
function rankerOn(channels: string[], feature: string): FusionRanker {
  const features = featureNames(channels);
  return {
    channels, features, mean: features.map(() => 0), scale: features.map(() => 1), weights: features.map((f) => (f === feature ? 1 : 0)), bias: 0,
    learned: { users: 1, rows: 4, positives: 1, l2: 0, iterations: 1 },
  };
}

/** Merges the fixture's channels and fuses them with the learned stage. */
async function fusedBy(ranker: FusionRanker) {
  const ctx = context(ranker);
  const m = await merged(ctx);
  if (!('candidates' in m)) throw new Error('merge degraded');
  const out = await learnedFusion.run(m, ctx);
  if (!Array.isArray(out)) throw new Error('learned degraded');
  return out;
}

describe('learned fusion', () => {
  it('orders by the stored ranker: a ranker that trusts popularity puts the most popular item first', async () => {
    const out = await fusedBy(rankerOn(['cf', 'popular'], 'log-popularity'));
    // Popularity: d 40, c 30, b 2, a 1.
    expect(ids(out)).toEqual(['d', 'c', 'b', 'a']);
    // The fused score is the ranker's probability: sigmoid(log(1 + 40)).
    expect(out[0].score).toBeCloseTo(1 / (1 + Math.exp(-Math.log1p(40))), 12);
  });

  it('scores a channel that did not recall an item by its model: a ranker on cf.score ranks d by ease even though cf missed it', async () => {
    const out = await fusedBy(rankerOn(['cf'], 'cf.score'));
    // cf's list scores b 10, a 9, c 8 -> 1, 0.5, 0; d was not recalled: ease scores it 1, below c's... by the model's
    // own scale (a 4, b 3, c 2, d 1), so d normalises below 0 and comes last.
    expect(ids(out)).toEqual(['b', 'a', 'c', 'd']);
  });

  it('without a stored ranker fuses by main-first (the main channel order, popular as filler)', async () => {
    const ctx = context();
    const m = await merged(ctx);
    if (!('candidates' in m)) throw new Error('merge degraded');
    const out = await learnedFusion.run(m, ctx);
    if (!Array.isArray(out)) throw new Error('learned degraded');
    // cf found 3 of the 10 it was asked for, so popular's d follows as filler.
    expect(ids(out)).toEqual(['b', 'a', 'c', 'd']);
  });
});
