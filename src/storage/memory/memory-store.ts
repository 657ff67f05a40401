import { systemClock, type Clock } from '../../core/clock.js';
import { EngineError } from '../../core/errors.js';
import type { Event, Item, ItemId, StoredEvent, User, UserId } from '../../core/types.js';
import {
  artifactMetaOption, artifactNameOption, artifactVersionOption, batchSizeOption, canonicalEmbeddings, canonicalItems, canonicalUsers,
  checkedEvents, checkedSentiments, countOption, dateOption, DEFAULT_SCAN_BATCH, historyOptions, pageOption, scanOptions, typesOption,
} from '../records.js';
import type {
  AddEventsResult, ArtifactInfo, ArtifactRecord, BulkWriter, CarePreferencesRecord, EmbeddingRecord, EraseReport, EventBucketCount, EventCountsOptions, EventSentiment,
  EventSpan, HistoryOptions, PageOptions, ProfileRecord, Scenario, ScanOptions, Store, StoreCounts,
} from '../store.js';
import { blobChecksum, verifiedArtifact } from '../artifact-checksum.js';
import { canonicalCarePreferences } from '../care-preferences-record.js';
import { leaseOptions } from '../lease-options.js';
import { ARTIFACTS_CHANNEL, type StoreNotices } from '../notices.js';
import { canonicalProfile, profileUserOption } from '../profile-record.js';
import { canonicalScenario, scenarioNameOption } from '../scenario-record.js';
import { eventCounts, eventSpan } from './event-counts.js';
import { compareIndexed, type IndexedEvent } from './event-index.js';
import { MemoryBulkWriter } from './memory-bulk.js';
import { MemoryState } from './memory-state.js';

export interface MemoryStoreOptions {
  /** Source of artifacts' createdAt. */
  clock?: Clock;
}

function byKey<T>(map: Map<string, T>): T[] {
  return [...map.keys()].sort().map((k) => map.get(k) as T);
}

/** Up to `limit` records of `map` whose key sorts after `after`, in key order. */
function pageByKey<T>(map: Map<string, T>, opts: PageOptions): T[] {
  const { after, limit } = pageOption(opts);
  return [...map.keys()].filter((k) => k > after).sort().slice(0, limit).map((k) => structuredClone(map.get(k) as T));
}

