import { EngineError } from '../../core/errors.js';
import type { InteractionMatrix } from '../../core/interactions.js';
import type { SparseRow } from '../../core/sparse.js';
import type { Scored } from '../../core/types.js';
import type { ModelDefinition } from '../definition.js';
import { fitControl, secondsSince } from '../fit-control.js';
import { mulberry32 } from '../linalg/random.js';
import type { FitContext, FitReport, Model, ModelArtifact, RecommendQuery, UserRowsRemoval } from '../model.js';
import { parseParamsWith } from '../param-spec.js';
import { sequencesOf } from '../sequential/transitions.js';
import { topK } from '../topk.js';
import { withoutSpan } from '../user-rows.js';
import { threadCount } from '../workers/pool.js';
import { networkForward, tokenBatchOf } from './network.js';
import { initialParameters, networkViews, parameterCount, type NetworkParams, type NetworkShape } from './parameters.js';
import { initialiseFromText, placeUntrainedItems } from './text-init.js';
import { stepsPerEpoch, trainNetwork } from './train.js';

export interface TransformerParams {
  /** Embedding and hidden width d. */
  width: number;
  /** Attention heads (width must divide by it). */
  heads: number;
  /** Transformer blocks. */
  blocks: number;
  /** Most recent items the model reads (L). */
  maxLength: number;
  /** Dropout rate on embeddings, attention output and feed-forward output. */
  dropout: number;
  learningRate: number;
  /** Passes over every training window (at most, with early stopping: see `patience`). */
  epochs: number;
  /**
   * Early stopping: each epoch measures the loss on a held-out latest item of up to 2,000 users (kept out of
   * training), and training stops after this many epochs without a new best, keeping the best epoch's weights.
   * 0 (the default: holding out the latest items costs accuracy, docs/models.md) trains all `epochs` on every item.
   */
  patience: number;
  /** Windows per optimiser step. */
  batchSize: number;
  /** Decoupled (AdamW) weight decay. */
  weightDecay: number;
  /**
   * Uniformly sampled negatives shared by each batch (sampled softmax); the softmax runs over every item when the
   * catalogue has at most this many items, or when 0.
   */
  negatives: number;
  /** Items ahead each position is trained to predict (1 = the next item only). */
  targetWindow: number;
  /** Weight of the item d steps ahead in that loss: targetDecay^(d − 1), normalised. */
  targetDecay: number;
  /**
   * Start item embeddings from the item texts' vectors (FitContext.content, principal components, see text-init.ts)
   * instead of random ones; items without text, and every item when no text vectors are given, start random.
   */
  textInit: boolean;
  /**
   * Train as lists are served: each position's softmax leaves out the items its user already had (its window's and the
   * 500 before it), which a list excluding consumed items never shows, so the model need not rank them low. 'auto'
   * (the default) does so when the fit context says lists leave those items out (FitContext.excludesConsumed), and
   * when it does not say, when at most 5 % of events repeat an item their user had (films, courses), not where people
   * come back to the same items (music, groceries); 'on' and 'off' decide it.
   */
  maskSeen: 'auto' | 'on' | 'off';
}

/** Share of repeat events up to which maskSeen 'auto' leaves seen items out of training's softmax. */
const AUTO_MASK_MAX_REPEATS = 0.05;

/**
 * Share of sequence entries whose item their user already had earlier in the sequence.
 *
 * @example repeatShare([Int32Array.of(1, 2, 1, 3)]) // 0.25
 */
export function repeatShare(sequences: Int32Array[]): number {
  let repeats = 0;
  let total = 0;
  const seen = new Set<number>();
  for (const seq of sequences) {
    seen.clear();
    for (const item of seq) {
      if (seen.has(item)) repeats++;
      else seen.add(item);
    }
    total += seq.length;
  }
  return total > 0 ? repeats / total : 0;
}

/**
 * Whether training leaves seen items out of the softmax (maskSeen, 'auto' resolved from whether the lists leave
 * consumed items out, else from the sequences' repeats).
 *
 * @example trainNetwork(weights, shape, sequences, { ...options, maskSeen: masksSeen(params, sequences, ctx.excludesConsumed) }, control)
 */
