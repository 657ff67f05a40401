import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { EngineError } from '../core/errors.js';
import type { Item } from '../core/types.js';
import { itemTextFile, loadTmdbItemText } from '../ingest/item-text.js';
import { itemEmbeddingText } from '../jobs/item-embeddings.js';
import type { EmbeddingProvider } from '../providers/embedding.js';
import type { RatingsTable } from './data/table.js';

/**
 * The catalogue records an evaluation can embed for a dataset read from files: each item's title and categories from
 * the table, plus, with `itemTextFile` (the TMDB movies CSV, as `kindred import --item-text` takes), its overview
 * and TMDB genres/keywords joined through the dataset's links.csv.
 *
 * @example const items = await datasetItems(table, '/data/ml-latest-small', '/data/movie-overviews/tmdb_5000_movies.csv')
 */
export async function datasetItems(table: RatingsTable, dataPath: string, itemTextPath?: string): Promise<Map<string, Item>> {
  const items = new Map<string, Item>();
  table.items.ids().forEach((id, i) => {
    const title = table.itemTitles?.[i];
    items.set(id, { id, title: title === id ? undefined : title, categories: table.itemCategories?.[i] ? [...table.itemCategories[i]] : undefined });
  });
  if (itemTextPath) {
    const folder = existsSync(join(dataPath, 'links.csv')) ? dataPath : dirname(dataPath);
    const linksPath = join(folder, 'links.csv');
    if (!existsSync(linksPath)) throw new EngineError('INVALID_INPUT', '--item-text needs the dataset\'s links.csv (MovieLens latest) beside its ratings', { path: 'item-text' });
    const links = itemTextFile({ path: linksPath });
    const { byItem } = await loadTmdbItemText(itemTextFile({ path: itemTextPath }), links, { onBytes: () => undefined });
    for (const [id, entry] of byItem) {
      const item = items.get(id);
      if (item) items.set(id, { ...item, text: entry.text, tags: entry.tags });
    }
  }
  return items;
}

/**
 * Embeds each item's text (title, categories, tags, text: what the engine embeds) with `provider`; items with no text
 * get no vector. Throws INVALID_INPUT when no item has text, saying how to add some for that `source`.
 *
 * @example const vectors = await embedItemTexts(items, provider, 'files'); setupOptions.itemEmbeddings = vectors
 */
export async function embedItemTexts(
  items: Map<string, Item>, provider: EmbeddingProvider, source: 'files' | 'store', signal?: AbortSignal,
): Promise<Map<string, Float32Array>> {
  const entries = [...items.values()].map((it) => [it.id, itemEmbeddingText(it)] as const).filter(([, text]) => text !== '');
  if (entries.length === 0) {
    const fix = source === 'store'
      ? 'import items with a title or text into the store (for MovieLens latest, kindred import --item-text)'
      : 'pass --item-text <file>, or a dataset with item titles';
    throw new EngineError('INVALID_INPUT', `semantic and hybrid need item text, and no item has a title or text: ${fix}`, { path: 'item-text' });
  }
  const out = new Map<string, Float32Array>();
  const BATCH = 512;
  for (let i = 0; i < entries.length; i += BATCH) {
    const chunk = entries.slice(i, i + BATCH);
    const vectors = await provider.embed(chunk.map(([, text]) => text), signal);
    chunk.forEach(([id], j) => out.set(id, vectors[j]));
  }
  return out;
}
