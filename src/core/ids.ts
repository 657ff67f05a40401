/** Maps string ids to dense integer indexes (0..n-1) and back; models work on indexes only. */
export class IdIndex {
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
