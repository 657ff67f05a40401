import { createHash } from 'node:crypto';
import { systemClock, type Clock } from '../core/clock.js';
import { EngineError } from '../core/errors.js';
import type { IdIndex } from '../core/ids.js';
import type { Item, ItemId } from '../core/types.js';
import type { EmbeddingProvider } from '../providers/embedding.js';
import type { EmbeddingRecord, Store } from '../storage/store.js';

/**
 * The text an item is embedded from, in this order: title, categories, tags, then the free text. Short, salient
 * fields come first so that encoders which truncate long inputs (transformer models) keep them. Parts are joined
 * as sentences (a full stop is added where a part has no closing punctuation); empty parts are skipped, so an
 * item with no text at all gives ''.
 *
 * @example itemEmbeddingText({ id: '1', title: 'Alien', categories: ['Horror', 'Sci-Fi'], text: 'In space...' })
 * // 'Alien. Horror, Sci-Fi. In space...'
 */
export function itemEmbeddingText(item: Item): string {
  const parts = [
    item.title?.trim() ?? '',
    (item.categories ?? []).map((c) => c.trim()).filter(Boolean).join(', '),
    (item.tags ?? []).map((t) => t.trim()).filter(Boolean).join(', '),
    item.text?.trim() ?? '',
  ];
  return parts.filter((p) => p.length > 0).map((p) => (/[.!?]$/.test(p) ? p : `${p}.`)).join(' ');
}

/**
 * Short content hash of an embedding text (first 16 hex digits of its SHA-256): a stored vector is stale exactly
 * when the hash of the item's current text differs.
 *
 * @example textHash('Alien. Horror.') // '3f0c...' (16 hex digits)
 */
export function textHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16);
}

export interface EmbedItemsOptions {
  /** Texts per provider call (default 64). */
  batchSize?: number;
  /** Items checked so far / items to check. */
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
  /** Only these items (default: the whole catalogue). */
  itemIds?: ItemId[];
  /** Time source for the report's `seconds` (default: the system clock). */
  clock?: Clock;
}

export interface EmbedItemsReport {
  /** Items whose vector was (re)computed and stored. */
  embedded: number;
  /** Items whose stored vector already matched their text. */
  unchanged: number;
  /** Hidden items and items with no text at all (nothing to embed). */
  skipped: number;
  seconds: number;
}

const SCAN_BATCH = 1000;

/**
 * Embeds every item whose (provider, text hash) is not stored yet, in batches, and stores the vectors. Re-running it
 * after editing some items re-embeds only those; switching providers embeds everything once for the new provider.
 *
 * @example const r = await embedItems(store, provider, { onProgress: (d, t) => bar.update(d, { total: t }) })
 */
export async function embedItems(store: Store, provider: EmbeddingProvider, opts: EmbedItemsOptions = {}): Promise<EmbedItemsReport> {
  const clock = opts.clock ?? systemClock;
  const start = clock.now();
  const batchSize = opts.batchSize ?? 64;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new EngineError('INVALID_INPUT', 'batchSize must be a positive integer', { path: 'batchSize' });
  const total = opts.itemIds ? opts.itemIds.length : (await store.counts()).items;
  const report = { embedded: 0, unchanged: 0, skipped: 0 };
  let done = 0;
  for await (const items of itemBatches(store, opts.itemIds)) {
    throwIfCancelled(opts.signal);
    const stale = await staleItems(store, provider.id, items, report);
    for (let i = 0; i < stale.length; i += batchSize) {
      const chunk = stale.slice(i, i + batchSize);
      const vectors = await provider.embed(chunk.map((s) => s.text), opts.signal);
      if (vectors.length !== chunk.length) {
        throw new EngineError('PROVIDER_FAILED', `embedding provider returned ${vectors.length} vectors for ${chunk.length} texts`, { provider: provider.id });
      }
      const records: EmbeddingRecord[] = chunk.map((s, j) => ({ itemId: s.itemId, provider: provider.id, textHash: s.hash, vector: vectors[j] }));
      await store.putEmbeddings(records);
      report.embedded += chunk.length;
      throwIfCancelled(opts.signal);
    }
    done += items.length;
    opts.onProgress?.(Math.min(done, total), total);
  }
  opts.onProgress?.(total, total);
  return { ...report, seconds: (clock.now() - start) / 1000 };
}

async function* itemBatches(store: Store, itemIds: ItemId[] | undefined): AsyncIterable<Item[]> {
  if (!itemIds) {
    yield* store.scanItems({ batchSize: SCAN_BATCH });
    return;
  }
  for (let i = 0; i < itemIds.length; i += SCAN_BATCH) yield await store.getItems(itemIds.slice(i, i + SCAN_BATCH));
}

/** The items of a batch that need a new vector, with their text and its hash; counts the rest into `report`. */
async function staleItems(
  store: Store,
  providerId: string,
  items: Item[],
  report: { unchanged: number; skipped: number },
): Promise<Array<{ itemId: ItemId; text: string; hash: string }>> {
  const candidates = items.flatMap((item) => {
    const text = item.hidden ? '' : itemEmbeddingText(item);
    if (text === '') {
      report.skipped++;
      return [];
    }
    return [{ itemId: item.id, text, hash: textHash(text) }];
  });
  if (candidates.length === 0) return [];
  const stored = new Map((await store.getEmbeddings(providerId, candidates.map((c) => c.itemId))).map((r) => [r.itemId, r.textHash]));
  return candidates.filter((c) => {
    const same = stored.get(c.itemId) === c.hash;
    if (same) report.unchanged++;
    return !same;
  });
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new EngineError('CANCELLED', 'item embedding was cancelled');
}

export interface ItemVectors {
  /** Row-major, one row per item index (zeros where absent). */
  vectors: Float32Array;
  dims: number;
  /** 1 where the item has a stored vector. */
  present: Uint8Array;
}

/**
 * Stored vectors of one provider laid out by a model's item index: exactly what FitContext.content wants
 * (`{ embeddings: vectors, dimensions: dims }`). Items without a vector get a zero row and present = 0.
 *
 * @example const { vectors, dims } = await loadItemVectors(store, provider.id, data.items)
 */
export async function loadItemVectors(store: Store, providerId: string, items: IdIndex): Promise<ItemVectors> {
  const records = await store.getEmbeddings(providerId, [...items.ids()]);
  const dims = records[0]?.vector.length ?? 0;
  const vectors = new Float32Array(items.size * dims);
  const present = new Uint8Array(items.size);
  for (const r of records) {
    const i = items.indexOf(r.itemId);
    if (i === undefined) continue;
    if (r.vector.length !== dims) {
      throw new EngineError('INVALID_INPUT', `stored embeddings of ${providerId} disagree in size (${r.vector.length} vs ${dims})`, { id: r.itemId });
    }
    vectors.set(r.vector, i * dims);
    present[i] = 1;
  }
  return { vectors, dims, present };
}