function* batches<T>(rows: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

/**
 * `memory://`: the whole system of record in process memory. For tests, demos and small deployments; nothing
 * survives the process. Records are copied in and out, so callers can never mutate stored state.
 *
 * @example const store = new MemoryStore(); await store.addEvents([{ userId: 'u', itemId: 'i', type: 'view', timestamp: '2024-01-01T00:00:00Z' }]);
 */
export class MemoryStore implements Store, StoreNotices {
  readonly kind = 'memory';
  private readonly state = new MemoryState();
  private readonly writers = new Set<MemoryBulkWriter>();
  private readonly scenarios = new Map<string, Scenario>();
  private readonly profiles = new Map<UserId, ProfileRecord>();
  private readonly carePreferences = new Map<UserId, CarePreferencesRecord>();
  private readonly leases = new Map<string, { holder: string; expiresAt: number }>();
  private readonly listeners = new Map<string, Set<(payload: string) => void>>();
  private readonly clock: Clock;
  private closed = false;

  constructor(opts: MemoryStoreOptions = {}) {
    this.clock = opts.clock ?? systemClock;
  }

  async migrate(): Promise<void> {
    this.ensureOpen();
  }

  /** Nothing on disk can go missing: healthy while open. */
  async health(): Promise<void> {
    this.ensureOpen();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    for (const w of [...this.writers]) w.abandon();
    this.closed = true;
  }

  async upsertItems(items: Item[]): Promise<void> {
    this.ensureOpen();
    this.state.putItems(canonicalItems(items));
  }

  async upsertUsers(users: User[]): Promise<void> {
    this.ensureOpen();
    this.state.putUsers(canonicalUsers(users));
  }

  async getItems(ids: ItemId[]): Promise<Item[]> {
    this.ensureOpen();
    const found: Item[] = [];
    for (const id of ids) {
      const item = this.state.items.get(id);
      if (item) found.push(structuredClone(item));
    }
    return found;
  }

  async getUser(id: UserId): Promise<User | undefined> {
    this.ensureOpen();
    const user = this.state.users.get(id);
    return user && structuredClone(user);
  }

  async deleteItem(id: ItemId): Promise<boolean> {
    this.ensureOpen();
    const existed = this.state.items.delete(id);
    this.state.events.removeItem(id);
    this.state.deleteEmbeddingsOf(id);
    return existed;
  }

  async addEvents(events: Event[]): Promise<AddEventsResult> {
    this.ensureOpen();
    return this.state.putEvents(checkedEvents(events));
  }

  async setEventSentiments(scores: readonly EventSentiment[]): Promise<number> {
    this.ensureOpen();
    let set = 0;
    for (const s of checkedSentiments(scores)) {
      const stored = this.state.events.get(s.id)?.event;
      if (!stored || stored.text === undefined || stored.sentiment !== undefined) continue;
      stored.sentiment = s.sentiment;
      set++;
    }
    return set;
  }

  async history(userId: UserId, opts: HistoryOptions = {}): Promise<StoredEvent[]> {
    this.ensureOpen();
    const { limit, types, since, before } = historyOptions(opts);
    const isBefore = (x: IndexedEvent) => before === undefined || x.ms < before.ms || (x.ms === before.ms && x.event.id < before.id);
    const rows = this.state.events
      .ofUser(userId)
      .filter((x) => (types === undefined || types.includes(x.event.type)) && (since === undefined || x.ms >= since) && isBefore(x))
      .sort((a, b) => compareIndexed(b, a));
    return rows.slice(0, limit ?? rows.length).map((x) => ({ ...x.event }));
  }

  async eventSpan(opts?: { itemId?: ItemId }): Promise<EventSpan | undefined> {
    this.ensureOpen();
    return eventSpan(this.state.events, opts);
  }

  async eventCounts(opts: EventCountsOptions): Promise<EventBucketCount[]> {
    this.ensureOpen();
    return eventCounts(this.state.events, opts);
  }

  async deleteEvents(userId: UserId, match: { itemId: ItemId; types?: string[] }): Promise<number> {
    this.ensureOpen();
    const types = typesOption(match.types);
    return this.state.events.removeOfUser(userId, (x) => x.event.itemId === match.itemId && (types === undefined || types.includes(x.event.type)));
  }

  async *scanEvents(opts: ScanOptions = {}): AsyncIterable<StoredEvent[]> {
    this.ensureOpen();
    const { size, types, since, until } = scanOptions(opts);
    // inOrder() is replaced, never mutated, on writes: iterating it is a consistent snapshot.
    let batch: StoredEvent[] = [];
    for (const x of this.state.events.inOrder()) {
      if (since !== undefined && x.ms < since) continue;
      if (until !== undefined && x.ms >= until) break;
      if (types !== undefined && !types.includes(x.event.type)) continue;
      batch.push({ ...x.event });
      if (batch.length === size) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }

  async *scanItems(opts: { batchSize?: number } = {}): AsyncIterable<Item[]> {
    this.ensureOpen();
    const size = batchSizeOption(opts.batchSize, DEFAULT_SCAN_BATCH);
    for (const rows of batches(byKey(this.state.items), size)) yield rows.map((r) => structuredClone(r));
  }

  async *scanUsers(opts: { batchSize?: number } = {}): AsyncIterable<User[]> {
    this.ensureOpen();
    const size = batchSizeOption(opts.batchSize, DEFAULT_SCAN_BATCH);
    for (const rows of batches(byKey(this.state.users), size)) yield rows.map((r) => structuredClone(r));
  }

  async listItems(opts: PageOptions): Promise<Item[]> {
    this.ensureOpen();
    return pageByKey(this.state.items, opts);
  }

  async listUsers(opts: PageOptions): Promise<User[]> {
    this.ensureOpen();
    return pageByKey(this.state.users, opts);
  }

  async counts(): Promise<StoreCounts> {
    this.ensureOpen();
    return { items: this.state.items.size, users: this.state.users.size, events: this.state.events.size };
  }

  async itemCount(): Promise<number> {
    this.ensureOpen();
    return this.state.items.size;
  }

  async bulk(): Promise<BulkWriter> {
    this.ensureOpen();
    const writer = new MemoryBulkWriter(this.state, (w) => this.writers.delete(w));
    this.writers.add(writer);
    return writer;
  }

  async eraseUser(id: UserId): Promise<EraseReport> {
    this.ensureOpen();
    const events = this.state.events.removeUser(id);
    const user = this.state.users.delete(id);
    const profile = this.profiles.delete(id);
    const carePreferences = this.carePreferences.delete(id);
    return { userId: id, events, user, profile, carePreferences, cachedLists: 0, freedSpace: 'released' };
  }

  async purgeEventsBefore(cutoff: Date): Promise<number> {
    this.ensureOpen();
    return this.state.events.removeBefore(dateOption(cutoff, '/cutoff'));
  }

  async saveArtifact(name: string, blob: Uint8Array, meta?: Record<string, unknown>): Promise<number> {
    this.ensureOpen();
    const key = artifactNameOption(name);
    if (!(blob instanceof Uint8Array)) throw new EngineError('INVALID_INPUT', 'artifact blob must be a Uint8Array', { path: '/blob' });
    const versions = this.state.artifacts.get(key) ?? [];
    const version = (versions.at(-1)?.version ?? 0) + 1;
    const createdAt = new Date(this.clock.now()).toISOString();
    versions.push({ name: key, version, createdAt, meta: artifactMetaOption(meta), blob: Uint8Array.from(blob), checksum: blobChecksum(blob) });
    this.state.artifacts.set(key, versions);
    await this.notify(ARTIFACTS_CHANNEL, `${key}:${version}`);
    return version;
  }

  async loadArtifact(name: string, version?: number): Promise<ArtifactRecord | undefined> {
    this.ensureOpen();
    const versions = this.state.artifacts.get(artifactNameOption(name));
    const wanted = artifactVersionOption(version);
    const record = versions && (wanted === undefined ? versions[versions.length - 1] : versions.find((r) => r.version === wanted));
    return record && verifiedArtifact({ ...record, meta: structuredClone(record.meta), blob: Uint8Array.from(record.blob) });
  }

  async listArtifacts(name: string, opts: { limit?: number } = {}): Promise<ArtifactInfo[]> {
    this.ensureOpen();
    const versions = this.state.artifacts.get(artifactNameOption(name)) ?? [];
    const limit = countOption(opts.limit, '/limit') ?? versions.length;
    return versions.slice().reverse().slice(0, limit)
      .map((r) => ({ name: r.name, version: r.version, createdAt: r.createdAt, meta: structuredClone(r.meta), bytes: r.blob.byteLength, ...(r.checksum ? { checksum: r.checksum } : {}) }));
  }

  async deleteArtifacts(name: string, versions: number[]): Promise<number> {
    this.ensureOpen();
    const key = artifactNameOption(name);
    const doomed = new Set(versions.map((v) => artifactVersionOption(v)));
    const stored = this.state.artifacts.get(key) ?? [];
    const kept = stored.filter((r, i) => i === stored.length - 1 || !doomed.has(r.version));
    this.state.artifacts.set(key, kept);
    return stored.length - kept.length;
  }

  async tryLease(name: string, holder: string, ttlMs: number): Promise<boolean> {
    this.ensureOpen();
    const wanted = leaseOptions(name, holder, ttlMs);
    const now = this.clock.now();
    const held = this.leases.get(wanted.name);
    if (held && held.holder !== wanted.holder && held.expiresAt > now) return false;
    this.leases.set(wanted.name, { holder: wanted.holder, expiresAt: now + wanted.ttlMs });
    return true;
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    this.ensureOpen();
    const wanted = leaseOptions(name, holder);
    if (this.leases.get(wanted.name)?.holder === wanted.holder) this.leases.delete(wanted.name);
  }

  /** Notices reach listeners of this store object only: a memory store lives in one process. */
  async notify(channel: string, payload: string): Promise<void> {
    for (const listener of [...(this.listeners.get(channel) ?? [])]) queueMicrotask(() => listener(payload));
  }

  async listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>> {
    const set = this.listeners.get(channel) ?? new Set();
    set.add(onMessage);
    this.listeners.set(channel, set);
    return async () => { set.delete(onMessage); };
  }

  async putScenario(scenario: Scenario): Promise<void> {
    this.ensureOpen();
    const record = canonicalScenario(scenario);
    this.scenarios.set(record.name, record);
  }

  async getScenario(name: string): Promise<Scenario | undefined> {
    this.ensureOpen();
    const found = this.scenarios.get(scenarioNameOption(name));
    return found && structuredClone(found);
  }

  async listScenarios(): Promise<Scenario[]> {
    this.ensureOpen();
    return byKey(this.scenarios).map((s) => structuredClone(s));
  }

  async deleteScenario(name: string): Promise<boolean> {
    this.ensureOpen();
    return this.scenarios.delete(scenarioNameOption(name));
  }

  async putProfile(record: ProfileRecord): Promise<void> {
    this.ensureOpen();
    const copy = canonicalProfile(record);
    this.profiles.set(copy.userId, copy);
  }

  async getProfile(userId: UserId): Promise<ProfileRecord | undefined> {
    this.ensureOpen();
    const found = this.profiles.get(profileUserOption(userId));
    return found && structuredClone(found);
  }

  async deleteProfile(userId: UserId): Promise<boolean> {
    this.ensureOpen();
    return this.profiles.delete(profileUserOption(userId));
  }

  async putCarePreferences(record: CarePreferencesRecord): Promise<void> {
    this.ensureOpen();
    const copy = canonicalCarePreferences(record);
    this.carePreferences.set(copy.userId, copy);
  }

  async getCarePreferences(userId: UserId): Promise<CarePreferencesRecord | undefined> {
    this.ensureOpen();
    const found = this.carePreferences.get(profileUserOption(userId));
    return found && structuredClone(found);
  }

  async deleteCarePreferences(userId: UserId): Promise<boolean> {
    this.ensureOpen();
    return this.carePreferences.delete(profileUserOption(userId));
  }

  async putEmbeddings(records: EmbeddingRecord[]): Promise<void> {
    this.ensureOpen();
    this.state.putEmbeddings(canonicalEmbeddings(records));
  }

  async getEmbeddings(provider: string, itemIds?: ItemId[]): Promise<EmbeddingRecord[]> {
    this.ensureOpen();
    const byItem = this.state.embeddings.get(provider);
    if (!byItem) return [];
    const rows = itemIds === undefined ? byKey(byItem) : itemIds.flatMap((id) => byItem.get(id) ?? []);
    return rows.map((r) => ({ ...r, vector: Float32Array.from(r.vector) }));
  }

  private ensureOpen(): void {
    if (this.closed) throw new EngineError('INTERNAL', 'store is closed');
  }
}
