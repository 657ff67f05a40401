/**
 * The one configuration schema: every key with its type, default, environment variable and meaning.
 * Validation, defaults, env parsing, the CLI's help text and docs/configuration.md all come from CONFIG_FIELDS.
 */
export type FieldType = 'string' | 'number' | 'boolean' | 'string[]' | 'json';

export interface ConfigField {
  key: string;
  type: FieldType;
  default: unknown;
  env?: string;
  doc: string;
  /** Allowed values (strings) or inclusive range (numbers). */
  oneOf?: readonly string[];
  min?: number;
  max?: number;
}

export interface EventTypeConfig {
  /** Weight of one event of this type in the interaction matrix; negative types are kept out of it. */
  weight: number;
  /** Negative feedback (dislike, not interested): excluded from training positives and used by care stages. */
  negative?: boolean;
  /** Multiply the weight by the event's value (for ratings: value / 5). */
  scaleByValue?: boolean;
}

export const DEFAULT_EVENT_TYPES: Record<string, EventTypeConfig> = {
  view: { weight: 1 },
  click: { weight: 1 },
  cart: { weight: 3 },
  purchase: { weight: 5 },
  rating: { weight: 5, scaleByValue: true },
  like: { weight: 4 },
  review: { weight: 3 },
  dislike: { weight: 0, negative: true },
  not_interested: { weight: 0, negative: true },
  // "Show less like this": the item leaves the list and its neighbours are demoted (the negative-feedback stage).
  show_less: { weight: 0, negative: true },
  // Impressions record what was shown (for fatigue); showing is not interest.
  impression: { weight: 0 },
};

import { DEFAULT_RECALL_CHANNELS, DEFAULT_TRAIN_CHANNELS, FUSE_STAGE_NAMES, RERANK_STAGE_NAMES } from './pipeline-section.js';

