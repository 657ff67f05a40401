/** Read access to an id <-> dense index mapping (what serving code may use; only builders add ids). */
export interface IdLookup {
  indexOf(id: string): number | undefined;
  /** Throws RangeError outside 0..size-1. */
  idAt(index: number): string;
  readonly size: number;
  /** Every id in index order. */
  ids(): readonly string[];
}

/** Maps string ids to dense integer indexes (0..n-1) and back; models work on indexes only. */
export class IdIndex implements IdLookup {
  private readonly toIndex = new Map<string, number>();
  private readonly toId: string[] = [];

  static from(ids: Iterable<string>): IdIndex {
    const index = new IdIndex();
    for (const id of ids) index.add(id);
    return index;
  }

  /** Returns the index of `id`, assigning the next free one when it is new. */
  add(id: string): number {
    let i = this.toIndex.get(id);
    if (i === undefined) {
      i = this.toId.length;
      this.toIndex.set(id, i);
      this.toId.push(id);
    }
    return i;
  }

  indexOf(id: string): number | undefined {
    return this.toIndex.get(id);
  }

  idAt(index: number): string {
    const id = this.toId[index];
    if (id === undefined) throw new RangeError(`index ${index} out of range 0..${this.toId.length - 1}`);
    return id;
  }

  get size(): number {
    return this.toId.length;
  }

  ids(): readonly string[] {
    return this.toId;
  }
}

/**
 * Ids appended after a base mapping, append-only: `snapshot()` is an immutable IdLookup of the base plus the ids
 * appended so far. Later appends never change what an earlier snapshot answers (it stops at its own size), so a
 * snapshot costs O(1) to take and readers need no lock or copy.
 *
 * @example const log = new AppendedIds(bundle.items); log.append('new-item'); const items = log.snapshot();
 */
export class AppendedIds {
  private readonly added: string[] = [];
  private readonly toIndex = new Map<string, number>();

  constructor(readonly base: IdLookup) {}

  /** The index of `id` (the base's, or the one appended before), appending it when new. */
  append(id: string): number {
    const known = this.indexOf(id);
    if (known !== undefined) return known;
    const i = this.base.size + this.added.length;
    this.added.push(id);
    this.toIndex.set(id, i);
    return i;
  }

  /** The index of a base or appended id. */
  indexOf(id: string): number | undefined {
    return this.base.indexOf(id) ?? this.toIndex.get(id);
  }

  /** Ids appended so far. */
  get count(): number {
    return this.added.length;
  }

  snapshot(): IdLookup {
    return new IdsSnapshot(this.base, this.added, this.toIndex, this.base.size + this.added.length);
  }
}

/** The base ids plus the appended ids below `size`, as they stood when the snapshot was taken. */
class IdsSnapshot implements IdLookup {
  private all: readonly string[] | undefined;

  constructor(
    private readonly base: IdLookup,
    private readonly added: readonly string[],
    private readonly toIndex: ReadonlyMap<string, number>,
    readonly size: number,
  ) {}

  indexOf(id: string): number | undefined {
    const i = this.base.indexOf(id) ?? this.toIndex.get(id);
    return i !== undefined && i < this.size ? i : undefined;
  }

  idAt(index: number): string {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) throw new RangeError(`index ${index} out of range 0..${this.size - 1}`);
    return index < this.base.size ? this.base.idAt(index) : this.added[index - this.base.size];
  }

  ids(): readonly string[] {
    this.all ??= [...this.base.ids(), ...this.added.slice(0, this.size - this.base.size)];
    return this.all;
  }
}
