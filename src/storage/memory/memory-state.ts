import type { Item, ItemId, User, UserId } from '../../core/types.js';
import type { CheckedEvent } from '../records.js';
import type { AddEventsResult, ArtifactRecord, EmbeddingRecord } from '../store.js';
import { EventIndex } from './event-index.js';

/**
 * The data of one in-memory store. Synchronous and unchecked: callers pass canonical records (storage/records.ts),
 * so a write that starts always completes, which is what makes each store call atomic.
 */
export class MemoryState {
  readonly items = new Map<ItemId, Item>();
  readonly users = new Map<UserId, User>();
  readonly events = new EventIndex();
  /** name -> records in ascending version order (deleted versions leave gaps). */
  readonly artifacts = new Map<string, ArtifactRecord[]>();
  /** provider -> item -> record. */
  readonly embeddings = new Map<string, Map<ItemId, EmbeddingRecord>>();

  putItems(items: Item[]): void {
    for (const item of items) this.items.set(item.id, item);
  }

  putUsers(users: User[]): void {
    for (const user of users) this.users.set(user.id, user);
  }

  /** Adds events whose id is new (including ids repeated within `events`); the rest count as duplicates. */
  putEvents(events: CheckedEvent[]): AddEventsResult {
    let accepted = 0;
    for (const e of events) {
      if (this.events.has(e.event.id)) continue;
      this.events.add(e);
      accepted++;
    }
    return { accepted, duplicates: events.length - accepted };
  }

  putEmbeddings(records: EmbeddingRecord[]): void {
    for (const r of records) {
      let byItem = this.embeddings.get(r.provider);
      if (!byItem) this.embeddings.set(r.provider, (byItem = new Map()));
      byItem.set(r.itemId, r);
    }
  }

  deleteEmbeddingsOf(itemId: ItemId): void {
    for (const byItem of this.embeddings.values()) byItem.delete(itemId);
  }
}