export const CONFIG_FIELDS = [
  { key: 'store.url', type: 'string', default: 'sqlite://./kindred.db', env: 'KINDRED_DB', doc: 'System of record: sqlite://<path>, sqlite://:memory:, memory:// or postgres://user@host:5432/db?schema=name&pool=10 (docs/operations.md)' },
  { key: 'store.durability', type: 'string', default: 'full', env: 'KINDRED_DURABILITY', doc: 'What an acknowledged write survives: full (also power loss and OS crashes; SQLite synchronous=FULL, PostgreSQL as the server commits) or normal (process crashes only; faster small writes; on PostgreSQL synchronous_commit=off: a server crash may drop the last commits); see docs/operations.md', oneOf: ['full', 'normal'] },
  { key: 'store.lockTimeoutMs', type: 'number', default: 10000, env: 'KINDRED_LOCK_TIMEOUT_MS', doc: 'How long a write waits for another writer\'s lock (an import publishing; on PostgreSQL lock_timeout, at least 1 ms) before failing with CONFLICT; the wait never blocks other requests', min: 0, max: 600000 },
  { key: 'cache.url', type: 'string', default: 'memory://', env: 'KINDRED_CACHE', doc: 'Cache for precomputed lists: memory:// (per process), store:// (a table in the store: sqlite or postgres) or redis://host:port/db?prefix=kindred: (shared by every server; docs/serving.md)' },
  { key: 'log.level', type: 'string', default: 'info', env: 'KINDRED_LOG_LEVEL', doc: 'Log level', oneOf: ['debug', 'info', 'warn', 'error', 'silent'] },
  { key: 'server.host', type: 'string', default: '127.0.0.1', env: 'KINDRED_HOST', doc: 'HTTP listen address' },
  { key: 'server.port', type: 'number', default: 8080, env: 'KINDRED_PORT', doc: 'HTTP port (0 picks a free one)', min: 0, max: 65535 },
  { key: 'server.apiKeys', type: 'string[]', default: [], env: 'KINDRED_API_KEYS', doc: 'Comma-separated API keys; when set, every /v1 request needs `Authorization: Bearer <key>`' },
  { key: 'server.bodyLimitMb', type: 'number', default: 32, env: 'KINDRED_BODY_LIMIT_MB', doc: 'Largest accepted request body in MiB', min: 1, max: 1024 },
  { key: 'server.role', type: 'string', default: 'all', env: 'KINDRED_ROLE', doc: 'What `kindred serve` runs (docs/deploy.md): all (HTTP API and trainer in one process), api (HTTP API only: POST /v1/train queues a request for the trainer and answers 202) or trainer (no HTTP API: trains on trainer.everyMinutes, trainer.afterEvents and queued requests)', oneOf: ['all', 'api', 'trainer'] },
  { key: 'server.maxBatch', type: 'number', default: 50000, env: 'KINDRED_MAX_BATCH', doc: 'Most records accepted in one bulk request', min: 1 },
  { key: 'events.types', type: 'json', default: DEFAULT_EVENT_TYPES, env: 'KINDRED_EVENT_TYPES', doc: 'Event types and their weights (JSON object: type -> {weight, negative?, scaleByValue?})' },
  { key: 'events.allowUnknownTypes', type: 'boolean', default: false, env: 'KINDRED_ALLOW_UNKNOWN_EVENT_TYPES', doc: 'Accept event types not in events.types (weight 1)' },
  { key: 'events.sentimentWeighting', type: 'boolean', default: false, env: 'KINDRED_EVENTS_SENTIMENT_WEIGHTING', doc: 'Training weighs each event with text by its sentiment as live profiles do (care.negativeReviewBelow, care.warmReviewBoost): a clearly negative review adds nothing, a warm one more. Off by default: on Amazon musical instruments it changed NDCG@10 by less than the split-to-split noise (docs/care.md)' },
  { key: 'train.model', type: 'string', default: 'itemknn', env: 'KINDRED_MODEL', doc: 'Main collaborative model trained by `kindred train`' },
  { key: 'train.params', type: 'json', default: {}, env: 'KINDRED_MODEL_PARAMS', doc: 'Parameters of the main model (JSON object; see docs/models.md)' },
  { key: 'train.keepVersions', type: 'number', default: 3, env: 'KINDRED_KEEP_VERSIONS', doc: 'Model versions kept in the store after each training (the serving and pinned versions are always kept)', min: 1 },
  { key: 'train.channels', type: 'json', default: DEFAULT_TRAIN_CHANNELS, env: 'KINDRED_TRAIN_CHANNELS', doc: 'Extra collaborative models trained beside the main one as recall channels for fusion (JSON object: model -> params; the main model and popular are skipped; {} = none; see docs/fusion.md)' },
  { key: 'train.fusion', type: 'boolean', default: true, env: 'KINDRED_TRAIN_FUSION', doc: 'Learn the fusion ranker at training on held-out events (about doubles the collaborative fitting time; skipped when fewer than 20 users have enough events); pipeline.fuse learned uses it' },
  { key: 'train.thread', type: 'string', default: 'worker', env: 'KINDRED_TRAIN_THREAD', doc: 'Where training runs: worker (a worker thread, for file and PostgreSQL stores; memory stores always train in-thread) or main', oneOf: ['worker', 'main'] },
  { key: 'trainer.everyMinutes', type: 'number', default: 0, env: 'KINDRED_TRAINER_EVERY_MINUTES', doc: 'The trainer (serve --role trainer or all) trains when the newest model version is this many minutes old (0 = no schedule)', min: 0, max: 525600 },
  { key: 'trainer.afterEvents', type: 'number', default: 0, env: 'KINDRED_TRAINER_AFTER_EVENTS', doc: 'The trainer trains once this many events were stored since the newest model version was trained (counted from the event count its training recorded; 0 = off)', min: 0 },
  { key: 'trainer.checkSeconds', type: 'number', default: 5, env: 'KINDRED_TRAINER_CHECK_SECONDS', doc: 'How often the trainer checks its schedule, the event count and queued training requests (queued requests arrive at once on a store with notices)', min: 1, max: 3600 },
  { key: 'trainer.leaseSeconds', type: 'number', default: 30, env: 'KINDRED_TRAINER_LEASE_SECONDS', doc: 'A training holds the store lease `trainer` for this long, renewed every third of it while it fits, so one training runs at a time across every process on the store; a killed trainer\'s lease runs out after it', min: 1, max: 3600 },
  { key: 'models.pollSeconds', type: 'number', default: 3, env: 'KINDRED_MODELS_POLL_SECONDS', doc: 'How often a running engine checks the store for a new or pinned model version (0 = never)', min: 0, max: 3600 },
  { key: 'popular.halfLifeDays', type: 'number', default: 0, env: 'KINDRED_POPULAR_HALF_LIFE_DAYS', doc: 'Half-life of popularity decay in days (0 = no decay)', min: 0 },
  { key: 'recommend.count', type: 'number', default: 10, env: 'KINDRED_RECOMMEND_COUNT', doc: 'Default list length', min: 1, max: 1000 },
  { key: 'recommend.excludeConsumed', type: 'boolean', default: true, env: 'KINDRED_EXCLUDE_CONSUMED', doc: 'Never recommend items the user already interacted with' },
  { key: 'recommend.historyLimit', type: 'number', default: 500, env: 'KINDRED_HISTORY_LIMIT', doc: 'Most recent events read per request to build the live profile', min: 1 },
  { key: 'recommend.queryFloorQuantile', type: 'number', default: 0.99, env: 'KINDRED_QUERY_FLOOR_QUANTILE', doc: 'A text-query match must be at least as similar to the query as this quantile of random item pairs (0 = no floor; see docs/semantic.md)', min: 0, max: 1 },
  { key: 'pipeline.recall', type: 'json', default: DEFAULT_RECALL_CHANNELS, env: 'KINDRED_PIPELINE_RECALL', doc: 'Recall channels that run, each with its budget (JSON object: channel -> {quota, pad, deadlineMs, minScore?, and the channel\'s own settings}; a channel recalls quota × list length + pad candidates and keeps those scoring at least minScore, a channel still waiting past deadlineMs, or failing, is left out and traced as degraded). Channels: cf, semantic, cold-items, popular, query, ensemble, item-to-item, category, trending, fresh, next-item, interests; leave one out to turn it off' },
  { key: 'pipeline.fuse', type: 'string', default: 'learned', env: 'KINDRED_PIPELINE_FUSE', doc: 'How channels are fused into one ranking: learned (the model version\'s fusion ranker, learned at training; main-first when the version has none), rrf (reciprocal-rank fusion, nothing learned) or main-first (the main model\'s order, popular items as filler, new items interleaved); see docs/fusion.md', oneOf: FUSE_STAGE_NAMES },
  { key: 'pipeline.coldItemShare', type: 'number', default: 0.2, env: 'KINDRED_PIPELINE_COLD_ITEM_SHARE', doc: 'Share of a personal list given to items added since the last training that suit the user by content (at least one when any qualifies)', min: 0, max: 1 },
  { key: 'pipeline.rerank', type: 'string[]', default: ['fatigue', 'negative-feedback', 'long-tail', 'diversity', 'short-term-slot', 'interest-preferences', 'llm-rerank', 'gentle', 'budget'], env: 'KINDRED_PIPELINE_RERANK', doc: `Re-rank stages run after fusion, in order (known: ${RERANK_STAGE_NAMES.join(', ')}; fatigue fades items shown often without engagement and acts only for users with impressions (care.fatigueAfter), negative-feedback demotes the categories, tags and neighbours of items the user turned down and acts only for users with negative feedback (care.negativeRepeat), long-tail lifts less-known items by care.novelty, diversity varies the list by care.diversity and care.categoryCap, calibration matches its genres to the user's by care.calibration, gentle demotes distressing items for a user whose recent texts are strongly negative when care.gentle is on, budget applies care.dailyBudget and care.qualityFloor and belongs last (docs/care.md); short-term-slot keeps the best item for the newest events in the last shown place when interests.shortTermSlot is on, interest-preferences acts only for users who muted or boosted an interest, llm-rerank only when llm.rerank is on)` },
  { key: 'pipeline.cacheLists', type: 'boolean', default: true, env: 'KINDRED_PIPELINE_CACHE_LISTS', doc: 'Keep each personal list in the cache under a digest of the pipeline config and model version, and serve it again while the user has no new events' },
  { key: 'pipeline.precompute', type: 'boolean', default: false, env: 'KINDRED_PIPELINE_PRECOMPUTE', doc: 'After each model swap, compute the lists of inactive users into the cache in the background (one user at a time, between requests); `kindred precompute` does it on demand' },
  { key: 'pipeline.precomputeInactiveDays', type: 'number', default: 7, env: 'KINDRED_PIPELINE_PRECOMPUTE_INACTIVE_DAYS', doc: 'A user with an event in this many days is active: their list is computed live on request, not precomputed', min: 0, max: 3650 },
  { key: 'interests.maxInterests', type: 'number', default: 4, env: 'KINDRED_INTERESTS_MAX', doc: 'Most interests (clusters of the user\'s items) in a profile; fewer when the items do not split clearly (see docs/interests.md)', min: 1, max: 12 },
  { key: 'interests.longHalfLifeDays', type: 'number', default: 365, env: 'KINDRED_INTERESTS_LONG_HALF_LIFE_DAYS', doc: 'Half-life in days of the long-term interest, over the whole history (0 = no decay)', min: 0 },
  { key: 'interests.shortWindow', type: 'number', default: 20, env: 'KINDRED_INTERESTS_SHORT_WINDOW', doc: 'Most recent positive events the short-term interest reads', min: 1, max: 10000 },
  { key: 'interests.shortHalfLifeDays', type: 'number', default: 7, env: 'KINDRED_INTERESTS_SHORT_HALF_LIFE_DAYS', doc: 'Half-life in days inside the short-term window (0 = no decay)', min: 0 },
  { key: 'interests.historyLimit', type: 'number', default: 2000, env: 'KINDRED_INTERESTS_HISTORY_LIMIT', doc: 'Most recent events a profile reads (its "whole history")', min: 1 },
  { key: 'interests.shortTermSlot', type: 'boolean', default: true, env: 'KINDRED_INTERESTS_SHORT_TERM_SLOT', doc: 'Give the last item of a personal list to the main model\'s best item for the user\'s newest events (interests.shortTermEvents) when the whole history did not place it higher, so one new like shows in the next list (see docs/interests.md, "Short-term weight")' },
  { key: 'interests.shortTermSlotHours', type: 'number', default: 72, env: 'KINDRED_INTERESTS_SHORT_TERM_SLOT_HOURS', doc: 'The short-term slot acts only while the user\'s newest positive event is at most this many hours old: a returning user\'s old events are no short-term interest (and an offline replay of old data never triggers it)', min: 0, max: 87600 },
  { key: 'interests.shortTermEvents', type: 'number', default: 3, env: 'KINDRED_INTERESTS_SHORT_TERM_EVENTS', doc: 'Newest positive events in the short-term row the short-term slot recommends from (weighted by interests.shortTermHalfLife)', min: 1, max: 100 },
  { key: 'interests.shortTermHalfLife', type: 'number', default: 1, env: 'KINDRED_INTERESTS_SHORT_TERM_HALF_LIFE', doc: 'In events: in the short-term row (and the short-term share), an event weighs half as much as one this many positive events newer', min: 0.1, max: 10000 },
  { key: 'interests.shortTermShare', type: 'number', default: 0, env: 'KINDRED_INTERESTS_SHORT_TERM_SHARE', doc: 'Share of the whole history row the models fold in that goes to the most recent positive events (newest heaviest, see interests.shortTermHalfLife); the rest is spread over the history alike. 0 = every event counts the same. More responsive than the slot but costs accuracy on random splits (docs/benchmarks.md)', min: 0, max: 0.95 },
  { key: 'embeddings.provider', type: 'string', default: 'builtin', env: 'KINDRED_EMBEDDINGS', doc: 'Embedding provider: builtin, ngram, openai://<model>, transformers://<model>, or none' },
  { key: 'privacy.pseudonymousIds', type: 'boolean', default: false, env: 'KINDRED_PSEUDONYMOUS_IDS', doc: 'Store a keyed hash (HMAC-SHA256, 32 hex characters) of every external user id instead of the id; the secret key comes from KINDRED_ID_KEY (at least 16 characters) and must stay the same for the life of the store (docs/privacy.md)' },
  { key: 'llm.provider', type: 'string', default: 'none', env: 'KINDRED_LLM', doc: 'LLM provider: none or openai://<model> (base URL from KINDRED_OPENAI_BASE_URL, key from OPENAI_API_KEY)' },
  { key: 'llm.rerank', type: 'boolean', default: false, env: 'KINDRED_LLM_RERANK', doc: 'Let the LLM reorder the head of personal lists (needs llm.provider)' },
  { key: 'llm.rerankTop', type: 'number', default: 20, env: 'KINDRED_LLM_RERANK_TOP', doc: 'How many of the best candidates the LLM may reorder', min: 2, max: 100 },
  { key: 'llm.deadlineMs', type: 'number', default: 1500, env: 'KINDRED_LLM_DEADLINE_MS', doc: 'Hard limit for an LLM call inside a request; past it the list keeps its order', min: 50, max: 60000 },
  { key: 'care.diversityMethod', type: 'string', default: 'dpp', env: 'KINDRED_CARE_DIVERSITY_METHOD', doc: 'How the diversity re-rank stage varies the list: mmr (maximal marginal relevance), dpp (fast greedy DPP) or pm2 (PM-2: categories in proportion to the user\'s own mix, Dang & Croft 2012); see docs/care.md', oneOf: ['mmr', 'dpp', 'pm2'] },
  { key: 'care.diversity', type: 'number', default: 0.3, env: 'KINDRED_CARE_DIVERSITY', doc: 'Strength of the diversity re-rank stage (pipeline.rerank must name diversity): 0 = off (the stage is not run), 1 weighs only variety; requests may set their own (?diversity=). Grows with the user\'s history (care.historyRampStart..Full), so users with a few events keep their lists; with care.novelty 0.3 it cost 2.5–2.6 % of NDCG@10 for 4–5 % more genre diversity and 13 % more coverage on ml-100k and ml-latest-small (docs/care.md)', min: 0, max: 1 },
  { key: 'care.categoryCap', type: 'number', default: 0, env: 'KINDRED_CARE_CATEGORY_CAP', doc: 'At most this many items of one category in a list, applied by the diversity stage (0 = no cap)', min: 0, max: 1000 },
  { key: 'care.calibration', type: 'number', default: 0, env: 'KINDRED_CARE_CALIBRATION', doc: "Trade-off λ of the calibration re-rank stage (pipeline.rerank must name calibration): how much the list's category mix must match the user's history (Steck 2018); 0 = off; requests may set their own", min: 0, max: 1 },
  { key: 'care.fatigueAfter', type: 'number', default: 3, env: 'KINDRED_CARE_FATIGUE_AFTER', doc: 'The fatigue re-rank stage (pipeline.rerank must name fatigue): an item shown this many times (impression events) since the user last engaged with it starts to fade; 0 = items never fade (the cap still applies). A no-op for users without impressions (docs/care.md)', min: 0, max: 1000 },
  { key: 'care.fatigueDecay', type: 'number', default: 0.3, env: 'KINDRED_CARE_FATIGUE_DECAY', doc: 'Share of its relevance (by fused position) a fading item loses per impression from care.fatigueAfter on: 0.3 keeps 70 %, then 49 %...', min: 0, max: 1 },
  { key: 'care.impressionCap', type: 'number', default: 6, env: 'KINDRED_CARE_IMPRESSION_CAP', doc: 'An item shown this many times since the user last engaged with it (within care.fatigueWindowDays and the cool-down) is left out of their lists; 0 = no cap', min: 0, max: 1000 },
  { key: 'care.cooldownHours', type: 'number', default: 72, env: 'KINDRED_CARE_COOLDOWN_HOURS', doc: "An item not shown to the user for this many hours starts again from 0 impressions (faded and capped items come back); 0 = no cool-down", min: 0, max: 87600 },
  { key: 'care.fatigueWindowDays', type: 'number', default: 30, env: 'KINDRED_CARE_FATIGUE_WINDOW_DAYS', doc: "How far back the fatigue stage reads a user's impressions (one extra store read per personal request, at most 5000 impressions)", min: 1, max: 3650 },
  { key: 'care.repeatAfterDays', type: 'number', default: 0, env: 'KINDRED_CARE_REPEAT_AFTER_DAYS', doc: 'Repeat consumption (music, groceries): an item the user last engaged with at least this many days ago may be recommended again although recommend.excludeConsumed is on; 0 = consumed items never come back', min: 0, max: 36500 },
  { key: 'care.negativeRepeat', type: 'number', default: 2, env: 'KINDRED_CARE_NEGATIVE_REPEAT', doc: 'The negative-feedback re-rank stage (pipeline.rerank must name negative-feedback): after this many items of one category or tag turned down (not_interested, dislike, show_less), candidates of that category or tag are demoted; 0 = no category or tag demotion (docs/care.md)', min: 0, max: 1000 },
  { key: 'care.negativeFade', type: 'number', default: 0.5, env: 'KINDRED_CARE_NEGATIVE_FADE', doc: 'Share of its relevance (by fused position) a candidate of a demoted category or tag loses at care.negativeRepeat negatives, and again per further negative: 0.5 keeps 50 %, then 25 %...; never removed', min: 0, max: 0.99 },
  { key: 'care.showLessFade', type: 'number', default: 0.5, env: 'KINDRED_CARE_SHOW_LESS_FADE', doc: 'Share of its relevance a candidate loses when it is as similar as can be (similarity 1) to an item the user asked to see less like (show_less); in proportion to similarity × strength below that', min: 0, max: 0.99 },
  { key: 'care.dailyBudget', type: 'number', default: 0, env: 'KINDRED_CARE_DAILY_BUDGET', doc: 'At most this many items shown to a user per rolling 24 h, counted from their impression events (pipeline.rerank must name budget); a request past it returns fewer items or none, with a notice; 0 = off', min: 0, max: 100000 },
  { key: 'care.qualityFloor', type: 'number', default: 0, env: 'KINDRED_CARE_QUALITY_FLOOR', doc: 'Items whose fused score is below this are not shown (pipeline.rerank must name budget): the list comes back shorter with a notice. With learned fusion the score is a probability (0.05 is a sensible floor); with rrf it is the sum of 1/(60 + rank) over channels; with main-first the placing channel\'s own score. 0 = off; requests may set their own (?qualityFloor=)', min: 0, max: 1 },
  { key: 'care.negativeReviewBelow', type: 'number', default: -0.3, env: 'KINDRED_CARE_NEGATIVE_REVIEW_BELOW', doc: "A review (an event's text) whose sentiment (wink-nlp, English, −1..1) is below this is negative feedback even with a high star rating: the item leaves the user's positive history and its neighbours are wanted less (LiveProfile.lessLike); −1 = off. −0.3 flags 0.5 % of Amazon musical-instrument reviews, half of them 1–2 stars (docs/care.md)", min: -1, max: 0 },
  { key: 'care.warmReviewBoost', type: 'number', default: 0, env: 'KINDRED_CARE_WARM_REVIEW_BOOST', doc: "k in weight × (1 + k · sentiment) for a review with positive sentiment: a warm review strengthens the user's signal on the item; 0 = off (the default: on Amazon musical instruments k = 0.5 in training cost ALS and item-kNN 0.001 NDCG@10, docs/care.md)", min: 0, max: 5 },
  { key: 'care.llmSentiment', type: 'boolean', default: false, env: 'KINDRED_CARE_LLM_SENTIMENT', doc: "Ask the LLM provider (llm.provider) for the sentiment of a user's texts the built-in English model cannot read (Chinese, Japanese, other scripts), newest 20 per request, once each, within llm.deadlineMs; off by default because it sends the user's text to the provider (docs/care.md)" },
  { key: 'care.gentle', type: 'boolean', default: false, env: 'KINDRED_CARE_GENTLE', doc: "Gentle mode (pipeline.rerank must name gentle): when the user's own recent texts are strongly negative on average (care.gentleMoodBelow), items whose own text is distressing (care.distressingBelow) move below the others; requests may set their own (?gentle=true)" },
  { key: 'care.gentleWindowDays', type: 'number', default: 14, env: 'KINDRED_CARE_GENTLE_WINDOW_DAYS', doc: "Gentle mode reads the user's texts (reviews, comments) of this many days back", min: 1, max: 3650 },
  { key: 'care.gentleMoodBelow', type: 'number', default: -0.3, env: 'KINDRED_CARE_GENTLE_MOOD_BELOW', doc: "Gentle mode acts when the mean sentiment of the user's recent texts is below this", min: -1, max: 0 },
  { key: 'care.distressingBelow', type: 'number', default: -0.5, env: 'KINDRED_CARE_DISTRESSING_BELOW', doc: 'In gentle mode, an item whose own text (else its title) scores below this sentiment is distressing and moves below the items that are not; −0.5 marks 3.4 % of TMDB movie overviews (7.7 % of horror, 1 % of family films; docs/care.md)', min: -1, max: 0 },
  { key: 'care.impressionTokenHours', type: 'number', default: 24, env: 'KINDRED_CARE_IMPRESSION_TOKEN_HOURS', doc: 'A user\'s recommendation answers carry `impressionToken`, which POST /v1/impressions accepts back as { token } to record the list as shown, for this many hours after the answer; 0 = answers carry no token', min: 0, max: 720 },
  { key: 'care.impressionTokenSecret', type: 'string', default: '', env: 'KINDRED_CARE_IMPRESSION_TOKEN_SECRET', doc: 'Secret that signs impression tokens (HMAC-SHA256). Empty: a random secret is generated once and kept in the store (artifact impression-token-secret), so every server on one store shares it' },
  { key: 'care.novelty', type: 'number', default: 0.3, env: 'KINDRED_CARE_NOVELTY', doc: 'Strength of the long-tail re-rank stage (pipeline.rerank must name long-tail): less-known items are lifted by relevance − strength · normalised log popularity over the first care.noveltyDepth × count fused candidates; 0 = off (the stage is not run); requests may set their own (?novelty=); grows with the user\'s history like care.diversity (docs/care.md)', min: 0, max: 1 },
  { key: 'care.noveltyDepth', type: 'number', default: 5, env: 'KINDRED_CARE_NOVELTY_DEPTH', doc: 'How deep into the fused list the long-tail stage looks, as a multiple of the list length (coverage moves only when it reaches beyond the head the other stages see)', min: 1, max: 100 },
  { key: 'care.historyRampStart', type: 'number', default: 5, env: 'KINDRED_CARE_HISTORY_RAMP_START', doc: "Users with at most this many items in their history get none of the configured diversity and novelty strengths (a request's own strength is taken as asked); the strengths grow linearly to full at care.historyRampFull", min: 0, max: 100000 },
  { key: 'care.historyRampFull', type: 'number', default: 40, env: 'KINDRED_CARE_HISTORY_RAMP_FULL', doc: 'Users with at least this many items in their history get the full configured diversity and novelty strengths (at or below care.historyRampStart the ramp is a step here)', min: 0, max: 100000 },
] as const satisfies readonly ConfigField[];
