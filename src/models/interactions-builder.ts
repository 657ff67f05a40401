import type { EventTypeConfig } from '../config/schema.js';
import { eventWeight } from '../config/event-weight.js';
import { EngineError } from '../core/errors.js';
import { IdIndex } from '../core/ids.js';
import type { InteractionMatrix } from '../core/interactions.js';
import { CsrMatrix } from '../core/sparse.js';
import type { Event, ItemId, UserId } from '../core/types.js';
import type { EventTone } from '../care/review-tone.js';

export interface InteractionsBuilderOptions {
  /** Catalogue item ids to index first (in this order), so items without events still have an index. */
  items?: Iterable<ItemId>;
  /** User ids to index first (in this order). */
  users?: Iterable<UserId>;
  /** Expected number of events (pre-sizes the buffers). */
  capacity?: number;
}

/**
 * Collects weighted (user, item, time) events into growable typed arrays and builds the training InteractionMatrix:
 * CSR with summed weights, the latest time of each cell, and each user's items in time order. No per-event objects,
 * so a million events cost ~24 MB.
 *
 * @example const b = new InteractionsBuilder(); b.add('u1', 'i1', 1, 0); const data = b.build();
 */
export class InteractionsBuilder {
  readonly users = new IdIndex();
  readonly items = new IdIndex();
  private userOf: Int32Array;
  private itemOf: Int32Array;
  private weightOf: Float32Array;
  private timeOf: Float64Array;
  /** Per event, the tone factor of its text (NaN without one); allocated by the first event that has one. */
  private toneOf: Float32Array | undefined;
  private count = 0;

  constructor(opts: InteractionsBuilderOptions = {}) {
    for (const id of opts.items ?? []) this.items.add(id);
    for (const id of opts.users ?? []) this.users.add(id);
    const capacity = Math.max(16, opts.capacity ?? 1024);
    this.userOf = new Int32Array(capacity);
    this.itemOf = new Int32Array(capacity);
    this.weightOf = new Float32Array(capacity);
    this.timeOf = new Float64Array(capacity);
  }

  /** Number of events added so far. */
  get size(): number {
    return this.count;
  }

  /**
   * Adds one positive event. Weights must be finite and > 0 (negatives and impressions stay out of the matrix).
   * `toneFactor` (from the event's review text, care/review-tone.ts) multiplies its cell: the newest event with a
   * tone decides, and a factor of 0 (a clearly negative review) leaves the cell out.
   *
   * @example builder.add('alice', 'matrix', 5, Date.parse('2024-01-01'))
   */
  add(userId: UserId, itemId: ItemId, weight: number, timeMs: number, toneFactor?: number): void {
    if (!(weight > 0) || !Number.isFinite(weight)) {
      throw new EngineError('INVALID_INPUT', `interaction weight must be a finite number > 0, got ${weight}`, { id: itemId });
    }
    if (!Number.isFinite(timeMs)) throw new EngineError('INVALID_INPUT', 'interaction time must be a finite number of ms', { id: itemId });
    if (this.count === this.userOf.length) this.grow();
    const e = this.count++;
    this.userOf[e] = this.users.add(userId);
    this.itemOf[e] = this.items.add(itemId);
    this.weightOf[e] = weight;
    this.timeOf[e] = timeMs;
    if (toneFactor !== undefined && Number.isFinite(toneFactor) && toneFactor >= 0) {
      this.toneOf ??= new Float32Array(this.userOf.length).fill(NaN);
      this.toneOf[e] = toneFactor;
    } else if (this.toneOf) this.toneOf[e] = NaN;
  }

  /**
   * Adds raw events under the configured event types: negative types and zero weights are skipped, ratings are
   * scaled by value / 5 where configured. With `tone` (config events.sentimentWeighting), each event's text weighs its
   * cell as in `add`. Returns how many were added.
   *
   * @example builder.addEvents(batch, config.events.types)
   */
  addEvents(events: Iterable<Event>, types: Record<string, EventTypeConfig>, allowUnknownTypes = false, tone?: EventTone): number {
    let added = 0;
    for (const ev of events) {
      if (!allowUnknownTypes && !Object.hasOwn(types, ev.type)) continue;
      const w = eventWeight(ev.type, ev.value, types);
      if (w === 'negative' || !(w > 0)) continue;
      const t = Date.parse(ev.timestamp);
      if (!Number.isFinite(t)) throw new EngineError('INVALID_INPUT', 'event timestamp is not ISO-8601', { id: ev.id, path: 'timestamp' });
      this.add(ev.userId, ev.itemId, w, t, tone?.(ev)?.factor);
      added++;
    }
    return added;
  }

  private grow(): void {
    const n = this.userOf.length * 2;
    const grown = <T extends Int32Array | Float32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.userOf = grown(this.userOf, (m) => new Int32Array(m));
    this.itemOf = grown(this.itemOf, (m) => new Int32Array(m));
    this.weightOf = grown(this.weightOf, (m) => new Float32Array(m));
    this.timeOf = grown(this.timeOf, (m) => new Float64Array(m));
    if (this.toneOf) {
      const tones = new Float32Array(n).fill(NaN);
      tones.set(this.toneOf);
      this.toneOf = tones;
    }
  }

