import type { Recommendation } from '../core/types.js';
import type { Cache } from '../storage/cache.js';
import { evidenceOf } from './candidates.js';
import { fromCachedList, listKey, storeList, type CacheableRequest } from './list-cache.js';
import type { MovementLog } from './movement.js';
import { runOnCachedList, runPipeline, type PipelineRun } from './pipeline.js';
import type { PipelineStages } from './registry.js';
import type { RecommendContext } from './request-context.js';

/** The list cache and what a request's key is made of (see list-cache.ts). */
export interface ListCaching {
  cache: Cache;
  /** stageDigest() of the config and model that serve this request. */
  digest: string;
  request: CacheableRequest;
}

export interface RecommendOutcome {
  items: Recommendation[];
  personalised: boolean;
  /** Set when a text query found fewer good matches than asked for (none, or only some), or the daily budget or quality floor shortened the list. */
  notice?: string;
  /** The fused list and each re-rank stage's output (movement.ts); undefined for a list served from the cache. */
  movement?: MovementLog;
}

/** Where a list came from: the cache, the live pipeline (then stored), or the live pipeline without caching. */
type ListSource = 'cached' | 'computed' | 'uncacheable';

/**
 * The list from the cache when one made by the same stage config, model and history is there, else from the live
 * pipeline (cached afterwards unless a stage degraded).
 */
async function cachedOrLive(stages: PipelineStages, ctx: RecommendContext, caching?: ListCaching): Promise<{ run: PipelineRun; source: ListSource }> {
  const key = caching ? listKey(ctx, caching.request, caching.digest) : undefined;
  if (!caching || !key) return { run: await runPipeline(stages, ctx), source: 'uncacheable' };
  const t0 = performance.now();
  const list = await caching.cache.get(key);
  const cached = list ? fromCachedList(list, ctx) : undefined;
  const hit = cached ? await runOnCachedList(stages, ctx, cached, t0) : undefined;
  if (hit) return { run: hit, source: 'cached' };
  const run = await runPipeline(stages, ctx);
  if (ctx.trace.some((t) => t.degraded !== undefined)) return { run, source: 'uncacheable' };
  await storeList(caching.cache, key, run.ranked, ctx.clock.now());
  return { run, source: 'computed' };
}

/**
 * A user's list: the pipeline's stages over the prepared request (see pipeline.ts and request-context.ts), or the
 * list the same stages made for the same history when the cache holds it; plus whether it is personal and, for a text
 * query, what the answer says when few items matched.
 *
 * @example const { items, personalised } = await recommendForUser(stages, await buildRecommendContext(userId, opts, deps))
 */
export async function recommendForUser(stages: PipelineStages, ctx: RecommendContext, caching?: ListCaching): Promise<RecommendOutcome> {
  const { items, shown, movement } = (await cachedOrLive(stages, ctx, caching)).run;
  const outcome: RecommendOutcome = { items, personalised: ctx.row.indices.length > 0, ...(movement ? { movement } : {}) };
  if (ctx.query) {
    const matched = shown.filter((c) => evidenceOf(c) === 'query').length;
    if (matched < ctx.count) outcome.notice = queryNotice(matched, outcome.personalised);
  }
  const notices = [outcome.notice, ...(ctx.notices ?? [])].filter((n) => n !== undefined);
  if (notices.length > 0) outcome.notice = notices.join(' ');
  return outcome;
}

/**
 * Serves a user's default list through the cache, for precomputing (jobs/materializer.ts): 'cached' when the cache
 * already held the list this config, model and history make, 'computed' when it was computed and stored,
 * 'uncacheable' when no cache key applies (no personal history, lists not cached) or a stage degraded.
 *
 * @example await serveThroughCache(stages, ctx, { cache, digest, request: {} }) // 'computed'
 */
export async function serveThroughCache(stages: PipelineStages, ctx: RecommendContext, caching: ListCaching): Promise<ListSource> {
  return (await cachedOrLive(stages, ctx, caching)).source;
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
