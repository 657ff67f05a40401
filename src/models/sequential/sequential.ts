import { EngineError } from '../../core/errors.js';
import type { InteractionMatrix } from '../../core/interactions.js';
import { CsrMatrix, type SparseRow } from '../../core/sparse.js';
import type { Scored } from '../../core/types.js';
import { csrArrays, csrFromArtifact, metaCount } from '../csr-artifact.js';
import type { ModelDefinition } from '../definition.js';
import { fitControl, secondsSince, type FitControl } from '../fit-control.js';
import { entryAt, pairwiseSimilarity } from '../itemknn/similarity.js';
import { weightedItemUsers } from '../itemknn/weighting.js';
import type { Contribution, Explainer, FitContext, FitReport, Model, ModelArtifact, RecommendQuery, UserRowsRemoval } from '../model.js';
import { withoutRow } from '../user-rows.js';
import { parseParamsWith } from '../param-spec.js';
import { topK } from '../topk.js';
import { recentDistinct, sequencesOf, transitionMatrix } from './transitions.js';

export interface SequentialParams {
  /** Items up to this many steps after an item count as following it. */
  window: number;
  /** Weight of a successor d steps later: distanceDecay^(d - 1). */
  distanceDecay: number;
  /** How many of the user's most recent distinct items drive the recommendation. */
  recent: number;
  /** Weight of the m-th most recent item (0 = latest): recencyDecay^m. */
  recencyDecay: number;
  /** Share of the score from order-free co-occurrence (item-kNN cosine) versus transitions. */
  cooccurrence: number;
  /** Successors and co-occurring items kept per item. */
  neighbors: number;
}

interface Trained {
  transitions: CsrMatrix;
  cooccurrence: CsrMatrix;
  /** users x recent items (most recent first); values unused. */
  recent: CsrMatrix;
}

interface Components {
  next: Float32Array;
  together: Float32Array;
  maxNext: number;
  maxTogether: number;
}

/**
 * "What comes next": sequential rules over each user's time-ordered items (first-order transition probabilities
 * with a window and distance decay) blended with item co-occurrence (item-kNN cosine over whole histories), both
 * seeded by the user's few most recent items. Each part is scaled to a maximum of 1 per query before blending, so
 * `cooccurrence` is a true share. Live histories (SparseRow) are read in their given order as chronological.
 *
 * @example const m = sequentialDefinition.create(sequentialDefinition.defaults); await m.fit(data, ctx);
 */
export class SequentialModel implements Model<SequentialParams>, Explainer, UserRowsRemoval {
  readonly name = 'sequential';
  private state?: Trained;

  constructor(readonly params: Readonly<SequentialParams>, state?: Trained) {
    this.state = state;
  }

  async fit(data: InteractionMatrix, ctx: FitContext): Promise<FitReport> {
    const start = ctx.clock.now();
    const nItems = data.matrix.cols;
    const control = fitControl(ctx, 2 * nItems);
    const sequences = sequencesOf(data);
    const { window, distanceDecay, neighbors } = this.params;
    const transitions = await transitionMatrix(sequences, nItems, { window, distanceDecay, neighbors }, control);
    const cooccurrence = this.params.cooccurrence > 0
      ? await pairwiseSimilarity(weightedItemUsers(data.matrix, { weighting: 'cosine', K1: 0, B: 0 }), { neighbors, shrink: 0 }, offset(control, nItems))
      : new CsrMatrix(nItems, nItems, new Int32Array(nItems + 1), new Int32Array(0), new Float32Array(0));
    const recentBuilder = sequences.map((seq) => recentDistinct(seq, this.params.recent));
    const recentPtr = new Int32Array(sequences.length + 1);
    recentBuilder.forEach((r, u) => (recentPtr[u + 1] = recentPtr[u] + r.length));
    const recentItems = Int32Array.from(recentBuilder.flat());
    const recent = new CsrMatrix(sequences.length, nItems, recentPtr, recentItems, new Float32Array(recentItems.length).fill(1));
    this.state = { transitions, cooccurrence, recent };
    control.finish();
    return { seconds: secondsSince(ctx, start), transitions: transitions.nnz, cooccurrences: cooccurrence.nnz };
  }

  /** Recall mode returns only items reached from the recent items; with candidates every candidate is scored. */
  recommend(q: RecommendQuery): Scored[] {
    const c = this.components(this.recentOf(q.user));
    const share = this.params.cooccurrence;
    const scores = new Float32Array(c.next.length);
    for (let j = 0; j < scores.length; j++) {
      scores[j] = (c.maxNext > 0 ? ((1 - share) * c.next[j]) / c.maxNext : 0) + (c.maxTogether > 0 ? (share * c.together[j]) / c.maxTogether : 0);
    }
    return topK(scores, q.k, { candidates: q.candidates, exclude: q.exclude, above: q.candidates ? undefined : 0 });
  }

