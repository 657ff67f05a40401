import { EngineError } from '../../core/errors.js';
import type { InteractionMatrix } from '../../core/interactions.js';
import type { CsrMatrix, SparseRow } from '../../core/sparse.js';
import type { Scored } from '../../core/types.js';
import { csrArrays, csrFromArtifact, metaCount } from '../csr-artifact.js';
import type { ModelDefinition } from '../definition.js';
import { fitControl, secondsSince } from '../fit-control.js';
import type { FitContext, FitReport, FoldIn, ForgetOutcome, ForgetRequest, Model, ModelArtifact, RecommendQuery, TrainingRows, Unlearn } from '../model.js';
import { parseParamsWith } from '../param-spec.js';
import { topK } from '../topk.js';
import { historyRow, withoutRow } from '../user-rows.js';
import { unitRows } from '../itemknn/weighting.js';

export interface UserKnnParams {
  /** Most similar users whose histories are blended at recommend time. */
  neighbors: number;
  /** Shrinks similarities backed by few common items: s * n / (n + shrink). */
  shrink: number;
}

interface Trained {
  userItems: CsrMatrix;
  /** items x users, each user's row scaled to unit length: columns of the cosine. */
  itemUnitUsers: CsrMatrix;
}

/**
 * User-based k-nearest neighbours: at recommend time, the cosine similarity of the user's history to every trained
 * user, the top `neighbors` of them, and score(j) = Σ over neighbours v of sim(u, v) * weight(v, j). New users fold
 * in by the same computation; `userVector` returns the similarities to all trained users.
 *
 * @example const m = userKnnDefinition.create({ neighbors: 50, shrink: 0 }); await m.fit(data, ctx);
 */
export class UserKnnModel implements Model<UserKnnParams>, FoldIn, Unlearn, TrainingRows {
  readonly name = 'userknn';
  private state?: Trained;

  constructor(readonly params: Readonly<UserKnnParams>, userItems?: CsrMatrix) {
    if (userItems) this.state = prepare(userItems);
  }

  async fit(data: InteractionMatrix, ctx: FitContext): Promise<FitReport> {
    const start = ctx.clock.now();
    const control = fitControl(ctx, 1);
    this.state = prepare(data.matrix);
    control.finish();
    return { seconds: secondsSince(ctx, start), users: data.matrix.rows };
  }

  /** Cosine similarity (shrunk) of `history` to every trained user. */
  userVector(history: SparseRow): Float32Array {
    const { userItems, itemUnitUsers } = this.trained();
    const row = historyRow(userItems, history);
    let norm = 0;
    for (let p = 0; p < row.values.length; p++) norm += row.values[p] * row.values[p];
    norm = Math.sqrt(norm);
    const sims = new Float32Array(userItems.rows);
    if (norm === 0) return sims;
    const support = this.params.shrink > 0 ? new Int32Array(userItems.rows) : undefined;
    for (let p = 0; p < row.indices.length; p++) {
      const i = row.indices[p];
      const w = row.values[p] / norm;
      for (let q = itemUnitUsers.indptr[i]; q < itemUnitUsers.indptr[i + 1]; q++) {
        const v = itemUnitUsers.indices[q];
        sims[v] += w * itemUnitUsers.data[q];
        if (support) support[v]++;
      }
    }
    if (support) for (let v = 0; v < sims.length; v++) if (support[v] > 0) sims[v] *= support[v] / (support[v] + this.params.shrink);
    return sims;
  }

  /** Recall mode returns only items some neighbour consumed; with candidates every candidate is scored. */
  recommend(q: RecommendQuery): Scored[] {
    const { userItems } = this.trained();
    const sims = this.userVector(historyRow(userItems, q.user));
    // a trained user is not their own neighbour
    if (typeof q.user === 'number') sims[q.user] = 0;
    const scores = new Float32Array(userItems.cols);
    for (const { index: v, score: s } of topK(sims, this.params.neighbors, { above: 0 })) {
      for (let p = userItems.indptr[v]; p < userItems.indptr[v + 1]; p++) scores[userItems.indices[p]] += s * userItems.data[p];
    }
    return topK(scores, q.k, { candidates: q.candidates, exclude: q.exclude, above: q.candidates ? undefined : 0 });
  }

  /** A user's rows are normalised on their own, so forgetting one empties their row: they are nobody's neighbour. */
  async forgetUser(req: ForgetRequest): Promise<ForgetOutcome> {
    return { model: new UserKnnModel(this.params, withoutRow(this.trained().userItems, req.user)) };
  }

  trainingRow(user: number): SparseRow {
    return historyRow(this.trained().userItems, user);
  }

  save(): ModelArtifact {
    const { userItems } = this.trained();
    return { name: this.name, params: { ...this.params }, meta: { items: userItems.cols }, arrays: csrArrays('user', userItems) };
  }

  private trained(): Trained {
    if (!this.state) throw new EngineError('NOT_TRAINED', 'userknn model is not trained yet');
    return this.state;
  }
}

function prepare(userItems: CsrMatrix): Trained {
  return { userItems, itemUnitUsers: unitRows(userItems).transpose() };
}

const DEFAULTS: UserKnnParams = { neighbors: 50, shrink: 0 };

const parseUserKnnParams = (input: Record<string, unknown>): UserKnnParams =>
  parseParamsWith<UserKnnParams>('userknn', input, {
    neighbors: { type: 'int', min: 1, max: 100_000 },
    shrink: { type: 'float', min: 0, max: 1e6 },
  }, DEFAULTS);

export const userKnnDefinition: ModelDefinition<UserKnnParams> = {
  name: 'userknn',
  description: 'User-based kNN: cosine over histories, top neighbours blended at recommend time; fold-in for new users',
  defaults: DEFAULTS,
  searchSpace: {
    neighbors: { type: 'int', min: 5, max: 500, log: true },
    shrink: { type: 'float', min: 0, max: 100 },
  },
  parseParams: parseUserKnnParams,
  create: (params) => new UserKnnModel(params),
  restore: (a) => new UserKnnModel(parseUserKnnParams(a.params), csrFromArtifact(a, 'user', metaCount(a, 'items'))),
};
