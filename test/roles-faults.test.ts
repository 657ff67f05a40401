/**
 * Roles and faults with the built CLI (`npm test` builds dist/ first), each on every store in STORES:
 * - a trainer killed mid-fit: the API keeps serving the old version, the lease runs out, the next training is served;
 * - two API servers and a trainer: a training finished by the trainer is served by both within 5 s;
 * - an API server killed during bulk writes: every acknowledged event is in the store after the restart.
 * The PostgreSQL variant is one more entry in STORES (a fresh schema in its URL, dropped by dispose).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/config/config.js';
import { silentLogger } from '../src/core/logger.js';
import type { Event } from '../src/core/types.js';
import { createEngine } from '../src/engine.js';
import { TRAINER_LEASE } from '../src/jobs/training-lease.js';
import { openStore } from '../src/storage/registry.js';
import { dropSchema, postgresAvailable, schemaUrl, testSchemaName } from '../src/testkit/postgres.js';
import { startKindredServer, spawnKindred, type KindredProcess } from '../src/testkit/kindred-process.js';

/** A store every process of a test opens by URL, and how to remove it afterwards. */
interface StoreUnderTest {
  name: string;
  create(dir: string): Promise<{ url: string; dispose(): Promise<void> }>;
}

const STORES: StoreUnderTest[] = [
  { name: 'sqlite', create: async (dir) => ({ url: `sqlite://${join(dir, 'kindred.db')}`, dispose: async () => {} }) },
  // PostgreSQL: every process on one fresh schema (notices instead of polls); skipped outside CI when no server answers.
  ...((await postgresAvailable()) ? [{
    name: 'postgres',
    create: async () => {
      const schema = testSchemaName();
      return { url: schemaUrl(schema, { pool: '4' }), dispose: () => dropSchema(schema) };
    },
  }] : []),
];

/** Every process: no text embeddings, quick trainings (no extra channels, no fusion), fast polls, a short lease. */
const BASE_ENV = {
  KINDRED_EMBEDDINGS: 'none', KINDRED_TRAIN_CHANNELS: '{}', KINDRED_TRAIN_FUSION: 'false', KINDRED_MODEL: 'itemknn',
  KINDRED_MODELS_POLL_SECONDS: '1', KINDRED_TRAINER_CHECK_SECONDS: '1', KINDRED_TRAINER_LEASE_SECONDS: '3', KINDRED_LOG_LEVEL: 'info',
};

const T0 = Date.UTC(2024, 0, 1);
const event = (id: string, user: number, item: number, at: number): Event => ({ id, userId: `u${user}`, itemId: `i${item}`, type: 'view', timestamp: new Date(T0 + at * 1000).toISOString() });

/** 10,000 views of 400 users over 600 items, and version 1 (item-kNN) trained on them. */
async function seed(url: string): Promise<void> {
  const config = resolveConfig({ store: { url }, log: { level: 'silent' }, embeddings: { provider: 'none' }, models: { pollSeconds: 0 }, train: { channels: {}, fusion: false, thread: 'main' } });
  const engine = await createEngine(config, { logger: silentLogger });
  try {
    await engine.addEvents(Array.from({ length: 10_000 }, (_, i) => event(`s${i}`, i % 400, (i * 37 + Math.floor(i / 400) * 11) % 600, i)));
    await engine.train({ model: 'itemknn' });
  } finally {
    await engine.close();
  }
}

interface ModelsJson {
  serving: number | null;
  versions: Array<{ version: number; meta: Record<string, unknown> }>;
}
const models = async (url: string) => (await (await fetch(`${url}/v1/models`)).json()) as ModelsJson;
const servedVersion = async (url: string) => (await models(url)).serving;