  /** Recent items behind `item`'s score ("often watched after X"), largest first; they sum to the score. */
  explain(user: number | SparseRow, item: number): Contribution[] {
    const { transitions, cooccurrence } = this.trained();
    const recent = this.recentOf(user);
    const c = this.components(recent);
    const share = this.params.cooccurrence;
    const out: Contribution[] = [];
    recent.forEach((r, m) => {
      const w = Math.pow(this.params.recencyDecay, m);
      const next = c.maxNext > 0 ? ((1 - share) * w * entryAt(transitions, r, item)) / c.maxNext : 0;
      const together = c.maxTogether > 0 ? (share * w * entryAt(cooccurrence, r, item)) / c.maxTogether : 0;
      if (next + together > 0) out.push({ item: r, weight: next + together });
    });
    return out.sort((a, b) => b.weight - a.weight || a.item - b.item);
  }

  save(): ModelArtifact {
    const { transitions, cooccurrence, recent } = this.trained();
    return {
      name: this.name,
      params: { ...this.params },
      meta: { items: transitions.cols },
      arrays: { ...csrArrays('next', transitions), ...csrArrays('together', cooccurrence), ...csrArrays('recent', recent) },
    };
  }

  /** The most recent distinct items of a trained user, or of a live row read in order (last = latest). */
  private recentOf(user: number | SparseRow): number[] {
    const { recent, transitions } = this.trained();
    if (typeof user === 'number') {
      if (!Number.isInteger(user) || user < 0 || user >= recent.rows) {
        throw new EngineError('INVALID_INPUT', `user index ${user} is not in the trained model (0..${recent.rows - 1})`);
      }
      return Array.from(recent.rowIndices(user));
    }
    const known = Array.from(user.indices).filter((i) => i >= 0 && i < transitions.rows);
    return recentDistinct(known, this.params.recent);
  }

  private components(recent: number[]): Components {
    const { transitions, cooccurrence } = this.trained();
    const next = spread(transitions, recent, this.params.recencyDecay);
    const together = spread(cooccurrence, recent, this.params.recencyDecay);
    return { next, together, maxNext: max(next), maxTogether: max(together) };
  }

  /** Without the user's recent items; the transitions still carry their sequences until a retraining. */
  withoutUserRows(user: number): SequentialModel {
    const st = this.trained();
    return new SequentialModel(this.params, { ...st, recent: withoutRow(st.recent, user) });
  }

  private trained(): Trained {
    if (!this.state) throw new EngineError('NOT_TRAINED', 'sequential model is not trained yet');
    return this.state;
  }
}

/** Σ over seed items (most recent first) of decay^m * row(seed). */
function spread(m: CsrMatrix, seeds: number[], decay: number): Float32Array {
  const out = new Float32Array(m.cols);
  seeds.forEach((s, rank) => {
    const w = Math.pow(decay, rank);
    for (let p = m.indptr[s]; p < m.indptr[s + 1]; p++) out[m.indices[p]] += w * m.data[p];
  });
  return out;
}

function max(a: Float32Array): number {
  let m = 0;
  for (let j = 0; j < a.length; j++) if (a[j] > m) m = a[j];
  return m;
}

/** A FitControl whose step numbers continue after `by` units of earlier work. */
function offset(control: FitControl, by: number): FitControl {
  return { ...control, step: (done) => control.step(by + done) };
}

const DEFAULTS: SequentialParams = { window: 3, distanceDecay: 0.5, recent: 10, recencyDecay: 0.7, cooccurrence: 0.3, neighbors: 100 };

const parseSequentialParams = (input: Record<string, unknown>): SequentialParams =>
  parseParamsWith<SequentialParams>('sequential', input, {
    window: { type: 'int', min: 1, max: 100 },
    distanceDecay: { type: 'float', min: 0, max: 1 },
    recent: { type: 'int', min: 1, max: 1000 },
    recencyDecay: { type: 'float', min: 0, max: 1 },
    cooccurrence: { type: 'float', min: 0, max: 1 },
    neighbors: { type: 'int', min: 1, max: 100_000 },
  }, DEFAULTS);

export const sequentialDefinition: ModelDefinition<SequentialParams> = {
  name: 'sequential',
  description: 'What comes next: sequential rules over event order blended with item co-occurrence, seeded by recent items',
  defaults: DEFAULTS,
  searchSpace: {
    window: { type: 'int', min: 1, max: 10 },
    distanceDecay: { type: 'float', min: 0.1, max: 1 },
    recent: { type: 'int', min: 1, max: 30, log: true },
    recencyDecay: { type: 'float', min: 0.3, max: 1 },
    cooccurrence: { type: 'float', min: 0, max: 1 },
    neighbors: { type: 'int', min: 20, max: 500, log: true },
  },
  parseParams: parseSequentialParams,
  create: (params) => new SequentialModel(params),
  restore: (a) => {
    const items = metaCount(a, 'items');
    const state = { transitions: csrFromArtifact(a, 'next', items), cooccurrence: csrFromArtifact(a, 'together', items), recent: csrFromArtifact(a, 'recent', items) };
    return new SequentialModel(parseSequentialParams(a.params), state);
  },
};
