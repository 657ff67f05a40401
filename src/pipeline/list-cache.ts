import { createHash } from 'node:crypto';
import type { KindredConfig } from '../config/config.js';
import { careDigestText, setsCare } from '../care/care-settings.js';
import { dailyBudget, gentleMode, qualityFloor, type CareOverride } from '../care/care-strength.js';
import type { ModelBundle } from '../models/model-bundle.js';
import type { Cache, CachedList, CachedListItem, CacheKey } from '../storage/cache.js';
import type { Candidate } from './candidates.js';
import type { RecommendContext } from './request-context.js';
import { cfEvidenceKind } from './stages/recall/cf.js';

/** The cache's list name for personal recommendation lists. */
export const RECOMMEND_LIST = 'recommend';

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Digest of everything that made a list besides the user's history: the `pipeline` section, the settings the request
 * context depends on (events, exclusion, history window, the LLM re-ranker), the served model version and the size of
 * its item index (it grows when items are added without retraining). A change to any of them changes the digest, so
 * exactly the lists it made stop being served.
 *
 * @example const digest = stageDigest(config, bundle)
 */
export function stageDigest(config: KindredConfig, bundle: ModelBundle): string {
  // Memoised per config and bundle (hashing the config's JSON on every request was a visible share of a cached
  // request's time); the item count is checked again because items added without retraining grow the bundle's index.
  const byBundle = digests.get(config) ?? new WeakMap<ModelBundle, { items: number; digest: string }>();
  digests.set(config, byBundle);
  const known = byBundle.get(bundle);
  if (known && known.items === bundle.items.size) return known.digest;
  const digest = computeStageDigest(config, bundle);
  byBundle.set(bundle, { items: bundle.items.size, digest });
  return digest;
}

const digests = new WeakMap<KindredConfig, WeakMap<ModelBundle, { items: number; digest: string }>>();

function computeStageDigest(config: KindredConfig, bundle: ModelBundle): string {
  return sha256(JSON.stringify({
    pipeline: config.pipeline,
    recommend: { excludeConsumed: config.recommend.excludeConsumed, historyLimit: config.recommend.historyLimit },
    events: config.events.types,
    llm: { provider: config.llm.provider, rerank: config.llm.rerank, rerankTop: config.llm.rerankTop },
    care: { ...config.care, impressionTokenHours: undefined, impressionTokenSecret: undefined }, // tokens do not change lists
    model: { name: bundle.models.main.name, version: bundle.version, items: bundle.items.size },
  }));
}

/** Whether this request's list may be served from, and written to, the cache: a plain personal request. */
export interface CacheableRequest {
  exclude?: unknown[];
  includeConsumed?: boolean;
  query?: string;
  /** A scenario's lists are computed live: its filter, quotas and length are not part of the stage digest. */
  scenario?: string;
  /** A request's own care settings: its list is computed live (a user's stored preferences are in the key instead). */
  care?: CareOverride;
}

/**
 * The cache key of a plain personal request (no query, excludes or business rules), or undefined when the request is
 * not cacheable. The digest joins the stage digest, the list length and the digest of the user's history window (and,
 * with the interests channel on, the stored interests it read): a user with events since the list was made has another
 * history digest, so the list is computed live. A user with impressions in the fatigue window gets a live list too.
 * A user's stored care preferences (ctx.care without a request override) are part of the digest, so changing them
 * changes the key; a request's own care settings make the list live.
 *
 * @example const key = listKey(ctx, opts, stageDigest(config, bundle))
 */
export function listKey(ctx: RecommendContext, opts: CacheableRequest, digest: string): CacheKey | undefined {
  if (!ctx.config.pipeline.cacheLists || ctx.userId === undefined || !ctx.profile || !ctx.historyDigest) return undefined;
  if (ctx.query || opts.query?.trim() || (opts.exclude?.length ?? 0) > 0 || opts.includeConsumed || ctx.keepItem || opts.scenario !== undefined || setsCare(opts.care)) return undefined;
  if ((ctx.impressions?.length ?? 0) > 0) return undefined; // fatigue depends on impressions and the time since them
  if (qualityFloor(ctx) > 0 || dailyBudget(ctx) > 0) return undefined; // the budget stage's notice is not cached
  if (gentleMode(ctx)) return undefined; // gentle mode reads the mood of a time window, which moves with the clock
  const care = ctx.care ? `|care:${careDigestText(ctx.care)}` : '';
  return { list: RECOMMEND_LIST, subject: ctx.userId, digest: sha256(`${digest}|${ctx.count}|${ctx.historyDigest}${interestsDigest(ctx)}${care}`) };
}

/**
 * The stored interests the interests channel read ('' when it is off): a profile built or clustered again without a
 * new event (the first read of GET /profile, say) changes that channel's candidates, and so the list.
 */
function interestsDigest(ctx: RecommendContext): string {
  if (!ctx.config.pipeline.recall.interests) return '';
  return `|${ctx.interestSpace ?? ''}:${(ctx.interests ?? []).map((i) => `${i.id}=${i.weight}`).join(',')}`;
}

/**
 * A cached list back as candidates: each keeps the channel that placed it (its provenance) and its score; its rank
 * is its position in the list. Undefined when an item does not say which channel placed it (no reasons could be built).
 *
 * @example const candidates = fromCachedList(list, ctx)
 */
export function fromCachedList(list: CachedList, ctx: RecommendContext): Candidate[] | undefined {
  if (list.items.some((it) => it.via === undefined)) return undefined;
  return list.items.map((it, rank) => {
    const via = it.via ?? '';
    const as = via === 'cf' ? cfEvidenceKind(ctx.bundle.models.main.name) : via;
    return {
      itemId: it.itemId, via, score: it.score, scores: { [via]: { score: it.score, rank, as } },
      ...(it.because ? { because: it.because } : {}), ...(it.variety ? { variety: true } : {}), ...(it.lessKnown ? { lessKnown: true } : {}),
    };
  });
}

/**
 * Replaces the user's cached list with this ranking (one list per user: older ones, from other configs or histories,
 * are dropped).
 *
 * @example await storeList(cache, key, ranked, clock.now())
 */
export async function storeList(cache: Cache, key: CacheKey, ranked: Candidate[], nowMs: number): Promise<void> {
  await cache.invalidate({ list: key.list, subject: key.subject });
  await cache.put(key, { items: ranked.map(cachedItemOf), createdAt: new Date(nowMs).toISOString() });
}

/** What a hit needs of a ranked candidate: its provenance, and for a shown one its credits and the care stages' marks. */
function cachedItemOf(c: Candidate): CachedListItem {
  const item: CachedListItem = { itemId: c.itemId, score: c.score, via: c.via };
  if (c.because) item.because = c.because;
  if (c.variety) item.variety = true;
  if (c.lessKnown) item.lessKnown = true;
  return item;
}
