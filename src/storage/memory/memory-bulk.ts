import { EngineError } from '../../core/errors.js';
import type { Event, Item, User } from '../../core/types.js';
import { canonicalItems, canonicalUsers, checkedEvents, type CheckedEvent } from '../records.js';
import type { AddEventsResult, BulkWriter } from '../store.js';
import type { MemoryState } from './memory-state.js';

/**
 * Stages writes in private maps and applies them to the shared state in one synchronous step on commit, so readers
 * never see part of an import.
 */
export class MemoryBulkWriter implements BulkWriter {
  private readonly items = new Map<string, Item>();
  private readonly users = new Map<string, User>();
  private readonly events: CheckedEvent[] = [];
  private readonly stagedIds = new Set<string>();
  private finished = false;

  constructor(
    private readonly state: MemoryState,
    private readonly onFinish: (writer: MemoryBulkWriter) => void,
  ) {}

  async upsertItems(items: Item[]): Promise<void> {
    this.ensureOpen();
    for (const item of canonicalItems(items)) this.items.set(item.id, item);
  }

  async upsertUsers(users: User[]): Promise<void> {
    this.ensureOpen();
    for (const user of canonicalUsers(users)) this.users.set(user.id, user);
  }

  async addEvents(events: Event[]): Promise<AddEventsResult> {
    this.ensureOpen();
    const checked = checkedEvents(events); // throws before staging anything: each call is all or nothing
    let accepted = 0;
    for (const e of checked) {
      const id = e.event.id;
      if (this.state.events.has(id) || this.stagedIds.has(id)) continue;
      this.stagedIds.add(id);
      this.events.push(e);
      accepted++;
    }
    return { accepted, duplicates: checked.length - accepted };
  }

  async commit(): Promise<void> {
    this.ensureOpen();
    this.state.putItems([...this.items.values()]);
    this.state.putUsers([...this.users.values()]);
    this.state.putEvents(this.events); // ids committed meanwhile by someone else are skipped
    this.finish();
  }

  /** Discards everything staged; a no-op once the writer has finished, so it is safe in `finally`. */
  async rollback(): Promise<void> {
    if (!this.finished) this.finish();
  }

  /** Called when the store closes with this writer still open. */
  abandon(): void {
    if (!this.finished) this.finish();
  }

  private finish(): void {
    this.finished = true;
    this.items.clear();
    this.users.clear();
    this.events.length = 0;
    this.stagedIds.clear();
    this.onFinish(this);
  }

  private ensureOpen(): void {
    if (this.finished) throw new EngineError('CONFLICT', 'bulk writer already committed or rolled back');
  }
}
