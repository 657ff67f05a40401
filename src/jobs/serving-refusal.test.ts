/**
 * A stored model version whose blob no longer matches its checksum (altered in place in the SQLite file) is refused:
 * the old bundle keeps serving, the refusal is logged once with the version only, later polls skip it, a newer sound
 * version is served, and `models()` marks it. The worker-thread loader refuses it the same way.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/config.js';
import { systemClock } from '../core/clock.js';
import { createLogger } from '../core/logger.js';
import type { Event } from '../core/types.js';
import { openStore } from '../storage/registry.js';
import type { Store } from '../storage/store.js';
import { expectEngineError } from '../testkit/store-conformance/fixtures.js';
import { loadArtifactInWorker } from './job-threads.js';
import { BUNDLE_ARTIFACT } from '../models/model-bundle.js';
import { ModelServing } from './serving.js';
import { trainBundle } from './trainer.js';

const events: Event[] = Array.from({ length: 120 }, (_, i) => ({
  userId: `u${i % 12}`, itemId: `i${(i * 7) % 15}`, type: 'view', timestamp: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(),
}));

/** Stores one more sound bundle version (item-kNN, no extra channels: quick). */
async function trainVersion(store: Store, url: string): Promise<void> {
  const config = resolveConfig({ store: { url }, embeddings: { provider: 'none' }, train: { channels: {}, fusion: false } });
  await trainBundle(store, config, { model: 'itemknn', params: {} }, { logger: createLogger('silent'), clock: systemClock });
}

describe('serving refuses a corrupt model version', () => {
  const dirs: string[] = [];
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  /** A SQLite file holding `versions` sound bundle versions, and a way to alter one version's blob in place. */
  async function storeWithVersions(versions: number): Promise<{ url: string; store: Store; corrupt: (version: number) => void }> {
    const dir = mkdtempSync(join(tmpdir(), 'kindred-refusal-'));
    dirs.push(dir);
    const path = join(dir, 'k.db');
    const url = `sqlite://${path}`;
    const store = await openStore(url);
    closers.push(() => store.close());
    await store.addEvents(events);
    for (let v = 0; v < versions; v++) await trainVersion(store, url);
    const corrupt = (version: number) => {
      const raw = new Database(path);
      const { blob } = raw.prepare('SELECT blob FROM artifacts WHERE name = ? AND version = ?').get(BUNDLE_ARTIFACT, version) as { blob: Buffer };
      blob[blob.length - 1] ^= 0xff; // one flipped byte: the checksum saved with it no longer matches
      raw.prepare('UPDATE artifacts SET blob = ? WHERE name = ? AND version = ?').run(blob, BUNDLE_ARTIFACT, version);
      raw.close();
    };
    return { url, store, corrupt };
  }

  function serve(store: Store, url: string, lines: string[], offThreadBytes?: number): ModelServing {
    const serving = new ModelServing(store, { logger: createLogger('info', (l) => lines.push(l)), pollSeconds: 0, storeUrl: url, offThreadBytes });
    closers.push(() => serving.close());
    return serving;
  }

  it('keeps the old bundle, warns once with the version, skips it on later polls, then serves a newer sound version', async () => {
    const { url, store, corrupt } = await storeWithVersions(1);
    const lines: string[] = [];
    const serving = serve(store, url, lines);
    await serving.start();
    expect(serving.current?.version).toBe(1);

    await trainVersion(store, url);
    corrupt(2);
    expect(await serving.refresh()).toBe(false);
    expect(await serving.refresh()).toBe(false);
    expect(serving.current?.version).toBe(1);
    const warnings = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.level === 'warn');
    expect(warnings).toEqual([expect.objectContaining({ msg: expect.stringMatching(/^refused model version/), version: 2, serving: 1 })]);
    expect((await serving.versions()).map((v) => [v.version, v.serving, v.refused])).toEqual([[2, false, true], [1, true, false]]);

    await trainVersion(store, url);
    expect(await serving.refresh()).toBe(true);
    expect(serving.current?.version).toBe(3);
  });

  it('a server starting on a store whose newest version is corrupt serves the newest sound one', async () => {
    const { url, store, corrupt } = await storeWithVersions(2);
    corrupt(2);
    const lines: string[] = [];
    const serving = serve(store, url, lines);
    await serving.start();
    expect(serving.current?.version).toBe(1);
    expect((await serving.versions()).find((v) => v.version === 2)?.refused).toBe(true);
  });

  it('the worker-thread loader refuses it too (STORE_CORRUPT), and serving through it keeps the old bundle', async () => {
    const { url, store, corrupt } = await storeWithVersions(2);
    corrupt(2);
    expect(await expectEngineError(loadArtifactInWorker(url, BUNDLE_ARTIFACT, 2), 'STORE_CORRUPT')).toEqual({ name: BUNDLE_ARTIFACT, version: 2 });
    expect((await loadArtifactInWorker(url, BUNDLE_ARTIFACT, 1))?.name).toBe(BUNDLE_ARTIFACT);

    // Serving a version 1 read in-thread, then polling with every read moved to a worker (offThreadBytes 0).
    const lines: string[] = [];
    const serving = serve(store, url, lines, 0);
    await serving.pin(1);
    await serving.start();
    expect(serving.current?.version).toBe(1);
    await serving.pin(undefined); // back to the newest: version 2, read in a worker, refused
    expect(serving.current?.version).toBe(1);
    expect((await serving.versions()).find((v) => v.version === 2)?.refused).toBe(true);
  });
});
