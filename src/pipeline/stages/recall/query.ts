import { EngineError } from '../../../core/errors.js';
import { blendQueryVector } from '../../../models/semantic/text-query.js';
import { queryFloorOf } from '../../query-floor.js';
import type { RecommendContext } from '../../request-context.js';
import type { RecallChannel } from './channel.js';
import { fromScored } from './from-model.js';
import { semanticModelOf, type SemanticModel } from './semantic.js';
import { trainedBundleOf } from '../../../models/model-bundle.js';

/** How much a free-text query weighs against the user's own taste when both are given. */
export const QUERY_WEIGHT = 0.7;

/**
 * The semantic model a text query needs; throws EngineError UNSUPPORTED when there is none, since the request cannot
 * be answered by any other channel. (A query with the channel turned off is refused by the context builder.)
 *
 * @example const model = requireQueryModel(ctx)
 */
export function requireQueryModel(ctx: RecommendContext): SemanticModel {
  const model = semanticModelOf(ctx.bundle);
  if (!model) throw new EngineError('UNSUPPORTED', 'text queries need an embedding provider (config embeddings.provider) and items with text; retrain after setting it');
  return model;
}

/**
 * Items nearest to a free-text query, blended with the user's history vector when there is one. Only items whose
 * similarity to the query itself reaches the floor (see query-floor.ts) are matches: alone, the query returns only
 * those (possibly none); blended, the others stay as items close to the user's tastes (evidence 'semantic') and do not
 * claim to match the search. The trace gets a 'query-floor' entry: how many found items reached the floor.
 *
 * @example await queryChannel.run({ k: 40, signal }, ctx)
 */
export const queryChannel: RecallChannel = {
  kind: 'recall',
  name: 'query',
  applies: (ctx) => !!ctx.query,
  async run({ k }, ctx) {
    const query = ctx.query;
    if (!query) return [];
    const model = requireQueryModel(ctx);
    // The floor describes the catalogue as trained: computed once per trained model, not again for every added item.
    const trained = semanticModelOf(trainedBundleOf(ctx.bundle)) ?? model;
    const floor = queryFloorOf(trained, trained.itemCount, ctx.config.recommend.queryFloorQuantile);
    const q = model.encodeText(query.vector);
    const blended = ctx.row.indices.length > 0;
    const vector = blended ? blendQueryVector(q, model.userVector(ctx.row), QUERY_WEIGHT) : q;
    const found = model.recommendByVector(vector, k, { exclude: ctx.blockedIndexes.all });
    // How close each found item is to the query alone (the blended score mixes in the user's taste).
    const toQuery = blended
      ? new Map(model.recommendByVector(q, found.length, { candidates: Int32Array.from(found, (s) => s.index) }).map((s) => [s.index, s.score]))
      : new Map(found.map((s) => [s.index, s.score]));
    const matches = (item: number): boolean => (toQuery.get(item) ?? -Infinity) >= floor;
    const kept = blended ? found : found.filter((s) => matches(s.index));
    ctx.trace.push({ stage: 'query-floor', kind: 'rerank', ms: 0, candidatesIn: found.length, candidatesOut: found.filter((s) => matches(s.index)).length });
    return fromScored('query', kept, ctx.bundle.items, (index) => (matches(index) ? 'query' : 'semantic'));
  },
  evidence: (ctx) => {
    const model = semanticModelOf(ctx.bundle);
    return model ? { model, user: ctx.row } : undefined;
  },
};
