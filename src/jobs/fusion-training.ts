import type { KindredConfig } from '../config/config.js';
import { CsrMatrix, type SparseRow } from '../core/sparse.js';
import type { InteractionMatrix } from '../core/interactions.js';
import { createRandom, shuffleInPlace } from '../eval/random.js';
import { dataShape, type DataShape } from '../models/data-shape.js';
import { modelDefinition } from '../models/registry.js';
import { resolveParams } from '../models/scaled-defaults.js';
import type { FitContext, Model } from '../models/model.js';
import { learnFusionRanker, type LearningUser } from '../pipeline/fusion/learn.js';
import type { FusionRanker } from '../pipeline/fusion/ranker.js';
import { stagesFromConfig } from '../pipeline/registry.js';
import type { Store } from '../storage/store.js';
import type { ModelBundle, ModelRole } from '../models/model-bundle.js';

/** Share of each user's items held out to learn fusion from. */
export const HOLD_OUT_SHARE = 0.2;
/** Users need this many items to lend some to the held-out part. */
export const HOLD_OUT_MIN_ITEMS = 5;
/** Fewer learning users than this and no ranker is learned (too little to tell the channels apart). */
export const MIN_LEARNING_USERS = 20;
/** At most this many users are recalled for learning (a seeded sample), so learning stays cheap on large stores. */
export const MAX_LEARNING_USERS = 5000;

/**
 * `items` in time order, oldest first, each at its latest event (as a live history row is, so the short-term feature
 * reads the same thing at training and at serving); index order when there is no sequence.
 */
function chronological(items: number[], sequence: Int32Array | undefined): number[] {
  if (!sequence) return items;
  const keep = new Set(items);
  const latestFirst: number[] = [];
  const seen = new Set<number>();
  for (let i = sequence.length - 1; i >= 0; i--) {
    const item = sequence[i];
    if (keep.has(item) && !seen.has(item)) {
      seen.add(item);
      latestFirst.push(item);
    }
  }
  for (const item of items) if (!seen.has(item)) latestFirst.push(item);
  return latestFirst.reverse();
}

/** A training matrix with part of some users' items held out. */
export interface HeldOutSplit {
  /** What the channels fit on: every cell not held out (times and sequences kept for the cells that stay). */
  fit: InteractionMatrix;
  /** Users who lent items, with their remaining row (in time order, oldest first) and the held-out item indexes. */
  users: Array<{ user: number; row: SparseRow; heldOut: Int32Array }>;
}

/**
 * Holds out a random `share` of the items (at least one) of every user with at least `minItems` items, seeded.
 *
 * @example const { fit, users } = holdOutItems(data, 0.2, 5, 42)
 */
export function holdOutItems(data: InteractionMatrix, share: number, minItems: number, seed: number): HeldOutSplit {
  const m = data.matrix;
  const rng = createRandom(seed);
  const indptr = new Int32Array(m.rows + 1);
  const indices: number[] = [];
  const values: number[] = [];
  const times: number[] = [];
  const users: HeldOutSplit['users'] = [];
  for (let u = 0; u < m.rows; u++) {
    const start = m.indptr[u];
    const n = m.indptr[u + 1] - start;
    const out = new Set<number>();
    if (n >= minItems) {
      const order = shuffleInPlace(Int32Array.from({ length: n }, (_, i) => i), rng);
      for (let j = 0; j < Math.max(1, Math.round(n * share)); j++) out.add(order[j]);
    }
    const kept: number[] = [];
    for (let p = 0; p < n; p++) {
      if (out.has(p)) continue;
      kept.push(m.indices[start + p]);
      indices.push(m.indices[start + p]);
      values.push(m.data[start + p]);
      if (data.times) times.push(data.times[start + p]);
    }
    indptr[u + 1] = indices.length;
    if (out.size > 0) {
      const heldOut = Int32Array.from([...out].map((p) => m.indices[start + p])).sort();
      const order = chronological(kept, data.sequences?.[u]);
      users.push({ user: u, row: { indices: Int32Array.from(order), values: Float32Array.from(order, () => 1) }, heldOut });
    }
  }
  const fitMatrix = new CsrMatrix(m.rows, m.cols, indptr, Int32Array.from(indices), Float32Array.from(values));
  const heldOf = new Map(users.map((x) => [x.user, new Set(x.heldOut)]));
  const sequences = data.sequences?.map((seq, u) => {
    const held = heldOf.get(u);
    return held ? seq.filter((i) => !held.has(i)) : seq;
  });
  return {
    fit: { users: data.users, items: data.items, matrix: fitMatrix, ...(data.times ? { times: Float64Array.from(times) } : {}), ...(sequences ? { sequences } : {}) },
    users,
  };
}