export function masksSeen(p: Pick<TransformerParams, 'maskSeen'>, sequences: Int32Array[], excludesConsumed?: boolean): boolean {
  if (p.maskSeen !== 'auto') return p.maskSeen === 'on';
  return excludesConsumed ?? repeatShare(sequences) <= AUTO_MASK_MAX_REPEATS;
}

/** Training tokens (over all epochs) below which one thread trains: about 1.5 CPU-s, against ~0.3 s to start workers. */
const PARALLEL_MIN_TOKENS = 20_000;

interface Trained {
  shape: NetworkShape;
  weights: NetworkParams;
  /** Each trained user's latest (up to maxLength) items, oldest first: recentItems[recentPtr[u] .. recentPtr[u + 1]). */
  recentPtr: Int32Array;
  recentItems: Int32Array;
}

/**
 * SASRec-style next-item model: causal self-attention over the user's latest `maxLength` items (item + learned
 * position embeddings, pre-norm blocks, dropout), trained with Adam on cross-entropy of each position's next
 * `targetWindow` items (decay-weighted, one shared softmax over every item or many sampled ones, the user's seen items
 * left out with `maskSeen`), the output layer tied to the item embeddings. Kindred's own CPU kernels (src/models/transformer/*) with a
 * hand-written backward pass checked against finite differences. Live histories (SparseRow) are read in their given
 * order as chronological.
 *
 * @example const m = transformerDefinition.create(transformerDefinition.defaults); await m.fit(data, ctx);
 */
export class TransformerModel implements Model<TransformerParams>, UserRowsRemoval {
  readonly name = 'transformer';
  private state?: Trained;

  constructor(readonly params: Readonly<TransformerParams>, state?: Trained) {
    this.state = state;
  }

  async fit(data: InteractionMatrix, ctx: FitContext): Promise<FitReport> {
    const start = ctx.clock.now();
    const p = this.params;
    const sequences = sequencesOf(data);
    // one unit of progress per optimiser step; every step yields (a step is milliseconds of work or more)
    const control = fitControl(ctx, p.epochs * stepsPerEpoch(sequences, p.maxLength, p.batchSize), 1);
    const shape: NetworkShape = { items: data.matrix.cols, width: p.width, heads: p.heads, blocks: p.blocks, maxLength: p.maxLength, hidden: p.width };
    const seed = ctx.seed ?? 42;
    const weights = initialParameters(shape, mulberry32(seed));
    // every item but a user's first is a target once per epoch; small fits are not worth starting workers for
    const tokens = sequences.reduce((sum, q) => sum + Math.max(0, q.length - 1), 0) * p.epochs;
    const maskSeen = masksSeen(p, sequences, ctx.excludesConsumed);
    const threads = tokens >= PARALLEL_MIN_TOKENS ? threadCount(ctx.threads) : 1;
    const textInit = p.textInit && ctx.content?.embeddings ? initialiseFromText(weights.itemEmb, p.width, ctx.content, seed) : undefined;
    const initialRows = textInit && Float32Array.from(weights.itemEmb);
    const report = await trainNetwork(weights, shape, sequences, {
      epochs: p.epochs, batchSize: p.batchSize, learningRate: p.learningRate, weightDecay: p.weightDecay, dropout: p.dropout, negatives: p.negatives,
      targetWindow: p.targetWindow, targetDecay: p.targetDecay, seed, threads, patience: p.patience, maskSeen,
      afterEpoch: (epoch, loss, heldOut) => ctx.logger.debug('transformer epoch', { epoch, loss, heldOut }),
    }, control);
    const placed = textInit && initialRows ? placeUntrainedItems(weights.itemEmb, initialRows, p.width, textInit.fromText, sequences) : 0;
    if (textInit) ctx.logger.info('transformer item embeddings started from text', { items: textInit.items, components: textInit.components, varianceKept: textInit.varianceKept, placed });
    const recentPtr = new Int32Array(sequences.length + 1);
    sequences.forEach((s, u) => (recentPtr[u + 1] = recentPtr[u] + Math.min(s.length, p.maxLength)));
    const recentItems = new Int32Array(recentPtr[sequences.length]);
    sequences.forEach((s, u) => recentItems.set(s.subarray(Math.max(0, s.length - p.maxLength)), recentPtr[u]));
    this.state = { shape, weights, recentPtr, recentItems };
    control.finish();
    const losses = report.losses;
    const heldOut = report.heldOutLosses;
    ctx.logger.info('transformer trained', { epochs: losses.length, bestEpoch: report.bestEpoch, steps: report.steps, tokens: report.tokensPerEpoch, loss: losses[losses.length - 1], maskSeen });
    return {
      seconds: secondsSince(ctx, start), steps: report.steps, tokensPerEpoch: report.tokensPerEpoch, firstLoss: losses[0], lastLoss: losses[losses.length - 1],
      epochs: losses.length, bestEpoch: report.bestEpoch, ...(heldOut.length > 0 ? { bestHeldOutLoss: Math.min(...heldOut) } : {}),
      textInitItems: textInit?.items ?? 0, placedFromText: placed, maskSeen,
    };
  }

