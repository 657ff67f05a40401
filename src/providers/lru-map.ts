/** A Map bounded to `capacity` entries that evicts the least recently used one (get and set both count as use). */
export class LruMap<K, V> {
  private readonly entries = new Map<K, V>();

  /** @example const cache = new LruMap<string, string>(100); */
  constructor(readonly capacity: number) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key); // re-insert: Map iteration order is insertion order, oldest first
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    if (this.capacity <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as K);
  }
}
