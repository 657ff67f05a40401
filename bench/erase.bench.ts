/**
 * What an erase costs on a SQLite file holding ml-100k (100,000 ratings) with three stored item-kNN versions
 * (train.keepVersions 3): each erase deletes the user's rows with secure_delete, reads every stored version's header to
 * find the ones that list the user (the two older ones are deleted on the first erase of each user), and truncates the
 * WAL. Also the export of one user.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../src/config/config.js';
import { silentLogger } from '../src/core/logger.js';
import type { Event, Item } from '../src/core/types.js';
import { createEngine } from '../src/engine.js';
import { datasetPath } from '../src/testkit/datasets.js';
import { percentile, timeIt, type BenchResult } from './harness.js';

const DATASET = 'ml-100k';
const ERASES = 20;

function load(dir: string): { items: Item[]; events: Event[] } {
  const items = readFileSync(join(dir, 'u.item'), 'latin1').split('\n').filter(Boolean).map((line) => ({ id: line.split('|')[0] }));
  const events = readFileSync(join(dir, 'u.data'), 'utf8').split('\n').filter(Boolean).map((line) => {
    const [userId, itemId, rating, seconds] = line.split('\t');
    return { userId, itemId, type: 'rating', value: Number(rating), timestamp: new Date(Number(seconds) * 1000).toISOString() };
  });
  return { items, events };
}

export async function run(): Promise<BenchResult[]> {
  const data = datasetPath(DATASET);
  if (!data) {
    console.warn(`skipping erase bench: ${DATASET} not found`);
    return [];
  }
  const { items, events } = load(data);
  const dir = mkdtempSync(join(tmpdir(), 'kindred-erase-bench-'));
  const config = resolveConfig({ store: { url: `sqlite://${join(dir, 'k.db')}` }, embeddings: { provider: 'none' }, train: { thread: 'main' }, log: { level: 'silent' } });
  const engine = await createEngine(config, { logger: silentLogger });
  const out: BenchResult[] = [];
  try {
    await engine.upsertItems(items);
    for (let i = 0; i < events.length; i += 10_000) await engine.addEvents(events.slice(i, i + 10_000));
    for (let v = 0; v < 3; v++) await engine.train({ model: 'itemknn' });
    const models = await engine.models();
    const bundleBytes = models.versions.reduce((sum, v) => sum + v.bytes, 0);

    const exported = await timeIt(() => engine.exportUser('13'));
    out.push({ name: 'erase.export-user', dataset: DATASET, metric: 'ms', value: exported.seconds * 1000, unit: 'ms', extra: { events: exported.result.events.length } });

    const users = [...new Set(events.map((e) => e.userId))].slice(100, 100 + ERASES);
    const ms: number[] = [];
    let deleted = 0;
    for (const user of users) {
      const t = await timeIt(() => engine.eraseUser(user));
      ms.push(t.seconds * 1000);
      deleted += t.result.models.deletedVersions.length;
      if (t.result.freedSpace !== 'overwritten') throw new Error(`erase left the WAL: ${t.result.freedSpace}`);
    }
    ms.sort((a, b) => a - b);
    out.push({
      name: 'erase.erase-user', dataset: DATASET, metric: 'p50_ms', value: percentile(ms, 50), unit: 'ms',
      extra: { max_ms: ms[ms.length - 1], erases: ERASES, versionsStored: models.versions.length, bundleMiB: bundleBytes / 2 ** 20, versionsDeleted: deleted },
    });
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