  /** Scores every item (or the candidates) by the dot product of its embedding with the sequence's last hidden state. */
  recommend(q: RecommendQuery): Scored[] {
    const { shape, weights } = this.trained();
    const hidden = this.encode(this.sequenceOf(q.user));
    if (!hidden) return [];
    const d = shape.width;
    const emb = weights.itemEmb;
    if (q.candidates) {
      const known = q.candidates.filter((j) => j >= 0 && j < shape.items);
      const scores = new Float32Array(shape.items).fill(-Infinity);
      for (const j of known) scores[j] = dotRow(emb, j * d, hidden, d);
      return topK(scores, q.k, { candidates: known, exclude: q.exclude });
    }
    const scores = new Float32Array(shape.items);
    for (let j = 0; j < shape.items; j++) scores[j] = dotRow(emb, j * d, hidden, d);
    return topK(scores, q.k, { exclude: q.exclude });
  }

  /**
   * The sequence's short-term interest: the final hidden state after its latest item (width d, in the item
   * embedding space, so its dot product with an item's embedding is that item's score). Undefined for an empty history.
   */
  interestVector(user: number | SparseRow): Float32Array | undefined {
    return this.encode(this.sequenceOf(user));
  }

  save(): ModelArtifact {
    const { shape, weights, recentPtr, recentItems } = this.trained();
    return {
      name: this.name,
      params: { ...this.params },
      meta: { items: shape.items },
      arrays: { weights: Float32Array.from(weights.flat), recentPtr, recentItems },
    };
  }

  private encode(sequence: Int32Array): Float32Array | undefined {
    if (sequence.length === 0) return undefined;
    const { shape, weights } = this.trained();
    const { out } = networkForward(weights, shape, tokenBatchOf([sequence], shape.maxLength));
    return Float32Array.from(out.subarray((sequence.length - 1) * shape.width));
  }

  /** A trained user's stored latest items, or a live row's known items in their given order (last = latest). */
  private sequenceOf(user: number | SparseRow): Int32Array {
    const { recentPtr, recentItems, shape } = this.trained();
    if (typeof user === 'number') {
      if (!Number.isInteger(user) || user < 0 || user >= recentPtr.length - 1) {
        throw new EngineError('INVALID_INPUT', `user index ${user} is not in the trained model (0..${recentPtr.length - 2})`);
      }
      return recentItems.subarray(recentPtr[user], recentPtr[user + 1]);
    }
    const known = user.indices.filter((i) => i >= 0 && i < shape.items);
    return known.subarray(Math.max(0, known.length - shape.maxLength));
  }

  /**
   * The model without one trained user's stored recent items (an erase): the weights still carry their influence until
   * the next training, which the erase's receipt says (no exact removal for a network).
   */
  withoutUserRows(user: number): TransformerModel {
    const st = this.trained();
    const { indptr: recentPtr, arrays: [recentItems] } = withoutSpan(st.recentPtr, user, st.recentItems);
    return new TransformerModel(this.params, { ...st, recentPtr, recentItems });
  }

  private trained(): Trained {
    if (!this.state) throw new EngineError('NOT_TRAINED', 'transformer model is not trained yet');
    return this.state;
  }
}

/** Σ_c m[at + c] · v[c]: one item's score. */
function dotRow(m: Float32Array | Float64Array, at: number, v: Float32Array, width: number): number {
  let s = 0;
  for (let c = 0; c < width; c++) s += m[at + c] * v[c];
  return s;
}

