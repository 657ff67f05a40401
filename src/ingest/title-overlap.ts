/**
 * Notices a second, different dataset being imported into a store that holds one already: its item ids overlap the
 * stored ones but name other things (ml-100k's item 50 is Star Wars, ml-latest-small's is The Usual Suspects), and
 * every list trained on the mix is nonsense. Cheap: one counts() at the start, then one lookup per batch of items,
 * and nothing at all when the store starts empty.
 */
import type { Item } from '../core/types.js';
import type { Store } from '../storage/store.js';

const LOOKUP_CHUNK = 500;

/** What the import found about its items' ids against the items stored before it began. */
export interface ItemOverlap {
  /** Imported items whose id was already in the store. */
  existing: number;
  /** Of those, items whose stored title differs from the imported one (both titled). */
  retitled: number;
}

export class TitleOverlapCheck {
  readonly overlap: ItemOverlap = { existing: 0, retitled: 0 };

  private constructor(
    private readonly store: Store,
    private readonly storeHadItems: boolean,
  ) {}

  /**
   * Starts a check against the items the store holds now.
   *
   * @example const check = await TitleOverlapCheck.start(store); await check.compare(batch); check.warning(total)
   */
  static async start(store: Store): Promise<TitleOverlapCheck> {
    const { items } = await store.counts();
    return new TitleOverlapCheck(store, items > 0);
  }

  /** Compares a batch about to be written with the stored items of the same ids. */
  async compare(items: readonly Item[]): Promise<void> {
    if (!this.storeHadItems) return;
    for (let i = 0; i < items.length; i += LOOKUP_CHUNK) {
      const chunk = items.slice(i, i + LOOKUP_CHUNK);
      const stored = new Map((await this.store.getItems(chunk.map((it) => it.id))).map((it) => [it.id, it.title]));
      for (const item of chunk) {
        if (!stored.has(item.id)) continue;
        this.overlap.existing++;
        const title = stored.get(item.id);
        if (title !== undefined && item.title !== undefined && title !== item.title) this.overlap.retitled++;
      }
    }
  }

  /** A warning naming the counts and `--db` when stored items got other titles; undefined otherwise. */
  warning(importedItems: number): string | undefined {
    const { existing, retitled } = this.overlap;
    if (retitled === 0) return undefined;
    return `${retitled} of the ${importedItems} imported items already existed in this store under a different title ` +
      `(${existing} ids overlapped): if this is a different dataset, its ids now mix with the stored one's. ` +
      'Give each dataset its own store with --db (e.g. --db sqlite://./other.db) or KINDRED_DB.';
  }
}
