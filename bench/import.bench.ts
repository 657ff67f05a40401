/**
 * Import throughput: ml-latest-small (100,836 ratings, 9,742 movies, 3,683 tags) streamed into a fresh temporary
 * SQLite store, without and with the TMDB item-text join. Reports events/s, wall time and the process's peak RSS.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importDataset, type ImportOptions } from '../src/ingest/importer.js';
import { openStore } from '../src/storage/registry.js';
import { datasetPath } from '../src/testkit/datasets.js';
import { peakRssMb, timeIt, type BenchResult } from './harness.js';

async function importOnce(dir: string, name: string, opts: Omit<ImportOptions, 'onError'>): Promise<BenchResult[]> {
  const store = await openStore(`sqlite://${join(dir, `${name}.db`)}`);
  try {
    const { seconds, result } = await timeIt(() => importDataset(store, { ...opts, onError: 'abort' }));
    const events = result.counts.events;
    const extra = { seconds, events, items: result.counts.items, peakRssMb: Math.round(peakRssMb()) };
    return [
      { name: `import.${name}`, dataset: 'ml-latest-small', metric: 'events/s', value: events / seconds, unit: 'events/s', extra },
      { name: `import.${name}`, dataset: 'ml-latest-small', metric: 'seconds', value: seconds, unit: 's' },
    ];
  } finally {
    await store.close();
  }
}

export async function run(): Promise<BenchResult[]> {
  const ml = datasetPath('ml-latest-small');
  if (!ml) {
    console.warn('skipping import bench: ml-latest-small not found (KINDRED_DATA_DIR)');
    return [];
  }
  const dir = mkdtempSync(join(tmpdir(), 'kindred-import-bench-'));
  try {
    const results = await importOnce(dir, 'ml-latest-small', { path: ml, format: 'movielens-latest' });
    const overviews = datasetPath('movie-overviews');
    if (overviews) {
      results.push(...await importOnce(dir, 'ml-latest-small+tmdb', {
        path: ml, format: 'movielens-latest', itemText: { path: join(overviews, 'tmdb_5000_movies.csv') },
      }));
    }
    results.push({ name: 'import', dataset: 'ml-latest-small', metric: 'peakRss', value: peakRssMb(), unit: 'MiB' });
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
