import { EngineError } from '../../core/errors.js';
import type { InteractionMatrix } from '../../core/interactions.js';
import type { SparseRow } from '../../core/sparse.js';
import type { Scored } from '../../core/types.js';
import { createVectorIndex } from '../../vectors/tiered-index.js';
import type { ModelDefinition } from '../definition.js';
import { fitControl, secondsSince } from '../fit-control.js';
import type { Contribution, Explainer, FitContext, FitReport, FoldIn, Model, ModelArtifact, RecommendQuery, SimilarItems } from '../model.js';
import { parseParamsWith } from '../param-spec.js';
import { contentVectors } from '../semantic/content-vectors.js';
import type { AddedVectors } from '../semantic/added-vectors.js';
import { ItemVectorSpace, spaceOptionsOf, unit, type VectorQueryOptions } from '../semantic/item-vector-space.js';
import { centredVectors, centreTextVector, TEXT_SPACE_PARAM_RULES, type TextSpaceParams } from '../semantic/text-space.js';
import { chronologicalRows } from '../semantic/user-profile.js';
import { cfSide, hybridVector, textOnlyVector, type CfSide } from './hybrid-vectors.js';
import { truncatedItemFactors } from './randomized-svd.js';

/** The text-space params as in semantic (aggregate, historyLimit, recencyHalfLife, center, exactBelow), plus the CF side. */
export interface HybridParams extends TextSpaceParams {
  /** CF factors from a truncated SVD of the items x users matrix. */
  factors: number;
  /** Share of the CF part in the vector of an item with many users (the text part gets the rest). */
  cfWeight: number;
  /** Users at which an item's CF share reaches half of cfWeight: fewer users, more text. */
  shrinkage: number;
  powerIterations: number;
}

interface HybridState {
  space: ItemVectorSpace;
  cf: CfSide;
  /** Mean unit text vector subtracted from texts (zeros when center is off). */
  mean: Float32Array;
}

/**
 * Hybrid item vectors: each item is `[sqrt(c_i) * CF factors, sqrt(1 - c_i) * text embedding]` (both unit), where the
 * CF share c_i grows with the item's number of users. Well-known items are placed by who used them, rarely used
 * items by what their text says, and items nobody used yet by text alone, in one space searched by cosine. Users are
 * weighted means of their history's vectors (as in `semantic`), so new users and new items need no retraining.
 * The CF side is a randomized truncated SVD (no item-kNN matrix is built; see randomized-svd.ts).
 *
 * @example const m = hybridDefinition.create(hybridDefinition.defaults); await m.fit(data, { ...ctx, content: { embeddings, dimensions } });
 */
export class HybridModel implements Model<HybridParams>, SimilarItems, FoldIn, Explainer {
  readonly name = 'hybrid';
  private state?: HybridState;

  constructor(readonly params: Readonly<HybridParams>, state?: HybridState) {
    this.state = state;
  }

  async fit(data: InteractionMatrix, ctx: FitContext): Promise<FitReport> {
    const start = ctx.clock.now();
    const nItems = data.items.size;
    const control = fitControl(ctx, nItems + this.params.powerIterations + 1, 256);
    const text = contentVectors(ctx.content, nItems, 'hybrid');
    const { vectors: textVectors, mean } = centredVectors(text, this.params.center);
    let passes = 0;
    const svd = await truncatedItemFactors(data.matrix, {
      rank: this.params.factors,
      powerIterations: this.params.powerIterations,
      seed: ctx.seed ?? 0,
      onPass: () => control.step(++passes),
    });
    const cf = cfSide(svd.factors, svd.rank, data.matrix, this.params.cfWeight, this.params.shrinkage);
    const dims = cf.rank + text.dims;
    const vectors = new Float32Array(nItems * dims);
    const present = new Uint8Array(nItems);
    const index = createVectorIndex({ dims, metric: 'cosine', exactBelow: this.params.exactBelow });
    for (let i = 0; i < nItems; i++) {
      const v = hybridVector(cf, i, textVectors.subarray(i * text.dims, (i + 1) * text.dims));
      if (v.some((x) => x !== 0)) {
        vectors.set(v, i * dims);
        present[i] = 1;
        index.add(i, v);
      }
      await control.step(passes + i + 1);
    }
    const space = new ItemVectorSpace(dims, vectors, present, chronologicalRows(data), spaceOptionsOf(this.params), index);
    this.state = { space, cf, mean };
    control.finish();
    return { seconds: secondsSince(ctx, start), items: nItems, factors: cf.rank, withVectors: index.size, index: index.kind };
  }

