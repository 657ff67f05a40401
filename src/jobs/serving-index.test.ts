import { describe, expect, it } from 'vitest';
import { fixedClock } from '../core/clock.js';
import { IdIndex } from '../core/ids.js';
import { createLogger, silentLogger } from '../core/logger.js';
import { alsDefinition, type AlsModel } from '../models/als/als.js';
import type { ModelBundle } from '../models/model-bundle.js';
import { popularDefinition } from '../models/popular/popular.js';
import { checkerboard, FIXTURE_EPOCH_MS } from '../testkit/fixtures.js';
import { createServingIndexes } from './serving-index.js';

const ctx = { logger: silentLogger, clock: fixedClock(FIXTURE_EPOCH_MS), seed: 3, threads: 1 };

async function bundleOf(version: number): Promise<{ bundle: ModelBundle; main: AlsModel }> {
  const { data } = checkerboard();
  const main = alsDefinition.create(alsDefinition.parseParams({ factors: 8, iterations: 5 })) as AlsModel;
  await main.fit(data, ctx);
  const popular = popularDefinition.create(popularDefinition.parseParams({}));
  await popular.fit(data, ctx);
  const bundle: ModelBundle = { version, trainedAt: '2024-01-01T00:00:00Z', users: data.users, items: IdIndex.from([...data.items.ids()]), trainedItems: data.items.size, models: { main, popular } };
  return { bundle, main };
}

function recordingLogger(): { logger: ReturnType<typeof createLogger>; built: () => number[] } {
  const lines: string[] = [];
  const logger = createLogger('info', (line) => lines.push(line));
  const built = () => lines.filter((l) => l.includes('serving index built')).map((l) => (JSON.parse(l) as { version: number }).version);
  return { logger, built };
}

describe('serving indexes (jobs/serving-index.ts)', () => {
  it('attaches an index to a served factor model at or above the item threshold, and keeps exclusions', async () => {
    const { bundle, main } = await bundleOf(1);
    const { logger, built } = recordingLogger();
    const indexes = createServingIndexes({ minItems: bundle.trainedItems, efSearch: 50, logger });
    const row = main.trainingRow(0);
    const exact = main.recommend({ user: row, k: 5, exclude: row.indices });
    indexes.onServe(bundle);
    await indexes.settled();
    expect(built()).toEqual([1]);
    // 19 items: the graph finds the exact answer; the user's own items stay out
    const served = main.recommend({ user: row, k: 5, exclude: row.indices });
    expect(served.map((s) => s.index)).toEqual(exact.map((s) => s.index));
    await indexes.stop();
  });

  it('leaves smaller catalogues exact, and a newer bundle cancels the build for the older', async () => {
    const { logger, built } = recordingLogger();
    const small = createServingIndexes({ minItems: 1000, efSearch: 50, logger });
    small.onServe((await bundleOf(1)).bundle);
    await small.settled();
    expect(built()).toEqual([]);

    const indexes = createServingIndexes({ minItems: 1, efSearch: 50, logger });
    const [first, second] = [await bundleOf(2), await bundleOf(3)];
    indexes.onServe(first.bundle);
    indexes.onServe(second.bundle);
    await indexes.settled();
    expect(built()).toEqual([3]);
    await indexes.stop();
  });
});
