/**
 * Where an import's rows go: validates each row, buffers valid records per kind, and writes them through the bulk
 * writer in batches (items and users before the events that reference them). Items and users that events refer to
 * but that exist neither in the files nor in the store are created bare ({ id }), so references always resolve.
 */
import { scoreEventTexts } from '../care/scored-events.js';
import { EngineError } from '../core/errors.js';
import type { Event, Item, User } from '../core/types.js';
import type { BulkWriter, Store } from '../storage/store.js';
import type { RowOrigin, SourceRow } from './source.js';
import type { TitleOverlapCheck } from './title-overlap.js';
import { pointerLabel, validateRecord } from './validate.js';
import type { UserIdMapper } from '../privacy/pseudonymous-ids.js';

export interface SkippedRow extends RowOrigin {
  reason: string;
}

export interface ImportCounts {
  /** Item rows written (new or updated). */
  items: number;
  users: number;
  /** Events stored now. */
  events: number;
  /** Events already in the store (same content or id), e.g. when a file is imported twice. */
  duplicates: number;
  /** Items created as { id } because events referenced them. */
  bareItems: number;
  /** Users created as { id } because events referenced them. */
  bareUsers: number;
}

export interface ImportSinkOptions {
  onError: 'skip' | 'abort';
  batchSize: number;
  /** When given, events of other types are bad rows. */
  eventTypes?: ReadonlySet<string>;
  /** Detailed skipped rows kept (the rest are only counted). */
  maxSkippedDetails: number;
  /** Compares each batch of items with the stored ones before it is written. */
  titleCheck?: TitleOverlapCheck;
  /** Maps each user id before it is buffered (pseudonymous ids). */
  userIds?: UserIdMapper;
}

const LOOKUP_CHUNK = 500;

export class ImportSink {
  readonly counts: ImportCounts = { items: 0, users: 0, events: 0, duplicates: 0, bareItems: 0, bareUsers: 0 };
  readonly skipped: SkippedRow[] = [];
  skippedCount = 0;
  private items: Item[] = [];
  private users: User[] = [];
  private events: Event[] = [];
  private readonly knownItems = new Set<string>();
  private readonly knownUsers = new Set<string>();

  constructor(
    private readonly store: Store,
    private readonly writer: BulkWriter,
    private readonly opts: ImportSinkOptions,
  ) {}

  /** Validates one row and buffers it; a bad row is skipped or throws IMPORT_FAILED, per `onError`. */
  accept(row: SourceRow): void {
    if (row.kind === 'invalid') return this.reject(row, row.reason);
    const err = validateRecord(row.kind, row.record);
    if (err) return this.reject(row, `${pointerLabel(err.pointer) || 'record'}: ${err.message}`);
    switch (row.kind) {
      case 'item': {
        const item = row.record as Item;
        this.knownItems.add(item.id);
        this.items.push(item);
        break;
      }
      case 'user': {
        const user = this.opts.userIds ? { ...(row.record as User), id: this.opts.userIds((row.record as User).id) } : row.record as User;
        this.knownUsers.add(user.id);
        this.users.push(user);
        break;
      }
      case 'event': {
        const event = this.opts.userIds ? { ...(row.record as Event), userId: this.opts.userIds((row.record as Event).userId) } : row.record as Event;
        if (this.opts.eventTypes && !this.opts.eventTypes.has(event.type)) {
          return this.reject(row, 'type: is not one of the configured event types');
        }
        this.events.push(event);
        break;
      }
    }
  }

  /** True when a buffer has reached the batch size. */
  get full(): boolean {
    const n = this.opts.batchSize;
    return this.items.length >= n || this.users.length >= n || this.events.length >= n;
  }

  /** Writes everything buffered. */
  async flush(): Promise<void> {
    if (this.items.length > 0) {
      await this.opts.titleCheck?.compare(this.items);
      await this.writer.upsertItems(this.items);
      this.counts.items += this.items.length;
      this.items = [];
    }
    if (this.users.length > 0) {
      await this.writer.upsertUsers(this.users);
      this.counts.users += this.users.length;
      this.users = [];
    }
    if (this.events.length > 0) {
      await this.createMissingReferences(this.events);
      // Review texts are scored here so the import stores each score with its event (care/scored-events.ts).
      const { events: scored } = await scoreEventTexts(this.events);
      const { accepted, duplicates } = await this.writer.addEvents(scored);
      this.counts.events += accepted;
      this.counts.duplicates += duplicates;
      this.events = [];
    }
  }

  private reject(origin: RowOrigin, reason: string): void {
    if (this.opts.onError === 'abort') {
      throw new EngineError('IMPORT_FAILED', `${origin.file}:${origin.line}: ${reason}`, { file: origin.file, line: origin.line });
    }
    this.skippedCount++;
    if (this.skipped.length < this.opts.maxSkippedDetails) this.skipped.push({ file: origin.file, line: origin.line, reason });
  }

  private async createMissingReferences(events: Event[]): Promise<void> {
    const itemIds = unknownIds(events, (e) => e.itemId, this.knownItems);
    for (let i = 0; i < itemIds.length; i += LOOKUP_CHUNK) {
      // Items already in the store must not be overwritten by bare ones.
      for (const found of await this.store.getItems(itemIds.slice(i, i + LOOKUP_CHUNK))) this.knownItems.add(found.id);
    }
    const bareItems = itemIds.filter((id) => !this.knownItems.has(id));
    if (bareItems.length > 0) {
      await this.writer.upsertItems(bareItems.map((id) => ({ id })));
      this.counts.bareItems += bareItems.length;
    }
    for (const id of itemIds) this.knownItems.add(id);

    const userIds = unknownIds(events, (e) => e.userId, this.knownUsers);
    const bareUsers: string[] = [];
    for (const id of userIds) if (!(await this.store.getUser(id))) bareUsers.push(id);
    if (bareUsers.length > 0) {
      await this.writer.upsertUsers(bareUsers.map((id) => ({ id })));
      this.counts.bareUsers += bareUsers.length;
    }
    for (const id of userIds) this.knownUsers.add(id);
  }
}

function unknownIds(events: Event[], idOf: (e: Event) => string, known: Set<string>): string[] {
  const out = new Set<string>();
  for (const e of events) {
    const id = idOf(e);
    if (!known.has(id)) out.add(id);
  }
  return [...out];
}