  recommend(q: RecommendQuery): Scored[] {
    return this.trained().space.recommend(q);
  }

  similarItems(item: number, k: number): Scored[] {
    return this.trained().space.similarItems(item, k);
  }

  userVector(history: SparseRow): Float32Array {
    return this.trained().space.userVector(history);
  }

  explain(user: number | SparseRow, item: number): Contribution[] {
    return this.trained().space.explain(user, item);
  }

  /** A raw text vector as a text-only item of this space: `[0, centred unit text]` (a query has no CF evidence). */
  encodeText(raw: Float32Array): Float32Array {
    const { cf, mean } = this.trained();
    return textOnlyVector(cf.rank, centreTextVector(raw, mean));
  }

  recommendByVector(vector: Float32Array, k: number, opts: VectorQueryOptions = {}): Scored[] {
    return this.trained().space.recommendByVector(vector, k, opts);
  }

  /** An item's unit vector from its text: a trained item keeps its CF part, an item added after training is placed by text. */
  itemTextVector(item: number, raw: Float32Array): Float32Array {
    const { cf, mean } = this.trained();
    return unit(hybridVector(cf, item, centreTextVector(raw, mean)));
  }

  /** This model plus items stored after training, placed by text; this one is unchanged. */
  withAddedItems(added: AddedVectors): HybridModel {
    const state = this.trained();
    return new HybridModel(this.params, { ...state, space: state.space.withAddedItems(added) });
  }

  get itemCount(): number {
    return this.trained().space.itemCount;
  }

  save(): ModelArtifact {
    const { space, cf, mean } = this.trained();
    const { meta, arrays } = space.toArtifactParts();
    return {
      name: this.name,
      params: { ...this.params },
      meta: { ...meta, rank: cf.rank },
      arrays: { ...arrays, mean, cfFactors: cf.unitFactors, cfConfidence: cf.confidence },
    };
  }

  private trained(): HybridState {
    if (!this.state) throw new EngineError('NOT_TRAINED', 'hybrid model is not trained yet');
    return this.state;
  }
}

const DEFAULTS: HybridParams = { factors: 64, cfWeight: 0.7, shrinkage: 20, powerIterations: 3, aggregate: 'mean', historyLimit: 0, recencyHalfLife: 0, center: true, exactBelow: 20_000 };
const RULES = {
  factors: { type: 'int', min: 1, max: 1024 },
  cfWeight: { type: 'float', min: 0, max: 1 },
  shrinkage: { type: 'float', min: 0, max: 1_000_000 },
  powerIterations: { type: 'int', min: 0, max: 20 },
  ...TEXT_SPACE_PARAM_RULES,
} as const;

export const hybridDefinition: ModelDefinition<HybridParams> = {
  name: 'hybrid',
  description: 'CF factors (truncated SVD) concatenated with text embeddings, weighted by how well-known each item is',
  defaults: DEFAULTS,
  searchSpace: {
    factors: { type: 'int', min: 16, max: 256, log: true, grid: [32, 64, 128] },
    cfWeight: { type: 'float', min: 0, max: 1, grid: [0.5, 0.7, 0.9] },
    shrinkage: { type: 'float', min: 0, max: 200, grid: [5, 20, 50] },
  },
  parseParams: (input) => parseParamsWith<HybridParams>('hybrid', input, RULES, DEFAULTS),
  create: (params) => new HybridModel(params),
  restore: (artifact) => {
    const params = hybridDefinition.parseParams(artifact.params);
    const { mean, cfFactors, cfConfidence } = artifact.arrays;
    const rank = artifact.meta.rank;
    if (!(mean instanceof Float32Array) || !(cfFactors instanceof Float32Array) || !(cfConfidence instanceof Float32Array) || typeof rank !== 'number') {
      throw new EngineError('INVALID_INPUT', 'hybrid artifact lacks its CF factors or mean vector');
    }
    const space = ItemVectorSpace.fromArtifact(artifact, spaceOptionsOf(params));
    return new HybridModel(params, { space, mean, cf: { rank, unitFactors: cfFactors, confidence: cfConfidence } });
  },
};
