/**
 * Kindred's public API: named re-exports only. Anything not exported here is internal and may change.
 *
 * @example
 * import { createEngine, resolveConfig } from 'kindred';
 * const engine = await createEngine(resolveConfig({ store: { url: 'sqlite://./kindred.db' } }));
 */

// engine and configuration
export { createEngine, type EngineDeps } from './engine.js';
export type {
  Engine, EngineStatus, RecommendOptions, RecommendResult, SimilarOptions, SimilarResult, TrainOptions, TrainReport,
} from './engine-types.js';
export type { ModelsReport, PrecomputeRequest, QueuedTraining, WhyResult, WhyVerdict, WhyMove, SimilarBasis, ServiceHealth } from './engine-types.js';
export type { EventTimeline, EventTimelineBucket, ItemExposure, ItemExposureBucket } from './stats/event-timeline.js';
export type { UserEventsOptions, UserEventsPage } from './stats/user-events.js';
export type { ProviderHealth } from './stats/provider-calls.js';
export type { TimeBucket } from './core/time-buckets.js';
export type { FeedbackKind, FeedbackInput, FeedbackEntry, FeedbackEffect, FeedbackList, FeedbackRemoval } from './care/feedback.js';
export type { CareOverride } from './care/care-strength.js';
export type { CarePreferencesPatch, CarePreferencesView } from './care/care-preferences.js';
export type { AlsSnapshot, BprSnapshot, ItemKnnSnapshot, ModelSnapshot } from './privacy/on-device/snapshot-format.js';
export type { LocalHistoryEntry } from './privacy/on-device/local-history.js';
export type { HistoryScore } from './privacy/on-device/model-snapshot.js';
// federated ALS, server side (the device side is the separate entry point `kindred/federated`)
export { FederatedAlsServer, type FederatedServerOptions, type FederatedOptimizer, type RoundReport } from './privacy/federated/federated-server.js';
export { federatedPrivacy, type FederatedPrivacy, type FederatedPrivacyInput, type PrivacyLoss } from './privacy/federated/accounting.js';
export type { FederatedRound, FederatedUpdate } from './client/federated.js';
export type { PrecomputeReport } from './jobs/materializer.js';
export type { ModelVersion } from './jobs/serving.js';
export type { ModelVersionSummary } from './jobs/version-summary.js';
export type { InterestProfile, Interest, InterestTerm, ProfileItem, InterestOptions } from './interests/profile-types.js';
export { resolveConfig, configHelp, type KindredConfig, type ConfigInput } from './config/config.js';
export { CONFIG_FIELDS, DEFAULT_EVENT_TYPES, type ConfigField, type EventTypeConfig } from './config/schema.js';

// domain, errors, time, logging
export type {
  Item, ItemId, User, UserId, Event, StoredEvent, BuiltinEventType, Attributes, AttributeValue, Recommendation, Reason, Evidence, EvidenceKind, Scored,
} from './core/types.js';
export { EngineError, ERROR_CODES, isEngineError, type ErrorCode, type ErrorDetails } from './core/errors.js';
export { itemSchema, userSchema, eventSchema } from './core/schemas.js';
export { systemClock, fixedClock, type Clock } from './core/clock.js';
export { createLogger, silentLogger, type Logger, type LogLevel } from './core/logger.js';
export { IdIndex } from './core/ids.js';
export { CsrMatrix, type SparseRow } from './core/sparse.js';
export type { InteractionMatrix } from './core/interactions.js';

// storage
export { openStore, openCache, storeSchemes, cacheSchemes } from './storage/registry.js';
export type { EraseReceipt, EraseModelReport, RoleRemoval } from './privacy/erase-receipt.js';
export type { UserExport } from './privacy/user-export.js';
export type { Store, BulkWriter, HistoryOptions, ScanOptions, EraseReport, FreedSpace, AddEventsResult, StoreCounts, ArtifactRecord, EmbeddingRecord } from './storage/store.js';
export type { EventBucketCount, EventCountsOptions, EventPosition, EventSpan } from './storage/store.js';
export type { CarePreferencesRecord } from './storage/store.js';
export type { Cache, CacheKey, CachedList } from './storage/cache.js';

// models
export { createModel, restoreModel, modelDefinitions, modelDefinition } from './models/registry.js';
export { encodeArtifact, decodeArtifact } from './models/artifact.js';
export { InteractionsBuilder } from './models/interactions-builder.js';
export { hasSimilarItems, hasFoldIn, hasExplainer, hasUnlearn, hasTrainingRows, hasUserRowsRemoval, hasBlockScoring } from './models/model.js';
export { csrItemItemScorer, type CsrItemItemOptions } from './models/csr-block-scorer.js';
export type { Model, ModelArtifact, FitContext, FitReport, RecommendQuery, SimilarItems, FoldIn, Explainer, Contribution, ItemContent, Unlearn, ForgetRequest, ForgetOutcome, TrainingRows, UserRowsRemoval, BlockScoring, BlockScorer } from './models/model.js';
export type { ModelDefinition, ParamSpace } from './models/definition.js';

// ingestion and demo data
export { importDataset, listFormats, type ImportOptions, type ImportReport } from './ingest/importer.js';
export { validateRecords } from './ingest/validate.js';
export { generateDemoData, type DemoData, type DemoDataOptions } from './demo/generate.js';
export { downloadMovieLens } from './demo/movielens-download.js';

// HTTP server (the typed client is the separate entry point `kindred/client`)
export { buildApp, startServer, type AppOptions, type ServerOptions, type RunningServer } from './server/app.js';

// providers
export type { EmbeddingProvider } from './providers/embedding.js';
export type { LlmProvider, LlmRequest } from './providers/llm.js';
export { Degraded, type Stage, type StageKind, type StageTrace, type RequestContext } from './pipeline/stage.js';

// filter expressions (docs/filters.md): validate or apply one outside a request
export { compileFilter, FILTER_LIMITS, type ItemPredicate } from './pipeline/filters/compile.js';
