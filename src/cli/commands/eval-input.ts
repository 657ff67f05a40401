import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { parseSqliteUrl } from '../../adapters/sqlite/url.js';
import type { Logger } from '../../core/logger.js';
import { systemClock } from '../../core/clock.js';
import type { Item } from '../../core/types.js';
import { readStoreDataset } from '../../eval/data/store.js';
import { loadDataset, type RatingsTable } from '../../eval/dataset.js';
import { datasetItems, embedItemTexts } from '../../eval/item-text.js';
import { itemEmbeddingText } from '../../jobs/item-embeddings.js';
import type { ModelSpec } from '../../eval/runner.js';
import { EngineError } from '../../core/errors.js';
import { needsItemEmbeddings, wantsItemEmbeddings } from '../../models/registry.js';
import { openEmbeddingProvider } from '../../providers/registry.js';
import { openStore } from '../../storage/registry.js';
import { loadConfig, type GlobalOptions } from '../context.js';
import type { EvalFlags } from './eval.js';

export interface EvalInput {
  data: RatingsTable;
  /** Item text vectors, only when a model needs them (semantic, hybrid) or uses them (transformer with textInit). */
  itemEmbeddings?: Map<string, Float32Array>;
}

/**
 * What `kindred eval` evaluates on: the dataset files of --data, else the Kindred store (--db / KINDRED_DB / config
 * store.url, read only), plus item text vectors when a content model is asked for (the configured embedding
 * provider over the items' titles, categories and texts; --item-text adds TMDB overviews to a files dataset).
 *
 * @example const { data, itemEmbeddings } = await evalInput(flags, globals, models, logger)
 */
export async function evalInput(flags: EvalFlags, globals: GlobalOptions, models: ModelSpec[], logger: Logger): Promise<EvalInput> {
  const config = loadConfig({ logLevel: 'warn', ...globals });
  let data: RatingsTable;
  let items: Map<string, Item> | undefined;
  if (flags.data) {
    data = await loadDataset(flags.data, {
      format: flags.format,
      name: flags.name,
      delimiter: flags.delimiter,
      columns: { user: flags.userCol, item: flags.itemCol, rating: flags.ratingCol, time: flags.timeCol },
    });
  } else {
    if (flags.itemText) throw new EngineError('INVALID_INPUT', '--item-text goes with --data; a store already holds its items\' texts', { path: 'item-text' });
    const location = config.store.url.toLowerCase().startsWith('sqlite://') ? parseSqliteUrl(config.store.url) : undefined;
    // Evaluation only reads: a mistyped path must not leave an empty database behind.
    if (location?.kind === 'file' && !existsSync(location.path)) {
      throw new EngineError('NOT_FOUND', `no Kindred store at ${location.path}: pass --data <dataset>, or --db with the store to evaluate`, { path: 'db' });
    }
    const store = await openStore(config.store.url, { logger, clock: systemClock, create: false });
    try {
      // The file's name, or a PostgreSQL store's schema (never its host or credentials).
      const schema = /^postgres(?:ql)?:\/\//i.test(config.store.url) ? (new URL(config.store.url).searchParams.get('schema') ?? 'public') : undefined;
      const name = flags.name ?? schema ?? basename(config.store.url.replace(/^[a-z]+:\/\//, '')).replace(/\.db$/, '');
      ({ table: data, items } = await readStoreDataset(store, config.events.types, name));
    } finally {
      await store.close();
    }
  }
  const needed = models.some((m) => needsItemEmbeddings(m.name));
  if (!needed && !models.some((m) => wantsItemEmbeddings(m.name, m.params))) return { data };
  const provider = await openEmbeddingProvider(config.embeddings.provider, { logger });
  // A model that only uses text when there is some (the transformer's textInit) fits without a provider.
  if (!provider && !needed) return { data };
  if (!provider) {
    throw new EngineError('INVALID_CONFIG', 'semantic and hybrid need item text embeddings: set embeddings.provider (KINDRED_EMBEDDINGS), e.g. builtin', { path: 'embeddings.provider' });
  }
  const source = items ? 'store' : 'files';
  items ??= await datasetItems(data, flags.data ?? '', flags.itemText);
  if (!needed && ![...items.values()].some((it) => itemEmbeddingText(it) !== '')) return { data };
  return { data, itemEmbeddings: await embedItemTexts(items, provider, source) };
}
