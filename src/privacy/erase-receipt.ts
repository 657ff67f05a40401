import type { Logger } from '../core/logger.js';
import type { UserId } from '../core/types.js';
import { artifactMeta } from '../models/artifact.js';
import { BUNDLE_ARTIFACT } from '../models/model-bundle.js';
import type { Cache } from '../storage/cache.js';
import type { EraseReport, Store } from '../storage/store.js';

/** What an erase did to the stored model versions. */
export interface EraseModelReport {
  /** Older versions whose user list named the user: deleted. */
  deletedVersions: number[];
  /**
   * Versions that still name the user and stay (the served, the pinned and the newest version): the user's influence
   * on their scores remains until the next training replaces them. Empty when no kept version was trained on the user.
   */
  keptVersions: number[];
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

export interface EraseDeps {
  store: Store;
  cache: Cache;
  logger: Logger;
  /** Versions that must stay whatever they hold: the one this process serves and the pinned one. */
  keep: () => Promise<Array<number | undefined>>;
}

/**
 * Erases a user and answers the receipt. Old model versions that name the user go first, so that the store's erase
 * (which, on SQLite, truncates the WAL afterwards) also scrubs their freed pages.
 *
 * @example const receipt = await eraseUser(deps, 'u1', new Date().toISOString());
 */
export async function eraseUser(deps: EraseDeps, userId: UserId, at: string): Promise<EraseReceipt> {
  const models = await deleteVersionsNaming(deps, userId);
  const report = await deps.store.eraseUser(userId);
  const cacheInvalidated = await deps.cache.invalidate({ subject: userId });
  return { ...report, cacheInvalidated, models, embeddings: 0, at };
}

async function deleteVersionsNaming(deps: EraseDeps, userId: UserId): Promise<EraseModelReport> {
  const stored = await deps.store.listArtifacts(BUNDLE_ARTIFACT);
  const keep = new Set([...(await deps.keep()), stored[0]?.version]); // the store never deletes the newest version
  const naming: number[] = [];
  for (const info of stored) {
    if (await namesUser(deps, info.version, userId)) naming.push(info.version);
  }
  const doomed = naming.filter((v) => !keep.has(v));
  if (doomed.length > 0) await deps.store.deleteArtifacts(BUNDLE_ARTIFACT, doomed);
  return { deletedVersions: doomed, keptVersions: naming.filter((v) => keep.has(v)) };
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
 * Whether an erase found anything to remove (the HTTP route and the CLI answer NOT_FOUND when not).
 *
 * @example erasedAnything(await engine.eraseUser('ghost')) // false
 */
export function erasedAnything(r: EraseReceipt): boolean {
  return r.user || r.events > 0 || r.profile || r.carePreferences || r.models.deletedVersions.length > 0;
}
