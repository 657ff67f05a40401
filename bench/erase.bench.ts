/**
 * What an erase costs on a SQLite file holding ml-100k (100,000 ratings), for each model that removes a user exactly
 * (item-kNN, EASE, popularity as the main model; train.channels {} and train.fusion false, so every role is exact).
 * Three versions are stored first (train.keepVersions 3). Measured per model:
 * - `update`: the exact removal alone (privacy/bundle-erase.ts bundleWithoutUser on the decoded served bundle), per user;
 * - `erase`: the whole `engine.eraseUser`: update, encode and store the replacement, serve it, delete every version that
 *   named the user (secure_delete), delete the user's rows, truncate the WAL;
 * - `refit-main`: fitting the main model once more on all the data, for reference;
 * - the served bundle's size, and what exact removal added to it (EASE's diag P, popularity's float64 sums).
 * Also the export of one user.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../src/config/config.js';
import { systemClock } from '../src/core/clock.js';
import { silentLogger } from '../src/core/logger.js';
import { fromEvents } from '../src/models/interactions-builder.js';
import { createModel } from '../src/models/registry.js';
import type { Event, Item } from '../src/core/types.js';
import { decodeBundle, BUNDLE_ARTIFACT } from '../src/models/model-bundle.js';
import { bundleWithoutUser } from '../src/privacy/bundle-erase.js';
import { datasetPath } from '../src/testkit/datasets.js';
import { engineOnStore } from '../src/testkit/engine-on-store.js';
import { percentile, timeIt, type BenchResult } from './harness.js';

const DATASET = 'ml-100k';
const ERASES = 20;
const MODELS: Array<{ model: string; params?: Record<string, unknown> }> = [{ model: 'itemknn' }, { model: 'ease', params: { lambda: 200 } }, { model: 'popular' }];

function load(dir: string): { items: Item[]; events: Event[] } {
  const items = readFileSync(join(dir, 'u.item'), 'latin1').split('\n').filter(Boolean).map((line) => ({ id: line.split('|')[0] }));
  const events = readFileSync(join(dir, 'u.data'), 'utf8').split('\n').filter(Boolean).map((line) => {
    const [userId, itemId, rating, seconds] = line.split('\t');
    return { userId, itemId, type: 'rating', value: Number(rating), timestamp: new Date(Number(seconds) * 1000).toISOString() };
  });
  return { items, events };
}

/** Bytes of the arrays exact removal added to a stored bundle (EASE's pinvDiagonal, popularity's totals). */
function unlearningBytes(blob: Uint8Array): number {
  const bundle = decodeBundle(blob, 0);
  let bytes = 0;
  for (const model of Object.values(bundle.models)) {
    const arrays = model?.save().arrays ?? {};
    for (const key of ['pinvDiagonal', 'totals']) bytes += arrays[key]?.byteLength ?? 0;
  }
  return bytes;
}

async function benchModel(train: (typeof MODELS)[number], data: { items: Item[]; events: Event[] }, dir: string, exportToo: boolean): Promise<BenchResult[]> {
  const config = resolveConfig({
    store: { url: `sqlite://${join(dir, `${train.model}.db`)}` }, embeddings: { provider: 'none' }, log: { level: 'silent' },
    train: { thread: 'main', channels: {}, fusion: false },
  });
  const { engine, store } = await engineOnStore(config, { logger: silentLogger });
  const out: BenchResult[] = [];
  try {
    await engine.upsertItems(data.items);
    for (let i = 0; i < data.events.length; i += 10_000) await engine.addEvents(data.events.slice(i, i + 10_000));
    for (let v = 0; v < 3; v++) await engine.train(train);
    const served = await store.loadArtifact(BUNDLE_ARTIFACT);
    if (!served) throw new Error('no stored bundle');
    const bundle = decodeBundle(served.blob, served.version);
    const users = [...new Set(data.events.map((e) => e.userId))].slice(100, 100 + ERASES);

    if (exportToo) {
      const exported = await timeIt(() => engine.exportUser('13'));
      out.push({ name: 'erase.export-user', dataset: DATASET, metric: 'ms', value: exported.seconds * 1000, unit: 'ms', extra: { events: exported.result.events.length } });
    }
    // The reference: fitting the main model again on all the data (what a retraining costs for that role alone).
    const matrix = fromEvents(data.events, config.events.types, { items: data.items.map((it) => it.id) });
    const refit = await timeIt(() => createModel(bundle.models.main.name, { ...bundle.models.main.params }).fit(matrix, { logger: silentLogger, clock: systemClock }));
    out.push({ name: `erase.refit-main.${train.model}`, dataset: DATASET, metric: 'ms', value: refit.seconds * 1000, unit: 'ms' });
    const updateMs: number[] = [];
    for (const user of users) updateMs.push((await timeIt(() => bundleWithoutUser(bundle, user))).seconds * 1000);
    updateMs.sort((a, b) => a - b);
    out.push({ name: `erase.update.${train.model}`, dataset: DATASET, metric: 'p50_ms', value: percentile(updateMs, 50), unit: 'ms', extra: { max_ms: updateMs[updateMs.length - 1], users: ERASES } });

    const eraseMs: number[] = [];
    let deleted = 0;
    for (const user of users) {
      const t = await timeIt(() => engine.eraseUser(user));
      eraseMs.push(t.seconds * 1000);
      deleted += t.result.models.deletedVersions.length;
      if (t.result.models.influenceGone !== 'now') throw new Error(`${train.model}: erase left the user's influence: ${JSON.stringify(t.result.models.roles)}`);
      if (t.result.freedSpace !== 'overwritten') throw new Error(`erase left the WAL: ${t.result.freedSpace}`);
    }
    eraseMs.sort((a, b) => a - b);
    out.push({
      name: `erase.erase-user.${train.model}`, dataset: DATASET, metric: 'p50_ms', value: percentile(eraseMs, 50), unit: 'ms',
      extra: { max_ms: eraseMs[eraseMs.length - 1], erases: ERASES, bundleMiB: served.blob.byteLength / 2 ** 20, unlearningBytes: unlearningBytes(served.blob), versionsDeleted: deleted },
    });
  } finally {
    await engine.close();
  }
  return out;
}

export async function run(): Promise<BenchResult[]> {
  const path = datasetPath(DATASET);
  if (!path) {
    console.warn(`skipping erase bench: ${DATASET} not found`);
    return [];
  }
  const data = load(path);
  const dir = mkdtempSync(join(tmpdir(), 'kindred-erase-bench-'));
  const out: BenchResult[] = [];
  try {
    for (const [i, train] of MODELS.entries()) out.push(...(await benchModel(train, data, dir, i === 0)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