  /**
   * Builds the matrix. Runs in O(events + users + items) plus a per-user time sort for the sequences.
   *
   * @example const { matrix, sequences } = builder.build();
   */
  build(): InteractionMatrix {
    const nUsers = this.users.size;
    const nItems = this.items.size;
    const n = this.count;
    // Two stable counting sorts (item, then user) give events grouped by user, sorted by item, in arrival order.
    const byItem = countingSort(this.itemOf, n, nItems, identityOrder(n));
    const byUser = countingSort(this.userOf, n, nUsers, byItem);

    const indptr = new Int32Array(nUsers + 1);
    const indices = new Int32Array(n);
    const data = new Float32Array(n);
    const times = new Float64Array(n);
    let nnz = 0;
    let e = 0;
    // Cells a clearly negative review left out (user * nItems + item), so the sequences leave them out too.
    const dropped = new Set<number>();
    const tones = this.toneOf;
    for (let u = 0; u < nUsers; u++) {
      while (e < n && this.userOf[byUser[e]] === u) {
        // One cell: the user's events on one item (consecutive after the sorts).
        const item = this.itemOf[byUser[e]];
        let sum = 0;
        let time = -Infinity;
        let tone = 1;
        let toneTime = -Infinity;
        while (e < n && this.userOf[byUser[e]] === u && this.itemOf[byUser[e]] === item) {
          const ev = byUser[e++];
          sum += this.weightOf[ev];
          if (this.timeOf[ev] > time) time = this.timeOf[ev];
          // NaN (no tone) fails the >= test, so only events with a tone take part.
          if (tones !== undefined && tones[ev] >= 0 && this.timeOf[ev] >= toneTime) {
            tone = tones[ev];
            toneTime = this.timeOf[ev];
          }
        }
        if (tone <= 0) {
          dropped.add(u * nItems + item);
          continue;
        }
        indices[nnz] = item;
        times[nnz] = time;
        data[nnz] = sum * tone;
        nnz++;
      }
      indptr[u + 1] = nnz;
    }
    // Trimmed only when cells merged or were dropped: a copy of full arrays would hold both at the peak (16 B/event).
    const trim = <T extends Int32Array | Float32Array | Float64Array>(a: T): T => (nnz === n ? a : (a.slice(0, nnz) as T));
    const matrix = new CsrMatrix(nUsers, nItems, indptr, trim(indices), trim(data));
    return { users: this.users, items: this.items, matrix, times: trim(times), sequences: this.sequences(nUsers, nItems, dropped) };
  }

  /** Per user, item indexes ordered by time (events at the same time keep their arrival order), dropped cells left out. */
  private sequences(nUsers: number, nItems: number, dropped: ReadonlySet<number>): Int32Array[] {
    const n = this.count;
    const byUser = countingSort(this.userOf, n, nUsers, identityOrder(n));
    const out: Int32Array[] = [];
    let start = 0;
    for (let u = 0; u < nUsers; u++) {
      let end = start;
      while (end < n && this.userOf[byUser[end]] === u) end++;
      let events = byUser.subarray(start, end);
      if (dropped.size > 0) events = events.filter((ev) => !dropped.has(u * nItems + this.itemOf[ev]));
      let sorted = true;
      for (let j = 1; j < events.length && sorted; j++) sorted = this.timeOf[events[j]] >= this.timeOf[events[j - 1]];
      if (!sorted) events.sort((a, b) => this.timeOf[a] - this.timeOf[b] || a - b);
      const seq = new Int32Array(events.length);
      for (let j = 0; j < events.length; j++) seq[j] = this.itemOf[events[j]];
      out.push(seq);
      start = end;
    }
    return out;
  }
}

/**
 * Builds an InteractionMatrix straight from events under the configured event types.
 *
 * @example fromEvents(events, DEFAULT_EVENT_TYPES, { items: catalogueIds })
 */
export function fromEvents(
  events: Iterable<Event>,
  eventTypes: Record<string, EventTypeConfig>,
  opts: InteractionsBuilderOptions & { allowUnknownTypes?: boolean } = {},
): InteractionMatrix {
  const builder = new InteractionsBuilder(opts);
  builder.addEvents(events, eventTypes, opts.allowUnknownTypes ?? false);
  return builder.build();
}

function identityOrder(n: number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return order;
}

/** Stable counting sort of the event ids in `order` by `key[event]` (keys in 0..buckets-1). */
function countingSort(key: Int32Array, n: number, buckets: number, order: Int32Array): Int32Array {
  const start = new Int32Array(buckets + 1);
  for (let e = 0; e < n; e++) start[key[e] + 1]++;
  for (let b = 0; b < buckets; b++) start[b + 1] += start[b];
  const out = new Int32Array(n);
  for (let j = 0; j < n; j++) {
    const ev = order[j];
    out[start[key[ev]]++] = ev;
  }
  return out;
}
