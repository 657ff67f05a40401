import { EngineError } from '../core/errors.js';
import type { IdIndex } from '../core/ids.js';
import { emptyRow } from '../core/sparse.js';
import type { ItemId, Recommendation } from '../core/types.js';
import { explainCandidates } from '../care/explain.js';
import type { LiveProfile } from '../interests/live-profile.js';
import type { ModelBundle } from '../jobs/model-bundle.js';
import type { Store } from '../storage/store.js';
import { interleave, restrictRow } from './blend.js';
import { keepAvailable, loadItemMap, type Candidate } from './candidates.js';
import { attributeToHistory, popularReason } from './evidence.js';
import type { ItemPredicate } from './filters/compile.js';
import { recallDepths } from './filters/recall-depth.js';
import { queryFloorOf } from './query-floor.js';
import type { RequestContext } from './stage.js';
import { llmRerank, type LlmRerankOptions } from './stages/llm-rerank.js';
import { recallFromModel } from './stages/recall.js';
import { recallByQuery, recallSemantic, semanticModelOf } from './stages/semantic-recall.js';
import { traced } from './trace.js';

export interface RecommendRequest {
  count: number;
  /** Never returned: explicit excludes, plus consumed items unless the caller allows them. */
  exclude: Set<ItemId>;
  /** Undefined when the user is unknown or has not consented to personalisation. */
  profile?: LiveProfile;
  /** A free-text query and its raw embedding (from the engine's embedding provider). */
  query?: { text: string; vector: Float32Array };
  bundle: ModelBundle;
  store: Store;
  /** When set, a language model may reorder the head of the list within a deadline. */
  llm?: LlmRerankOptions;
  /** Quantile of random item-pair similarities a query match must reach (config recommend.queryFloorQuantile; 0 = off). */
  queryFloorQuantile?: number;
  /** Keeps only the items the request's filter expression accepts (docs/filters.md). */
  filter?: ItemPredicate;
}

export interface RecommendOutcome {
  items: Recommendation[];
  personalised: boolean;
  /** Set when a text query found fewer good matches than asked for (none, or only some). */
  notice?: string;
}

const DEFAULT_QUERY_FLOOR_QUANTILE = 0.99;
// Recall more than asked so that filtering unavailable items still leaves a full list.
const OVERFETCH = 3;
// Share of a personal list given to items added since the last training (they have no interactions yet).
const COLD_ITEM_SHARE = 0.2;

function toIndexes(ids: Iterable<ItemId>, index: IdIndex, below: number): Int32Array {
  const out: number[] = [];
  for (const id of ids) {
    const i = index.indexOf(id);
    if (i !== undefined && i < below) out.push(i);
  }
  return Int32Array.from(out);
}

/** Recall: a text query, else the main model over the live history (or content for text-only histories), plus cold items. */
async function recall(req: RecommendRequest, ctx: RequestContext, k: number, blocked: Set<ItemId>): Promise<{ main: Candidate[]; cold: Candidate[] }> {
  const { bundle, profile } = req;
  const semantic = semanticModelOf(bundle);
  const allExclude = toIndexes(blocked, bundle.items, bundle.items.size);
  const cfExclude = toIndexes(blocked, bundle.items, bundle.trainedItems);
  const row = profile?.row ?? emptyRow();
  if (req.query) {
    const query = req.query;
    if (!semantic) throw new EngineError('UNSUPPORTED', 'text queries need an embedding provider (config embeddings.provider) and items with text; retrain after setting it');
    const floor = queryFloorOf(semantic, semantic.itemCount, req.queryFloorQuantile ?? DEFAULT_QUERY_FLOOR_QUANTILE);
    const found = await traced(ctx, 'recall', 'query', 0, () => recallByQuery(bundle, semantic, query.vector, query.text, profile?.row, k, allExclude, floor), (c) => c.length);
    // The trace says how many found items reached the similarity floor (the rest were dropped or lost the search reason).
    ctx.trace.push({ stage: 'query-floor', kind: 'rerank', ms: 0, candidatesIn: found.length, candidatesOut: found.filter((c) => c.channel === 'query').length });
    return { main: found, cold: [] };
  }
  const cfRow = restrictRow(row, bundle.trainedItems);
  const personal = row.indices.length > 0;
  const popular = () =>
    recallFromModel({ model: bundle.models.popular, items: bundle.items, user: cfRow, k, exclude: cfExclude, channel: 'popular' })
      .map((c) => ({ ...c, reasons: [popularReason(c.score, bundle.models.popular.params, personal)] }));
  const mainChannel = ['semantic', 'hybrid'].includes(bundle.models.main.name) ? bundle.models.main.name : 'cf';
  let main: Candidate[] = [];
  if (cfRow.indices.length > 0) {
    // A popular main model recommends by popularity, and its reasons say so (no history item to attribute).
    const fromMain = bundle.models.main.name === 'popular'
      ? popular
      : () => recallFromModel({ model: bundle.models.main, items: bundle.items, user: cfRow, k, exclude: cfExclude, channel: mainChannel });
    main = await traced(ctx, 'recall', `cf:${bundle.models.main.name}`, 0, fromMain, (c) => c.length, popular);
  } else if (semantic && row.indices.length > 0) {
    main = await traced(ctx, 'recall', 'semantic', 0, () => recallSemantic(bundle, semantic, row, k, allExclude, false), (c) => c.length);
  }
  const cold = semantic && row.indices.length > 0 && bundle.items.size > bundle.trainedItems
    ? await traced(ctx, 'recall', 'cold-items', 0, () => recallSemantic(bundle, semantic, row, req.count, allExclude, true), (c) => c.length)
    : [];
  if (main.length < k) {
    const seen = new Set(main.map((c) => c.itemId));
    const fill = await traced(ctx, 'recall', 'popular', main.length, popular, (c) => c.length);
    main = main.concat(fill.filter((c) => !seen.has(c.itemId)));
  }
  return { main, cold };
}