const DEFAULTS: TransformerParams = {
  // maxLength 20, not SASRec's 50–200: on ml-latest-small (users of 165 ratings) the 20 latest items predicted the next
  // one better (NDCG@10 0.049 against 0.041, 3 seeds), level on ml-100k (benchmarks.md); batches of 40 windows keep
  // the 800 tokens per optimiser step that 16 windows of 50 gave, so an epoch costs what it did (16 took 1.4x the CPU)
  width: 64, heads: 2, blocks: 2, maxLength: 20, dropout: 0.2, learningRate: 0.002, epochs: 20, patience: 0, batchSize: 40, weightDecay: 0, negatives: 2048,
  targetWindow: 3, targetDecay: 0.5,
  // off by default: its gain (+17 % NDCG@10, 2.7x on rare items) was measured at 10 epochs with the earlier loss only
  textInit: false,
  maskSeen: 'auto',
};

function parseTransformerParams(input: Record<string, unknown>): TransformerParams {
  const p = parseParamsWith<TransformerParams>('transformer', input, {
    width: { type: 'int', min: 2, max: 1024 },
    heads: { type: 'int', min: 1, max: 64 },
    blocks: { type: 'int', min: 1, max: 12 },
    maxLength: { type: 'int', min: 2, max: 1000 },
    dropout: { type: 'float', min: 0, max: 0.9 },
    learningRate: { type: 'float', min: 1e-6, max: 1 },
    epochs: { type: 'int', min: 1, max: 10_000 },
    patience: { type: 'int', min: 0, max: 1_000 },
    batchSize: { type: 'int', min: 1, max: 100_000 },
    weightDecay: { type: 'float', min: 0, max: 1 },
    negatives: { type: 'int', min: 0, max: 1_000_000 },
    targetWindow: { type: 'int', min: 1, max: 100 },
    targetDecay: { type: 'float', min: 0, max: 1 },
    textInit: { type: 'boolean' },
    maskSeen: { type: 'choice', values: ['auto', 'on', 'off'] },
  }, DEFAULTS);
  if (p.width % p.heads !== 0) throw new EngineError('INVALID_CONFIG', 'transformer: param "width" must be a multiple of "heads"', { path: 'heads' });
  return p;
}

function restoreTransformer(a: ModelArtifact): TransformerModel {
  const params = parseTransformerParams(a.params);
  const items = a.meta.items;
  const { weights, recentPtr, recentItems } = a.arrays;
  if (typeof items !== 'number' || !Number.isInteger(items) || items < 1) throw new EngineError('INVALID_INPUT', 'transformer artifact meta.items is missing');
  const shape: NetworkShape = { items, width: params.width, heads: params.heads, blocks: params.blocks, maxLength: params.maxLength, hidden: params.width };
  if (!(weights instanceof Float32Array) || weights.length !== parameterCount(shape)) throw new EngineError('INVALID_INPUT', 'transformer artifact weights do not match its params');
  if (!(recentPtr instanceof Int32Array) || !(recentItems instanceof Int32Array) || recentPtr[recentPtr.length - 1] !== recentItems.length) {
    throw new EngineError('INVALID_INPUT', 'transformer artifact lacks its users\' recent items');
  }
  return new TransformerModel(params, { shape, weights: networkViews(weights, shape), recentPtr, recentItems });
}

export const transformerDefinition: ModelDefinition<TransformerParams> = {
  name: 'transformer',
  description: 'Next items from the order of events: SASRec-style causal self-attention over recent items, trained on CPU to predict each position\'s next few items',
  defaults: DEFAULTS,
  searchSpace: {
    width: { type: 'choice', values: [32, 64, 128] },
    blocks: { type: 'int', min: 1, max: 3 },
    maxLength: { type: 'choice', values: [20, 50, 100, 200] },
    dropout: { type: 'float', min: 0, max: 0.5 },
    learningRate: { type: 'float', min: 1e-4, max: 1e-2, log: true },
    epochs: { type: 'int', min: 5, max: 100, log: true },
    negatives: { type: 'choice', values: [256, 1024, 2048, 0] },
    targetWindow: { type: 'int', min: 1, max: 5 },
    targetDecay: { type: 'float', min: 0.25, max: 1 },
  },
  parseParams: parseTransformerParams,
  usesItemText: (params) => params.textInit,
  create: (params) => new TransformerModel(params),
  restore: restoreTransformer,
};
