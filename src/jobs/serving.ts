import { EngineError, errorMessage, isEngineError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { ItemId } from '../core/types.js';
import type { EmbeddingProvider } from '../providers/embedding.js';
import { ARTIFACTS_CHANNEL, hasNotices, ITEMS_CHANNEL, itemsNotice, parseArtifactNotice, parseItemsNotice } from '../storage/notices.js';
import type { ArtifactInfo, Store } from '../storage/store.js';
import { decodeArtifact } from '../models/artifact.js';
import type { ModelArtifact } from '../models/model.js';
import { embedItems } from './item-embeddings.js';
import { loadArtifactInWorker } from './job-threads.js';
import { sharedStoreUrl } from '../storage/shared-store-url.js';
import { BUNDLE_ARTIFACT, bundleFromArtifact, type ModelBundle } from '../models/model-bundle.js';
import { AddedItems, type ServedModels } from './served-models.js';
import { versionSummary, type ModelVersionSummary } from './version-summary.js';

/**
 * The serving pointer: a tiny artifact whose newest version holds `{ pinned: <version> | null }`. Kept in the
 * artifacts table (no schema change, every adapter has it), and its older versions are the history of rollbacks.
 */
export const SERVING_POINTER = 'bundle.serving';

/**
 * Default `offThreadBytes`. Reading and decoding costs the thread about 4 ms per MiB (measured on ml-100k, see
 * docs/benchmarks.md); from 1 MiB on a worker is worth its start-up, which runs beside the requests, not before them.
 */
const OFF_THREAD_BYTES = 1024 * 1024;

/** One stored model version as `GET /v1/models` and `kindred models` show it. */
/** A stored version: its typed summary (model, trainedAt, trainingSeconds, params, tunedParams, metrics...) and the raw meta. */
export interface ModelVersion extends ModelVersionSummary {
  version: number;
  createdAt: string;
  /** Size of the stored bundle in bytes. */
  bytes: number;
  /** What the training report recorded: model name, params, trainedAt, users, items, interactions, seconds. */
  meta: Record<string, unknown>;
  /** This engine serves it now. */
  serving: boolean;
  /** An operator pinned it (`kindred models rollback`): every engine on the store serves it. */
  pinned: boolean;
  /** This engine refused it: its stored blob no longer matches its checksum (STORE_CORRUPT), so it is never served here. */
  refused: boolean;
}

export interface ServingOptions {
  logger: Logger;
  /**
   * The store's URL: when another thread can open it (a file), a version that arrives after start-up is read and
   * decoded in a worker thread and its arrays transferred, so a swap costs the request thread only the model restore,
   * not the blob read. The first load, before any request, reads on the calling thread (no worker start-up).
   */
  storeUrl?: string;
  /** Bundles smaller than this load on the calling thread: reading them costs less than starting a worker. */
  offThreadBytes?: number;
  /** How often `start()` polls the store for a new or pinned version; 0 never polls. */
  pollSeconds: number;
  /**
   * The embedding provider whose stored vectors place items stored after the bundle's training in its semantic space
   * (and which embeds items this process stores); undefined skips that step.
   */
  embeddingProvider?: () => Promise<EmbeddingProvider | undefined>;
  /** Runs after every swap from one version to another (the engine drops cached lists computed with the previous one). */
  onSwap?: (served: ServedModels) => Promise<void>;
  /** Told of every bundle that starts serving, the first one included (not awaited: background work starts here). */
  onServe?: (served: ServedModels) => void;
}

/**
 * Serving state out of the engine: loads the version to serve (the pinned one, else the newest), notices new versions
 * at once from the store's notices when it has them (PostgreSQL LISTEN/NOTIFY) and with a cheap poll either way (two
 * primary-key reads, no blobs: the backstop for a lost notice), and swaps atomically: a request holds the state it
 * started with, a swap replaces the reference only after the new state is fully decoded and prepared. A version whose
 * blob fails its checksum is refused once and remembered: the old state keeps serving and later polls skip it.
 * Items stored after the bundle's training join the served state from their stored embeddings (served-models.ts),
 * never by changing the bundle: at once for items this process stores, on an ITEMS_CHANNEL notice from other
 * processes when the store has notices, else on the poll when the store's item count moved. Notices are best effort:
 * an item whose notice was lost is served from the next notice that names no items, the next version, or a restart.
 *
 * @example const serving = new ModelServing(store, { logger, pollSeconds: 3 }); await serving.start(); serving.current
 */
export class ModelServing {
  private state: ServedModels | undefined;
  /** The items stored after the served bundle's training, growing append-only until the next swap. */
  private added: AddedItems | undefined;
  /** Store item count when the added items were last read in full (stores without notices): a change means new items. */
  private itemCount: number | undefined;
  /** The count moved at the last check: look once more, in case items were stored before their embeddings. */
  private settling = false;
  private readonly unlisteners: Array<() => Promise<void>> = [];
  private timer: NodeJS.Timeout | undefined;
  /** Refreshes and adoptions run one after another, each deciding on the store's state when its turn comes. */
  private chain: Promise<unknown> = Promise.resolve();
  private pending = 0;
  private closed = false;
  /** Set once the first load is done: from then on requests are being served, so big reads move off this thread. */
  private serving = false;
  /** Versions refused for a checksum mismatch: never tried again by this engine (a newer version is). */
  private readonly refused = new Set<number>();
  /** Trainings of this process that serve their bundle themselves (adopt): notices meanwhile wait for them to end. */
  private ownTrainings = 0;
  private noticeWaiting = false;

  constructor(private readonly store: Store, private readonly opts: ServingOptions) {}

  /** The state to serve now (the bundle plus items stored after its training); undefined before the first training. */
  get current(): ServedModels | undefined {
    return this.state;
  }

  /**
   * Loads the version to serve, listens for new versions and other processes' new items when the store has notices,
   * then polls every `pollSeconds` (the timer never keeps the process alive).
   */
  async start(): Promise<void> {
    await this.refresh();
    this.serving = true;
    if (this.closed) return;
    const notices = hasNotices(this.store);
    if (notices) {
      this.unlisteners.push(await this.store.listen(ARTIFACTS_CHANNEL, (payload) => this.onNotice(payload)));
      this.unlisteners.push(await this.store.listen(ITEMS_CHANNEL, (payload) => {
        this.itemsNoticed(parseItemsNotice(payload)).catch((err: unknown) => this.warn('new items check failed', err));
      }));
    }
    if (this.opts.pollSeconds <= 0 || this.closed) return;
    this.timer = setInterval(() => {
      if (this.pending > 0) return; // a load is still running: the next tick looks again
      // New items come by notice where the store has them (no count per poll: on a big PostgreSQL table it is a scan).
      this.refresh().then(() => (notices ? false : this.refreshItems())).catch((err: unknown) => this.warn('model poll failed', err));
    }, this.opts.pollSeconds * 1000);
    this.timer.unref();
  }

  /** A new bundle version or a changed pin: refresh now rather than at the next poll. */
  private onNotice(payload: string): void {
    const notice = parseArtifactNotice(payload);
    if (!notice || (notice.name !== BUNDLE_ARTIFACT && notice.name !== SERVING_POINTER) || this.closed) return;
    if (notice.name === BUNDLE_ARTIFACT && notice.version === this.state?.version) return; // our own adoption
    // The notice of a version this process is about to adopt would read the blob it already holds: look after it.
    if (this.ownTrainings > 0) this.noticeWaiting = true;
    else this.refreshLogged('model refresh on notice failed');
  }

  /**
   * Runs a training of this process that stores a version and then `adopt`s its bundle: notices arriving meanwhile
   * (its own among them) are answered by one refresh after it, which finds the adopted version already served.
   *
   * @example const report = await serving.whileTraining(async () => { const b = await fit(); await serving.adopt(b); return b; });
   */
  async whileTraining<T>(run: () => Promise<T>): Promise<T> {
    this.ownTrainings++;
    try {
      return await run();
    } finally {
      this.ownTrainings--;
      if (this.ownTrainings === 0 && this.noticeWaiting) {
        this.noticeWaiting = false;
        this.refreshLogged('model refresh on notice failed');
      }
    }
  }

  private refreshLogged(what: string): void {
    this.refresh().catch((err: unknown) => this.warn(what, err));
  }

  /**
   * Items this process just stored: embeds them (when the served bundle has a semantic model and a provider is set),
   * serves them at once, and tells other processes (ITEMS_CHANNEL). An embedding failure is logged, not thrown: the
   * items are stored and only miss the content channels until they are embedded or the next training.
   */
  async itemsStored(ids: ItemId[]): Promise<void> {
    if (!this.added?.accepts || ids.length === 0) return;
    const provider = await this.opts.embeddingProvider?.();
    if (!provider) return;
    try {
      await embedItems(this.store, provider, { itemIds: ids });
    } catch (err) {
      this.warn('could not embed new items', err, { items: ids.length });
      return;
    }
    await this.inTurn(async () => this.serveAdded(await this.store.getEmbeddings(provider.id, ids)));
    if (hasNotices(this.store)) await this.store.notify(ITEMS_CHANNEL, itemsNotice(ids)).catch((err: unknown) => this.warn('new items notice failed', err));
  }

  /**
   * Serves the items other processes stored since the last look, when the store's item count moved (one count per
   * call; the embeddings are read only after a change), or at once with `force`. True when the served state changed.
   */
  refreshItems(force = false): Promise<boolean> {
    return this.inTurn(async () => {
      const provider = this.added?.accepts ? await this.opts.embeddingProvider?.() : undefined;
      if (!provider || this.closed) return false;
      if (!force) {
        const items = await this.store.itemCount(); // not counts(): counting the events blocked the thread for 80+ ms at 5M
        const moved = items !== this.itemCount;
        if (!moved && !this.settling) return false;
        this.settling = moved;
        this.itemCount = items;
      }
      return this.serveAdded(await this.store.getEmbeddings(provider.id));
    });
  }

  /** An ITEMS_CHANNEL notice (this process's own included): the named items' embeddings are read; naming none, all. */
  private async itemsNoticed(ids: string[] | undefined): Promise<void> {
    if (!ids) {
      await this.refreshItems(true);
      return;
    }
    await this.inTurn(async () => {
      const provider = this.added?.accepts ? await this.opts.embeddingProvider?.() : undefined;
      if (!provider || this.closed || ids.length === 0) return;
      this.serveAdded(await this.store.getEmbeddings(provider.id, ids));
    });
  }

  /** The operator's pin, or undefined when the newest version is served. */
  async pinned(): Promise<number | undefined> {
    const [pointer] = await this.store.listArtifacts(SERVING_POINTER, { limit: 1 });
    const v = pointer?.meta.pinned;
    return typeof v === 'number' ? v : undefined;
  }

  /** The version every engine on this store should serve: the pinned one, else the newest. */
  async target(): Promise<number | undefined> {
    return (await this.targetInfo())?.version;
  }

  private async targetInfo(): Promise<ArtifactInfo | undefined> {
    const pinned = await this.pinned();
    if (pinned !== undefined) return (await this.store.listArtifacts(BUNDLE_ARTIFACT)).find((a) => a.version === pinned);
    const [latest] = await this.store.listArtifacts(BUNDLE_ARTIFACT, { limit: 1 });
    return latest;
  }

  /**
   * Swaps to the target version when it differs from the one served; true when it swapped. Runs after any refresh
   * in progress, so a version stored before this call is always seen.
   */
  refresh(): Promise<boolean> {
    return this.inTurn(() => this.swapToTarget());
  }

  /**
   * Serves a bundle this process just trained, unless an operator pinned another version.
   * Returns whether it is served now.
   */
  adopt(bundle: ModelBundle): Promise<boolean> {
    return this.inTurn(() => this.adoptNow(bundle));
  }

  private async adoptNow(bundle: ModelBundle): Promise<boolean> {
    const pinned = await this.pinned();
    if (pinned !== undefined && pinned !== bundle.version) return false;
    if (this.state && this.state.version >= bundle.version && pinned === undefined) return false;
    await this.serveBundle(bundle);
    return true;
  }

  /**
   * Pins a stored version (every engine polling this store switches to it), or unpins with `undefined` (back to the
   * newest). Throws NOT_FOUND for a version the store does not hold.
   */
  async pin(version: number | undefined): Promise<void> {
    if (version !== undefined) {
      const known = (await this.store.listArtifacts(BUNDLE_ARTIFACT)).some((a) => a.version === version);
      if (!known) throw new EngineError('NOT_FOUND', 'no stored model version with that number', { field: 'version' });
    }
    await this.store.saveArtifact(SERVING_POINTER, new Uint8Array(0), { pinned: version ?? null });
    await this.store.deleteArtifacts(SERVING_POINTER, (await this.store.listArtifacts(SERVING_POINTER)).slice(1).map((a) => a.version));
    await this.refresh();
  }

  /** Stored versions, newest first, with what their training recorded and which one is served and pinned. */
  async versions(): Promise<ModelVersion[]> {
    const pinned = await this.pinned();
    return (await this.store.listArtifacts(BUNDLE_ARTIFACT)).map((a: ArtifactInfo) => ({
      ...versionSummary(a.meta),
      version: a.version,
      createdAt: a.createdAt,
      bytes: a.bytes,
      meta: a.meta,
      serving: a.version === this.state?.version,
      pinned: a.version === pinned,
      refused: this.refused.has(a.version),
    }));
  }

  /** Deletes all but the newest `keep` versions; the pinned and the served version always stay. Returns how many went. */
  async prune(keep: number): Promise<number> {
    const pinned = await this.pinned();
    const stored = await this.store.listArtifacts(BUNDLE_ARTIFACT);
    const doomed = stored.slice(Math.max(1, keep)).map((a) => a.version).filter((v) => v !== pinned && v !== this.state?.version);
    const deleted = doomed.length > 0 ? await this.store.deleteArtifacts(BUNDLE_ARTIFACT, doomed) : 0;
    if (deleted > 0) this.opts.logger.info('pruned model versions', { deleted, kept: stored.length - deleted });
    return deleted;
  }

  /** Stops polling and listening; a refresh in progress finishes. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    for (const unlisten of this.unlisteners.splice(0)) await unlisten().catch(() => undefined);
    await this.chain;
  }

  private inTurn<T>(step: () => Promise<T>): Promise<T> {
    this.pending++;
    const run = this.chain.then(step);
    this.chain = run.catch(() => undefined).finally(() => { this.pending--; });
    return run;
  }

  private async swapToTarget(): Promise<boolean> {
    const target = await this.targetInfo();
    if (target === undefined || target.version === this.state?.version || this.closed) return false;
    if (this.refused.has(target.version)) return this.state ? false : this.serveNewestSound();
    return this.swapTo(target);
  }

  /**
   * Nothing served yet and the target was refused: the newest version that is not refused instead, so a corrupt
   * newest version does not leave a starting server without a model while a sound older one is stored.
   */
  private async serveNewestSound(): Promise<boolean> {
    for (const info of await this.store.listArtifacts(BUNDLE_ARTIFACT)) {
      if (this.closed || this.state) return false;
      if (!this.refused.has(info.version) && (await this.swapTo(info))) return true;
    }
    return false;
  }

  private async swapTo(target: ArtifactInfo): Promise<boolean> {
    let artifact: ModelArtifact | undefined;
    try {
      artifact = await this.read(target);
    } catch (err) {
      if (!isEngineError(err) || err.code !== 'STORE_CORRUPT') throw err;
      this.refused.add(target.version);
      this.opts.logger.warn('refused model version: its stored blob does not match its checksum', { version: target.version, serving: this.state?.version ?? null });
      return this.state ? false : this.serveNewestSound();
    }
    if (!artifact) return false; // pruned between the poll and the read: the next poll sees the new state
    const from = this.state?.version;
    await this.serveBundle(bundleFromArtifact(artifact, target.version));
    this.opts.logger.info('serving model version', { version: target.version, from: from ?? null });
    return true;
  }

  /** Serves a new bundle with the items stored after its training (read from their stored embeddings). */
  private async serveBundle(bundle: ModelBundle): Promise<void> {
    const added = new AddedItems(bundle);
    const provider = added.accepts ? await this.opts.embeddingProvider?.() : undefined;
    if (provider) {
      // The poll's baseline (stores without notices), taken before the read: items stored meanwhile move it again.
      if (!hasNotices(this.store)) this.itemCount = await this.store.itemCount();
      added.add(await this.store.getEmbeddings(provider.id));
    }
    const previous = this.state;
    this.added = added;
    this.state = added.current; // the atomic swap: requests in flight keep the state they started with
    if (previous) await this.opts.onSwap?.(added.current);
    this.opts.onServe?.(added.current);
  }

  /** Appends the records' new items to the served bundle's state and swaps it in; true when any was new. */
  private serveAdded(records: Parameters<AddedItems['add']>[0]): boolean {
    if (!this.added) return false;
    const { state, added, skipped } = this.added.add(records);
    if (skipped > 0) this.opts.logger.warn('stored embeddings do not fit the served semantic model', { skipped });
    if (added === 0) return false;
    this.state = state; // requests in flight keep the state they started with
    return true;
  }

  private warn(message: string, err: unknown, details: Record<string, unknown> = {}): void {
    this.opts.logger.warn(message, { ...details, reason: errorMessage(err) });
  }

  private async read(target: ArtifactInfo): Promise<ModelArtifact | undefined> {
    const url = this.opts.storeUrl;
    const big = target.bytes >= (this.opts.offThreadBytes ?? OFF_THREAD_BYTES);
    if (this.serving && big && url !== undefined && sharedStoreUrl(url)) return loadArtifactInWorker(url, BUNDLE_ARTIFACT, target.version);
    const record = await this.store.loadArtifact(BUNDLE_ARTIFACT, target.version);
    return record && decodeArtifact(record.blob);
  }
}
