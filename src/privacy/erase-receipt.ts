import { EngineError, errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { SparseRow } from '../core/sparse.js';
import type { UserId } from '../core/types.js';
import { artifactMeta } from '../models/artifact.js';
import { BUNDLE_ARTIFACT, decodeBundle, encodeBundle, type ModelBundle } from '../models/model-bundle.js';
import type { Model } from '../models/model.js';
import type { Cache } from '../storage/cache.js';
import type { EraseReport, Store } from '../storage/store.js';
import { bundleWithoutUser, type RoleRemoval } from './bundle-erase.js';

export type { RoleRemoval } from './bundle-erase.js';

/** What an erase did to the stored model versions. */
export interface EraseModelReport {
  /** Versions whose user list named the user: deleted (the replaced served version among them). */
  deletedVersions: number[];
  /**
   * Versions that still hold the user's influence: the replacement while a role of it waits for its retraining (its
   * user list no longer names them), or a version this erase could not replace. Empty when nothing holds the user.
   */
  keptVersions: number[];
  /** The version built from the served one without the user, served from now on; null when no served version held them. */
  replacedBy: number | null;
  /** Per role of the served bundle: removed exactly now, or kept until the retraining. Empty without a replacement. */
  roles: RoleRemoval[];
  /** When the user's influence on recommendations is gone: now, or once the queued retraining is served. */
  influenceGone: 'now' | 'after-retrain';
  /** The retraining's job id (`GET /v1/models` shows its version by `meta.jobId`), or null when none was needed. */
  retrainJobId: string | null;
}

/** The erase receipt: what the store removed, the cached lists dropped, what happened to model versions, and when. */
export interface EraseReceipt extends EraseReport {
  /** Lists cached for the user dropped from the engine's cache (Redis or the store's own). */
  cacheInvalidated: number;
  models: EraseModelReport;
  /** The store keeps no embeddings of a user's text (embeddings are of item text only), so erase has none to delete. */
  embeddings: 0;
  /** ISO-8601 time of the erase. */
  at: string;
}

/** What the erase needs of the serving state (jobs/serving.ts ModelServing). */
export interface ErasedServing {
  readonly current: { version: number; trained: ModelBundle } | undefined;
  target(): Promise<number | undefined>;
  pinned(): Promise<number | undefined>;
  pin(version: number | undefined): Promise<void>;
  adopt(bundle: ModelBundle): Promise<boolean>;
  whileTraining<T>(run: () => Promise<T>): Promise<T>;
}

export interface EraseDeps {
  store: Store;
  cache: Cache;
  logger: Logger;
  serving: ErasedServing;
  /** Starts or queues the training (of the served main model and params) that replaces a version still holding the user; answers its job id. */
  retrain: (main: Model<object>) => Promise<string>;
  /** This engine's id in the store's `erase` lease, which one erase at a time holds among all processes. */
  leaseHolder: string;
  /** The times of the user's trained cells in a bundle, read before their events go (privacy/trained-times.ts). */
  trainedTimes?: (bundle: ModelBundle, userId: UserId, row: SparseRow) => Promise<Float64Array | undefined>;
}

/** Meta key of a version that still holds erased users' influence (a count, never ids) until a retraining. */
export const HOLDS_ERASED = 'holdsErased';

interface Replacement {
  from: number;
  version: number;
  roles: RoleRemoval[];
  /** The main model whose training replaces the version, when a role still holds the user. */
  retrain?: Model<object>;
}

/**
 * Erases a user and answers the receipt. First the served version is replaced by one without the user (exactly for
 * the roles that can unlearn, the others kept and retrained in the background), then every version that names the
 * user is deleted, and only then the store's rows go, so the store's erase (which, on SQLite, truncates the WAL
 * afterwards) also scrubs the freed pages of the deleted versions.
 *
 * @example const receipt = await eraseUser(deps, 'u1', new Date().toISOString());
 */
export async function eraseUser(deps: EraseDeps, userId: UserId, at: string): Promise<EraseReceipt> {
  await takeEraseLease(deps.store, deps.leaseHolder);
  try {
    return await eraseHeld(deps, userId, at);
  } finally {
    await deps.store.releaseLease(ERASE_LEASE, deps.leaseHolder).catch((err: unknown) => {
      deps.logger.warn('erase lease release failed (it runs out by itself)', { reason: errorMessage(err) });
    });
  }
}

/**
 * The store lease an erase holds: two erases building replacements from the same served version at once would each
 * keep the other's user. Long enough for any erase; a crashed holder blocks the next one at most that long.
 */
export const ERASE_LEASE = 'erase';
const ERASE_LEASE_MS = 60_000;

async function takeEraseLease(store: Store, holder: string): Promise<void> {
  for (const deadline = Date.now() + 2 * ERASE_LEASE_MS; !(await store.tryLease(ERASE_LEASE, holder, ERASE_LEASE_MS));) {
    if (Date.now() > deadline) throw new EngineError('CONFLICT', 'another erase holds the store\'s erase lease; retry', { lease: ERASE_LEASE });
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function eraseHeld(deps: EraseDeps, userId: UserId, at: string): Promise<EraseReceipt> {
  const replaced = await replaceServedVersion(deps, userId);
  const versions = await deleteVersionsNaming(deps, userId);
  const report = await deps.store.eraseUser(userId);
  const cacheInvalidated = await deps.cache.invalidate({ subject: userId });
  // Only now: the retraining must read a store without the user's events.
  const retrainJobId = replaced?.retrain ? await deps.retrain(replaced.retrain) : null;
  const holding = retrainJobId && replaced ? [replaced.version] : [];
  const keptVersions = [...versions.kept, ...holding];
  const models: EraseModelReport = {
    deletedVersions: versions.deleted,
    keptVersions,
    replacedBy: replaced?.version ?? null,
    roles: replaced?.roles ?? [],
    influenceGone: keptVersions.length > 0 ? 'after-retrain' : 'now',
    retrainJobId,
  };
  return { ...report, cacheInvalidated, models, embeddings: 0, at };
}

/**
 * The version every engine serves (the pinned one, else the newest), rebuilt without the user, stored as a new
 * version and served here at once (other processes swap to it as to any new version; a pin moves to it). Undefined
 * when nothing is served or the served version was not trained on the user.
 */
async function replaceServedVersion(deps: EraseDeps, userId: UserId): Promise<Replacement | undefined> {
  const from = await deps.serving.target();
  if (from === undefined) return undefined;
  const current = deps.serving.current;
  const bundle = current?.version === from ? current.trained : await storedBundle(deps, from);
  const { trainedTimes } = deps;
  const timesOf = trainedTimes && bundle ? (row: SparseRow) => trainedTimes(bundle, userId, row) : undefined;
  const without = bundle && (await bundleWithoutUser(bundle, userId, timesOf));
  if (!without) return undefined;
  const retrain = without.roles.some((r) => r.removal === 'retrain');
  const info = (await deps.store.listArtifacts(BUNDLE_ARTIFACT)).find((a) => a.version === from);
  const meta = replacementMeta(info?.meta ?? {}, from, retrain);
  const blob = encodeBundle(without.bundle);
  const pinned = await deps.serving.pinned();
  const version = await deps.serving.whileTraining(async () => {
    const saved = await deps.store.saveArtifact(BUNDLE_ARTIFACT, blob, meta);
    if (pinned === from) await deps.serving.pin(saved);
    else await deps.serving.adopt({ ...without.bundle, version: saved });
    return saved;
  });
  deps.logger.info('erase replaced the served model version', { from, version, exact: without.roles.filter((r) => r.removal === 'exact').length, retrain: retrain ? 1 : 0 });
  return { from, version, roles: without.roles, ...(retrain ? { retrain: without.bundle.models.main } : {}) };
}

/** The replacement's meta: the source's training record, one user fewer, where it came from, what it still holds. */
function replacementMeta(source: Record<string, unknown>, from: number, retrain: boolean): Record<string, unknown> {
  const { jobId: _jobId, [HOLDS_ERASED]: held, ...rest } = source;
  const holds = (typeof held === 'number' ? held : 0) + (retrain ? 1 : 0);
  const users = typeof rest.users === 'number' ? rest.users - 1 : rest.users;
  return { ...rest, users, erasedFrom: from, ...(holds > 0 ? { [HOLDS_ERASED]: holds } : {}) };
}

async function storedBundle(deps: EraseDeps, version: number): Promise<ModelBundle | undefined> {
  const record = await deps.store.loadArtifact(BUNDLE_ARTIFACT, version);
  return record && decodeBundle(record.blob, version);
}

/**
 * Deletes every stored version whose user list names the user, but the served and the pinned one (a process that has
 * not swapped yet, or a pin this erase could not move) and the newest (the store never deletes it).
 */
async function deleteVersionsNaming(deps: EraseDeps, userId: UserId): Promise<{ deleted: number[]; kept: number[] }> {
  const stored = await deps.store.listArtifacts(BUNDLE_ARTIFACT);
  const keep = new Set([deps.serving.current?.version, await deps.serving.pinned(), stored[0]?.version]);
  const naming: number[] = [];
  for (const info of stored) {
    if (await namesUser(deps, info.version, userId)) naming.push(info.version);
  }
  const doomed = naming.filter((v) => !keep.has(v));
  if (doomed.length > 0) await deps.store.deleteArtifacts(BUNDLE_ARTIFACT, doomed);
  return { deleted: doomed, kept: naming.filter((v) => keep.has(v)) };
}

/** Whether the bundle version lists the user; a version that cannot be read (damaged) counts as naming them. */
async function namesUser(deps: EraseDeps, version: number, userId: UserId): Promise<boolean> {
  try {
    const record = await deps.store.loadArtifact(BUNDLE_ARTIFACT, version);
    if (!record) return false;
    const users = artifactMeta(record.blob).users;
    return Array.isArray(users) && users.includes(userId);
  } catch {
    deps.logger.warn('model version unreadable during erase: treated as holding the user', { version });
    return true;
  }
}

/**
 * After a training stored `trained`: deletes the older versions that still held erased users' influence (meta
 * holdsErased), but the pinned and the served one. Returns the versions deleted.
 *
 * @example await dropErasedHolders(store, report.version, [served, pinned])
 */
export async function dropErasedHolders(store: Store, trained: number, keep: Array<number | undefined>): Promise<number[]> {
  const doomed = (await store.listArtifacts(BUNDLE_ARTIFACT))
    .filter((a) => a.version < trained && typeof a.meta[HOLDS_ERASED] === 'number' && !keep.includes(a.version))
    .map((a) => a.version);
  if (doomed.length > 0) await store.deleteArtifacts(BUNDLE_ARTIFACT, doomed);
  return doomed;
}

/**
 * Whether an erase found anything to remove (the HTTP route and the CLI answer NOT_FOUND when not).
 *
 * @example erasedAnything(await engine.eraseUser('ghost')) // false
 */
export function erasedAnything(r: EraseReceipt): boolean {
  return r.user || r.events > 0 || r.profile || r.carePreferences || r.models.deletedVersions.length > 0 || r.models.replacedBy !== null;
}
