import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig, type ConfigInput } from '../config/config.js';
import { silentLogger } from '../core/logger.js';
import type { Event, Item } from '../core/types.js';
import { createEngine } from '../engine.js';
import type { Engine } from '../engine-types.js';
import { openStore } from '../storage/registry.js';
import { BUNDLE_ARTIFACT, decodeBundle } from '../models/model-bundle.js';
import { ModelServing } from './serving.js';

const T0 = Date.parse('2024-03-01T00:00:00Z');

/** Two taste groups of 6 items each; every user likes most of their group. */
function tasteGroups(): { items: Item[]; events: Event[] } {
  const items: Item[] = [];
  for (let i = 0; i < 6; i++) items.push({ id: `sf${i}`, title: `Space Saga ${i}` }, { id: `ro${i}`, title: `Love Story ${i}` });
  const events: Event[] = [];
  let t = 0;
  for (let u = 0; u < 12; u++) {
    for (let i = 0; i < 6; i++) {
      if ((u + i) % 6 === 5) continue;
      events.push({ userId: `u${u}`, itemId: `${u < 6 ? 'sf' : 'ro'}${i}`, type: 'like', timestamp: new Date(T0 + t++ * 60_000).toISOString() });
    }
  }
  return { items, events };
}

describe('model serving', () => {
  const engines: Engine[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const e of engines.splice(0)) await e.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  async function open(url: string, extra: ConfigInput = {}): Promise<Engine> {
    const config = resolveConfig({ store: { url }, log: { level: 'silent' }, embeddings: { provider: 'none' }, models: { pollSeconds: 0 }, ...extra });
    const engine = await createEngine(config, { logger: silentLogger });
    engines.push(engine);
    return engine;
  }

  function fileUrl(): string {
    const dir = mkdtempSync(join(tmpdir(), 'kindred-serving-'));
    dirs.push(dir);
    return `sqlite://${join(dir, 'kindred.db')}`;
  }

  async function seeded(url: string, extra: ConfigInput = {}): Promise<Engine> {
    const e = await open(url, extra);
    const { items, events } = tasteGroups();
    await e.upsertItems(items);
    await e.addEvents(events);
    return e;
  }

  it('trains in a worker: the new version is fitted and written while the request thread is blocked, then served', async () => {
    const url = fileUrl();
    const e = await seeded(url);
    const watcher = new Database(url.slice('sqlite://'.length), { readonly: true });
    try {
      const newest = watcher.prepare("SELECT MAX(version) AS v FROM artifacts WHERE name = 'bundle'").pluck();
      const training = e.train({ model: 'itemknn' });
      // The run starts once it holds the store's trainer lease (an async store call): wait for that, not for the fit.
      const leaseHeld = watcher.prepare("SELECT COUNT(*) FROM leases WHERE name = 'trainer'").pluck();
      do await new Promise((r) => setTimeout(r, 5)); while (leaseHeld.get() === 0);
      // Block this thread until version 1 is stored. An in-thread training cannot make progress meanwhile, so only
      // a training on another thread lets this loop end before its deadline (a bound for failing, not a timing).
      const nap = new Int32Array(new SharedArrayBuffer(4));
      const deadline = Date.now() + 60_000;
      while (newest.get() !== 1 && Date.now() < deadline) Atomics.wait(nap, 0, 0, 20);
      expect(newest.get()).toBe(1);
      const report = await training;
      expect(report).toMatchObject({ model: 'itemknn', version: 1, users: 12, items: 12 });
      expect(report.jobId).toMatch(/^[0-9a-f-]{36}$/);
      const res = await e.recommend('u0', { count: 1 }); // served at once, through the serving path
      expect(res.model).toEqual({ name: 'itemknn', version: 1 });
      expect(res.items[0].itemId).toBe('sf5');
    } finally {
      watcher.close();
    }
  });

  it('reports a failure inside the worker with its error code', async () => {
    const e = await seeded(fileUrl());
    await expect(e.train({ model: 'no-such-model' })).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    await expect(e.recommend('u0')).rejects.toMatchObject({ code: 'NOT_TRAINED' });
  });

  it('a second engine on the same file picks up a version another engine trained, and lists it as served', async () => {
    const url = fileUrl();
    const trainer = await seeded(url, { train: { thread: 'main' } }); // the worker path has its own tests
    const server = await open(url, { models: { pollSeconds: 0.05 } });
    await expect(server.recommend('u0')).rejects.toMatchObject({ code: 'NOT_TRAINED' });
    await trainer.train({ model: 'itemknn' });
    await expect.poll(async () => (await server.models()).serving, { timeout: 10_000, interval: 50 }).toBe(1);
    expect((await server.recommend('u0', { count: 1 })).model).toEqual({ name: 'itemknn', version: 1 });
    await trainer.train({ model: 'ease', params: { lambda: 10 } });
    await expect.poll(async () => (await server.recommend('u0', { count: 1 })).model?.version, { timeout: 10_000, interval: 50 }).toBe(2);
    const listed = await server.models();
    expect(listed).toMatchObject({ serving: 2, pinned: null, training: null });
    expect(listed.versions.map((v) => [v.version, v.serving])).toEqual([[2, true], [1, false]]);
    expect(listed.versions[0].meta).toMatchObject({ model: 'ease', params: { lambda: 10 }, users: 12, items: 12, interactions: 60 });
    expect(listed.versions[0].meta.seconds).toEqual(expect.any(Number));
    expect(listed.versions[0].bytes).toBeGreaterThan(0);
  });

  it('keeps only the newest train.keepVersions versions, never the pinned one', async () => {
    const e = await seeded('memory://', { train: { keepVersions: 2 } });
    for (let i = 0; i < 3; i++) await e.train({ model: 'itemknn' });
    expect((await e.models()).versions.map((v) => v.version)).toEqual([3, 2]);
    await e.rollbackModel(2);
    for (let i = 0; i < 2; i++) await e.train({ model: 'itemknn' });
    const after = await e.models();
    expect(after.versions.map((v) => v.version)).toEqual([5, 4, 2]);
    expect(after).toMatchObject({ serving: 2, pinned: 2 });
  });

  it('rollback pins an older version for every engine on the store; rollback latest unpins', async () => {
    const url = fileUrl();
    const a = await seeded(url, { train: { thread: 'main' } });
    await a.train({ model: 'itemknn' });
    await a.train({ model: 'ease', params: { lambda: 10 } });
    const b = await open(url, { models: { pollSeconds: 0.05 } });
    expect((await b.models()).serving).toBe(2);
    const pinned = await a.rollbackModel(1);
    expect(pinned).toMatchObject({ serving: 1, pinned: 1 });
    expect(pinned.versions.find((v) => v.version === 1)).toMatchObject({ serving: true, pinned: true });
    await expect.poll(async () => (await b.recommend('u0', { count: 1 })).model, { timeout: 10_000, interval: 50 }).toEqual({ name: 'itemknn', version: 1 });
    // A training while pinned stores a new version but the pin holds.
    const report = await a.train({ model: 'ease', params: { lambda: 20 } });
    expect(report.version).toBe(3);
    expect((await a.models()).serving).toBe(1);
    expect(await a.rollbackModel('latest')).toMatchObject({ serving: 3, pinned: null });
    await expect.poll(async () => (await b.models()).serving, { timeout: 10_000, interval: 50 }).toBe(3);
    await expect(a.rollbackModel(99)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('a second engine loading a version places items added after its training from their stored embeddings', async () => {
    const url = fileUrl();
    const text = { embeddings: { provider: 'ngram' }, train: { thread: 'main' as const } };
    const a = await seeded(url, text);
    await a.train({ model: 'itemknn' });
    await a.upsertItems([{ id: 'late', title: 'Lighthouse keeper whale documentary' }]); // embedded and stored by a
    const b = await open(url, text);
    const found = await b.recommend(undefined, { query: 'lighthouse keeper whale documentary', count: 3 });
    expect(found.model?.version).toBe(1);
    expect(found.items[0]?.itemId).toBe('late');
  });

  it('the same training request joins the run in progress; a different one is refused with the running job id', async () => {
    const e = await seeded('memory://');
    const first = e.train({ model: 'itemknn', params: { neighbors: 5, shrink: 0 } });
    const same = e.train({ model: 'itemknn', params: { shrink: 0, neighbors: 5 } });
    const other = e.train({ model: 'ease' });
    await expect(other).rejects.toMatchObject({ code: 'CONFLICT', status: 409 });
    const running = (await e.models()).training;
    const [a, b] = await Promise.all([first, same]);
    expect(b).toBe(a);
    expect(running?.jobId).toBe(a.jobId);
    await expect(other).rejects.toMatchObject({ details: { jobId: a.jobId } });
    expect((await e.models()).training).toBeNull();
    expect((await e.train({ model: 'ease' })).jobId).not.toBe(a.jobId);
  });
});

describe('model serving: loading off the request thread', () => {
  it('reads and decodes a new version in a worker thread (arrays transferred) and serves the same model', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kindred-serving-load-'));
    const url = `sqlite://${join(dir, 'k.db')}`;
    const config = resolveConfig({ store: { url }, log: { level: 'silent' }, embeddings: { provider: 'none' }, models: { pollSeconds: 0 }, train: { thread: 'main' } });
    const trainer = await createEngine(config, { logger: silentLogger });
    const { items, events } = tasteGroups();
    await trainer.upsertItems(items);
    await trainer.addEvents(events);
    const store = await openStore(url, { logger: silentLogger });
    const serving = new ModelServing(store, { logger: silentLogger, pollSeconds: 0, storeUrl: url, offThreadBytes: 0 });
    try {
      await serving.start(); // nothing trained yet
      expect(serving.current).toBeUndefined();
      await trainer.train({ model: 'ease', params: { lambda: 10 } });
      expect(await serving.refresh()).toBe(true);
      const served = serving.current;
      expect(served?.version).toBe(1);
      expect(served?.models.main.name).toBe('ease');
      const inThread = decodeBundle((await store.loadArtifact(BUNDLE_ARTIFACT, 1))?.blob ?? new Uint8Array(), 1);
      const user = inThread.users.indexOf('u0') ?? -1;
      expect(served?.models.main.recommend({ user, k: 3 })).toEqual(inThread.models.main.recommend({ user, k: 3 }));
    } finally {
      await serving.close();
      await store.close();
      await trainer.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
