import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/logger.js';
import type { EmbeddingProvider } from '../../providers/embedding.js';
import { openEmbeddingProvider } from '../../providers/registry.js';
import { testDataset } from '../../testkit/datasets.js';
import { formatTextQueryReport, runTextQueryCheck, type TextQueryReport } from './text-query-check.js';

const ratingsDir = testDataset('ml-latest-small');
const overviewsDir = testDataset('movie-overviews');

describe.skipIf(!ratingsDir || !overviewsDir)('text queries over ml-latest-small films with TMDB overviews (builtin encoder)', () => {
  let provider: EmbeddingProvider;
  const run = (textFields: 'title+overview' | 'title+genres+keywords+overview'): Promise<TextQueryReport> =>
    runTextQueryCheck({ ratingsDir: ratingsDir ?? '', overviewsFile: join(overviewsDir ?? '', 'tmdb_5000_movies.csv'), provider, textFields });
  beforeAll(async () => {
    const opened = await openEmbeddingProvider('builtin', { cacheDir: join(tmpdir(), 'kindred-test-cache'), logger: silentLogger });
    if (!opened) throw new Error('builtin provider missing');
    provider = opened;
  });
  const precision = (r: TextQueryReport, query: string): number => r.results.find((x) => x.query === query)?.precision ?? Number.NaN;

  it('finds science fiction and romantic comedies for the issue\'s two queries (item text as the engine embeds it)', async () => {
    const report = await run('title+genres+keywords+overview');
    expect(report.films).toBe(3536);
    expect(precision(report, 'a space adventure')).toBeGreaterThanOrEqual(0.6);
    expect(precision(report, 'a romantic comedy')).toBeGreaterThanOrEqual(0.6);
    // chance is the genre's share of the catalogue (Science Fiction ~11%, Romance+Comedy ~8%): most queries do far better
    expect(report.results.filter((x) => x.precision >= 0.5).length).toBeGreaterThanOrEqual(5);
    expect(formatTextQueryReport(report)).toContain('| a space adventure | Science Fiction |');
  });

  it('finds science fiction from titles and overviews alone', async () => {
    const report = await run('title+overview');
    expect(precision(report, 'a space adventure')).toBeGreaterThanOrEqual(0.6);
  });
});