describe.each(STORES)('roles and faults on $name', (storeKind) => {
  const processes: KindredProcess[] = [];
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const p of processes.splice(0)) {
      p.kill('SIGKILL');
      await p.exited;
    }
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function freshStore(): Promise<{ url: string; dir: string }> {
    const dir = mkdtempSync(join(tmpdir(), 'kindred-roles-faults-'));
    const { url, dispose } = await storeKind.create(dir);
    cleanups.push(async () => {
      await dispose();
      rmSync(dir, { recursive: true, force: true });
    });
    await seed(url);
    return { url, dir };
  }

  const track = <P extends KindredProcess>(p: P): P => {
    processes.push(p);
    return p;
  };

  it('a trainer killed mid-fit: the old version keeps serving, its lease runs out, and the next training is served', async () => {
    const { url, dir } = await freshStore();
    const api = track(await startKindredServer(url, ['--role', 'api'], BASE_ENV, dir));
    expect(await servedVersion(api.url)).toBe(1);

    // A fit long enough to be killed in the middle: ALS with many iterations, started by one new event.
    const slow = track(spawnKindred(['--db', url, 'serve', '--role', 'trainer'], {
      ...BASE_ENV, KINDRED_MODEL: 'als', KINDRED_MODEL_PARAMS: '{"factors":64,"iterations":1000}', KINDRED_TRAINER_AFTER_EVENTS: '1',
      KINDRED_TRAINER_LEASE_SECONDS: '6', // renewed every 2 s: at least 4 s left at the kill, for the probe below
    }, dir));
    const probe = await openStore(url, { create: false });
    cleanups.push(() => probe.close());
    await slow.waitFor(/Kindred trainer running/);
    const sent = await fetch(`${api.url}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ events: [event('new-1', 1, 2, 20_000)] }) });
    expect(sent.status).toBe(200);
    await slow.waitFor(/"msg":"training started".*"model":"als"/);
    slow.kill('SIGKILL');
    expect((await slow.exited).signal).toBe('SIGKILL');

    expect(await probe.tryLease(TRAINER_LEASE, 'test:probe', 1)).toBe(false); // the dead trainer's lease is still held
    const rec = (await (await fetch(`${api.url}/v1/users/u1/recommendations`)).json()) as { model: { version: number } };
    expect(rec.model.version).toBe(1);
    expect((await models(api.url)).versions.map((v) => v.version)).toEqual([1]);

    // The next trainer waits for the lease to run out, then trains (the new event is still unaccounted for).
    track(spawnKindred(['--db', url, 'serve', '--role', 'trainer'], { ...BASE_ENV, KINDRED_TRAINER_AFTER_EVENTS: '1' }, dir));
    await expect.poll(() => servedVersion(api.url), { timeout: 60_000, interval: 200 }).toBe(2);
    expect((await models(api.url)).versions[0].meta).toMatchObject({ model: 'itemknn', storedEvents: 10_001 });
  });

  it('two API servers and a trainer: a training the trainer finishes is served by both within 5 s', async () => {
    const { url, dir } = await freshStore();
    const [a, b] = await Promise.all([0, 1].map(async () => track(await startKindredServer(url, ['--role', 'api'], BASE_ENV, dir))));
    const trainer = track(spawnKindred(['--db', url, 'serve', '--role', 'trainer'], BASE_ENV, dir));
    await trainer.waitFor(/Kindred trainer running/);

    const res = await fetch(`${a.url}/v1/train`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'ease', params: { lambda: 10 } }) });
    expect(res.status).toBe(202);
    const { jobId } = (await res.json()) as { jobId: string };

    // Wait (bounded) for the trainer to store the version, then give the API servers 5 s to serve it.
    const store = await openStore(url, { create: false });
    cleanups.push(() => store.close());
    await expect.poll(async () => (await store.listArtifacts('bundle', { limit: 1 }))[0]?.meta.jobId, { timeout: 60_000, interval: 50 }).toBe(jobId);
    const [stored] = await store.listArtifacts('bundle', { limit: 1 });
    await expect.poll(async () => [await servedVersion(a.url), await servedVersion(b.url)], { timeout: 5_000, interval: 50 }).toEqual([stored.version, stored.version]);
  });

  it('an API server killed during bulk writes: every acknowledged event is in the store after the restart', async () => {
    const { url, dir } = await freshStore();
    const api = track(await startKindredServer(url, ['--role', 'api'], BASE_ENV, dir));
    const acknowledged: string[] = [];
    let batch = 0;
    let killed = false;
    // Four writers posting 500-event batches until the kill; only a 200 counts as acknowledged.
    const writer = async () => {
      while (!killed) {
        const n = batch++;
        const events = Array.from({ length: 500 }, (_, i) => event(`w${n}-${i}`, (n * 500 + i) % 400, (n * 7 + i) % 600, 30_000 + n * 500 + i));
        const res = await fetch(`${api.url}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ events }) }).catch(() => undefined);
        if (res?.status === 200) acknowledged.push(...events.map((e) => e.id as string));
        else if (res) await res.arrayBuffer();
      }
    };
    const writers = Array.from({ length: 4 }, () => writer());
    await expect.poll(() => acknowledged.length, { timeout: 60_000, interval: 10 }).toBeGreaterThanOrEqual(10_000);
    api.kill('SIGKILL');
    killed = true;
    await writers;
    expect((await api.exited).signal).toBe('SIGKILL');

    const restarted = track(await startKindredServer(url, ['--role', 'api'], BASE_ENV, dir));
    expect((await fetch(`${restarted.url}/healthz`)).status).toBe(200);
    const store = await openStore(url, { create: false });
    cleanups.push(() => store.close());
    const stored = new Set<string>();
    for await (const page of store.scanEvents({ batchSize: 5000 })) for (const e of page) stored.add(e.id);
    expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
    expect(stored.size).toBeGreaterThanOrEqual(10_000 + acknowledged.length);
  });
});