/**
 * The extra recall models config train.channels names (skipping the main model and popular), unfitted, with the
 * params the config leaves unset resolved for data of this shape as the main model's are (scaled-defaults.ts).
 *
 * @example channelModels({ als: {}, itemknn: {} }, 'ease', dataShape(data.matrix)).map((m) => m.name) // ['als', 'itemknn']
 */
export function channelModels(channels: KindredConfig['train']['channels'], mainName: string, shape: DataShape): Array<Model<object>> {
  return Object.entries(channels)
    .map(([name, params]) => {
      const def = modelDefinition(name);
      return def.create(resolveParams(def, params, shape).params);
    })
    .filter((m) => m.name !== mainName && m.name !== 'popular');
}

export interface FusionTrainingDeps {
  store: Store;
  config: KindredConfig;
  /** Fits a fresh copy of the main model (with item content when it needs it). */
  fitMain: (data: InteractionMatrix) => Promise<Model<object>>;
  /** Fits the popular model on these data. */
  fitPopular: (data: InteractionMatrix) => Promise<Model<object>>;
  /** Fits the models other channels read (similar items, next-item, trending) beside this main model, as serving has them. */
  fitSupport?: (data: InteractionMatrix, main: Model<object>) => Promise<Partial<Record<ModelRole, Model<object>>>>;
  ctx: FitContext;
}

/**
 * Learns the fusion ranker for a training run: holds out part of each user's items, fits the main model, the channel
 * models and popularity on the rest, recalls candidates for (a seeded sample of) the users who lent items through
 * the pipeline's own channels, and fits the logistic ranker with the held-out items as positives (fusion/learn.ts).
 * The models fitted here are thrown away; the caller fits them again on all data. Undefined when too few users
 * have enough events.
 *
 * @example const fusion = await learnFusionAtTraining(data, { store, config, fitMain, fitPopular, ctx })
 */
export async function learnFusionAtTraining(data: InteractionMatrix, deps: FusionTrainingDeps): Promise<FusionRanker | undefined> {
  const seed = deps.ctx.seed ?? 42;
  const split = holdOutItems(data, HOLD_OUT_SHARE, HOLD_OUT_MIN_ITEMS, seed);
  if (split.users.length < MIN_LEARNING_USERS) return undefined;
  const main = await deps.fitMain(split.fit);
  const channels: Record<string, Model<object>> = {};
  for (const model of channelModels(deps.config.train.channels, main.name, dataShape(split.fit.matrix))) {
    await model.fit(split.fit, { ...deps.ctx, onProgress: undefined });
    channels[model.name] = model;
  }
  const popular = await deps.fitPopular(split.fit);
  const support = (await deps.fitSupport?.(split.fit, main)) ?? {};
  const bundle: ModelBundle = {
    version: 0, trainedAt: new Date(deps.ctx.clock.now()).toISOString(), users: data.users, items: data.items,
    trainedItems: data.items.size, models: { ...support, main, popular }, channels,
  };
  const sample = shuffleInPlace([...split.users], createRandom(seed)).slice(0, MAX_LEARNING_USERS);
  const users: LearningUser[] = sample.map((x) => ({ row: x.row, exclude: x.row.indices, heldOut: x.heldOut }));
  const stages = stagesFromConfig(deps.config.pipeline);
  return learnFusionRanker(stages, users, { bundle, config: deps.config, store: deps.store, clock: deps.ctx.clock, logger: deps.ctx.logger }, { count: deps.config.recommend.count });
}