/**
 * Recall -> availability filter (hidden, expired, excluded, negative feedback) -> optional LLM re-rank -> cold items
 * interleaved -> explain.
 * Every step is traced in ctx.trace.
 *
 * @example const { items, personalised } = await recommendForUser({ count: 10, exclude, profile, bundle, store }, ctx)
 */
export async function recommendForUser(req: RecommendRequest, ctx: RequestContext): Promise<RecommendOutcome> {
  const blocked = new Set([...req.exclude, ...(req.profile?.negatives ?? [])]);
  let available: { mainKept: Candidate[]; coldKept: Candidate[] } = { mainKept: [], coldKept: [] };
  // With a filter, recall deeper, and once more over the whole catalogue when the filtered list is still short.
  for (const k of recallDepths(req.count * OVERFETCH + 10, req.filter !== undefined, req.bundle.items.size)) {
    const { main, cold } = await recall(req, ctx, k, blocked);
    available = await traced(ctx, 'rerank', 'availability', main.length + cold.length, async () => {
      const shown = await keepAvailable(req.store, [...cold, ...main], ctx.clock.now(), blocked, req.filter);
      const coldKept = shown.filter((c) => c.channel === 'cold-items');
      const coldIds = new Set(coldKept.map((c) => c.itemId));
      return { coldKept, mainKept: shown.filter((c) => c.channel !== 'cold-items' && !coldIds.has(c.itemId)) };
    }, (c) => c.mainKept.length + c.coldKept.length);
    if (available.mainKept.length + available.coldKept.length >= req.count || main.length < k) break;
  }
  const { mainKept, coldKept } = available;
  const ranked = req.llm && req.profile
    ? await llmRerank(mainKept, [...(await loadItemMap(req.store, req.profile.recentItems.slice(0, 10))).values()], req.llm, ctx)
    : mainKept;
  const kept = interleave(ranked, coldKept, Math.max(1, Math.round(req.count * COLD_ITEM_SHARE)), req.count);

  const items = await traced(ctx, 'explain', 'reasons', kept.length, async () => {
    const attributed = req.profile ? attributeToHistory(req.bundle, restrictRow(req.profile.row, req.bundle.trainedItems), kept) : kept;
    const lookup = await loadItemMap(req.store, attributed.flatMap((c) => c.because.map((b) => b.itemId)));
    return explainCandidates(attributed, { lookup, typeOf: req.profile?.typeOf });
  }, (r) => r.length);
  const outcome: RecommendOutcome = { items, personalised: !!req.profile && req.profile.row.indices.length > 0 };
  if (req.query) {
    const matched = kept.filter((c) => c.channel === 'query').length;
    if (matched < req.count) outcome.notice = queryNotice(matched, outcome.personalised);
  }
  return outcome;
}

/**
 * What the answer says when a text query found fewer good matches than asked for.
 *
 * @example queryNotice(0, false) // 'Nothing matched your search well.'
 */
export function queryNotice(matched: number, personalised: boolean): string {
  const head = matched === 0 ? 'Nothing matched your search well' : `Only ${matched} ${matched === 1 ? 'item' : 'items'} matched your search well`;
  if (!personalised) return `${head}.`;
  return `${head}; ${matched === 0 ? 'these items' : 'the others'} follow your tastes instead.`;
}
