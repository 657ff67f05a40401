import { EngineError } from '../../core/errors.js';
import type { InteractionMatrix } from '../../core/interactions.js';
import type { SparseRow } from '../../core/sparse.js';
import type { Scored } from '../../core/types.js';
import { createVectorIndex } from '../../vectors/tiered-index.js';
import type { ModelDefinition } from '../definition.js';
import { fitControl, secondsSince } from '../fit-control.js';
import type {
  Contribution, Explainer, FitContext, FitReport, FoldIn, ForgetOutcome, ForgetRequest, Model, ModelArtifact, RecommendQuery, SimilarItems, Unlearn,
} from '../model.js';
import { parseParamsWith } from '../param-spec.js';
import type { AddedVectors } from './added-vectors.js';
import { ItemVectorSpace, spaceOptionsOf, unit, type VectorQueryOptions } from './item-vector-space.js';
import { contentVectors } from './content-vectors.js';
import { centredVectors, centreTextVector, TEXT_SPACE_PARAM_RULES, type TextSpaceParams } from './text-space.js';
import { chronologicalRows } from './user-profile.js';

/** Semantic's params are exactly those of a text-vector space (see text-space.ts). */
export type SemanticParams = TextSpaceParams;

/**
 * Content-based recommendations from text embeddings: items are their (centred, unit) embedding vectors, a user is
 * the recency- and weight-weighted mean of their history's vectors, and lists are the nearest items by cosine. Works
 * for items nobody has interacted with yet (cold-start items) and, given a history row, for brand-new users.
 * Needs `FitContext.content.embeddings` (see src/jobs/item-embeddings.ts `loadItemVectors`).
 *
 * @example const m = semanticDefinition.create(semanticDefinition.defaults); await m.fit(data, { ...ctx, content: { embeddings, dimensions: 100 } });
 */
export class SemanticModel implements Model<SemanticParams>, SimilarItems, FoldIn, Explainer, Unlearn {
  readonly name = 'semantic';
  private space?: ItemVectorSpace;
  /** Mean unit text vector subtracted when `center` is on (zeros otherwise). */
  private mean?: Float32Array;

  constructor(readonly params: Readonly<SemanticParams>, restored?: { space: ItemVectorSpace; mean: Float32Array }) {
    this.space = restored?.space;
    this.mean = restored?.mean;
  }

  async fit(data: InteractionMatrix, ctx: FitContext): Promise<FitReport> {
    const start = ctx.clock.now();
    const nItems = data.items.size;
    const control = fitControl(ctx, nItems, 512);
    const text = contentVectors(ctx.content, nItems, 'semantic');
    const { vectors, mean } = centredVectors(text, this.params.center);
    const index = createVectorIndex({ dims: text.dims, metric: 'cosine', exactBelow: this.params.exactBelow });
    for (let i = 0; i < nItems; i++) {
      if (text.present[i] === 1) index.add(i, vectors.subarray(i * text.dims, (i + 1) * text.dims));
      await control.step(i + 1);
    }
    this.space = new ItemVectorSpace(text.dims, vectors, text.present, chronologicalRows(data), spaceOptionsOf(this.params), index);
    this.mean = mean;
    control.finish();
    return { seconds: secondsSince(ctx, start), items: nItems, withVectors: index.size, index: index.kind };
  }

  recommend(q: RecommendQuery): Scored[] {
    return this.trained().recommend(q);
  }

  similarItems(item: number, k: number): Scored[] {
    return this.trained().similarItems(item, k);
  }

  userVector(history: SparseRow): Float32Array {
    return this.trained().userVector(history);
  }

  explain(user: number | SparseRow, item: number): Contribution[] {
    return this.trained().explain(user, item);
  }

  /**
   * Maps a provider's raw text vector (a free-text query, or a new item's text) into this model's space: centred
   * like the catalogue, unit length. Blend it with `userVector` before `recommendByVector`.
   *
   * @example const q = model.encodeText((await provider.embed(['a space adventure']))[0])
   */
  encodeText(raw: Float32Array): Float32Array {
    return centreTextVector(raw, this.trainedMean());
  }

  /** Items nearest to a vector of this model's space (from encodeText / userVector / blendQueryVector). */
  recommendByVector(vector: Float32Array, k: number, opts: VectorQueryOptions = {}): Scored[] {
    return this.trained().recommendByVector(vector, k, opts);
  }

  /** An item's unit vector in this space from its raw text vector (the same for every item: text alone places it). */
  itemTextVector(_item: number, raw: Float32Array): Float32Array {
    return unit(this.encodeText(raw));
  }

  /**
   * This model plus items stored after training (cold-start items are recommendable at once); this one is unchanged.
   *
   * @example const log = new AddedVectorLog(model.itemCount, dims); log.append(model.itemTextVector(n, raw)); model.withAddedItems(log.snapshot())
   */
  withAddedItems(added: AddedVectors): SemanticModel {
    return new SemanticModel(this.params, { space: this.trained().withAddedItems(added), mean: this.trainedMean() });
  }

  /** Number of items the model can score (trained plus added). */
  get itemCount(): number {
    return this.trained().itemCount;
  }

  /** Item vectors come from item text alone: forgetting a user empties their stored history row, nothing else moves. */
  async forgetUser(req: ForgetRequest): Promise<ForgetOutcome> {
    return { model: new SemanticModel(this.params, { space: this.trained().withoutUser(req.user), mean: this.trainedMean() }) };
  }

  save(): ModelArtifact {
    const { meta, arrays } = this.trained().toArtifactParts();
    return { name: this.name, params: { ...this.params }, meta, arrays: { ...arrays, mean: this.trainedMean() } };
  }

  private trained(): ItemVectorSpace {
    if (!this.space) throw new EngineError('NOT_TRAINED', 'semantic model is not trained yet');
    return this.space;
  }

  private trainedMean(): Float32Array {
    if (!this.mean) throw new EngineError('NOT_TRAINED', 'semantic model is not trained yet');
    return this.mean;
  }
}

const DEFAULTS: SemanticParams = { aggregate: 'max', historyLimit: 0, recencyHalfLife: 0, center: true, exactBelow: 20_000 };

export const semanticDefinition: ModelDefinition<SemanticParams> = {
  name: 'semantic',
  description: 'Content-based: nearest items to the mean text embedding of the user\'s history (works for cold-start items)',
  defaults: DEFAULTS,
  searchSpace: {
    aggregate: { type: 'choice', values: ['max', 'mean'] },
    recencyHalfLife: { type: 'float', min: 0, max: 200, grid: [0, 10, 50] },
    center: { type: 'choice', values: [true, false] },
  },
  parseParams: (input) => parseParamsWith<SemanticParams>('semantic', input, TEXT_SPACE_PARAM_RULES, DEFAULTS),
  create: (params) => new SemanticModel(params),
  restore: (artifact) => {
    const params = semanticDefinition.parseParams(artifact.params);
    const { mean } = artifact.arrays;
    if (!(mean instanceof Float32Array)) throw new EngineError('INVALID_INPUT', 'semantic artifact lacks its mean vector');
    const space = ItemVectorSpace.fromArtifact(artifact, spaceOptionsOf(params));
    return new SemanticModel(params, { space, mean });
  },
};
