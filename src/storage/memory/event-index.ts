import type { CheckedEvent } from '../records.js';

/** An event plus its time in epoch ms. */
export type IndexedEvent = CheckedEvent;

/** Order of the Store contract: (timestamp, id) ascending. */
export function compareIndexed(a: IndexedEvent, b: IndexedEvent): number {
  if (a.ms !== b.ms) return a.ms - b.ms;
  return a.event.id < b.event.id ? -1 : a.event.id > b.event.id ? 1 : 0;
}

/** Events by id, by user and by item, with a lazily rebuilt (timestamp, id) ordering for scans. */
export class EventIndex {
  private readonly byId = new Map<string, IndexedEvent>();
  private readonly byUser = new Map<string, Set<IndexedEvent>>();
  private readonly byItem = new Map<string, Set<IndexedEvent>>();
  private ordered: IndexedEvent[] | undefined;

  get size(): number {
    return this.byId.size;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  get(id: string): IndexedEvent | undefined {
    return this.byId.get(id);
  }

  /** Adds an event whose id is not yet present (callers check `has` first). */
  add(entry: IndexedEvent): void {
    const { event } = entry;
    this.byId.set(event.id, entry);
    this.bucket(this.byUser, event.userId).add(entry);
    this.bucket(this.byItem, event.itemId).add(entry);
    this.ordered = undefined;
  }

  /** A user's events (unordered). */
  ofUser(userId: string): IndexedEvent[] {
    return [...(this.byUser.get(userId) ?? [])];
  }

  /** Every event in (timestamp, id) order; the array is shared, callers must not mutate it. */
  inOrder(): readonly IndexedEvent[] {
    this.ordered ??= [...this.byId.values()].sort(compareIndexed);
    return this.ordered;
  }

  /** An item's events (unordered). */
  ofItem(itemId: string): IndexedEvent[] {
    return [...(this.byItem.get(itemId) ?? [])];
  }

  removeUser(userId: string): number {
    return this.removeAll([...(this.byUser.get(userId) ?? [])]);
  }

  /** Removes a user's events that `match` accepts; returns how many. */
  removeOfUser(userId: string, match: (entry: IndexedEvent) => boolean): number {
    return this.removeAll([...(this.byUser.get(userId) ?? [])].filter(match));
  }

  removeItem(itemId: string): number {
    return this.removeAll([...(this.byItem.get(itemId) ?? [])]);
  }

  /** Removes events strictly before `ms`; returns how many. */
  removeBefore(ms: number): number {
    return this.removeAll([...this.byId.values()].filter((x) => x.ms < ms));
  }

  private removeAll(entries: IndexedEvent[]): number {
    for (const entry of entries) {
      this.byId.delete(entry.event.id);
      this.unbucket(this.byUser, entry.event.userId, entry);
      this.unbucket(this.byItem, entry.event.itemId, entry);
    }
    if (entries.length > 0) this.ordered = undefined;
    return entries.length;
  }

  private bucket(map: Map<string, Set<IndexedEvent>>, key: string): Set<IndexedEvent> {
    let set = map.get(key);
    if (!set) map.set(key, (set = new Set()));
    return set;
  }

  private unbucket(map: Map<string, Set<IndexedEvent>>, key: string, entry: IndexedEvent): void {
    const set = map.get(key);
    if (!set) return;
    set.delete(entry);
    if (set.size === 0) map.delete(key);
  }
}
