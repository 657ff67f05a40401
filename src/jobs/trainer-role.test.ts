/**
 * Roles on one SQLite file: the trainer lease keeps fits apart across engines, an API engine queues training requests
 * (POST /v1/train answers 202), and the trainer loop fits queued requests, after N new events and on its schedule.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig, type ConfigInput } from '../config/config.js';
import { systemClock, type Clock } from '../core/clock.js';
import { silentLogger } from '../core/logger.js';
import type { Event } from '../core/types.js';
import { createEngine } from '../engine.js';
import type { Engine } from '../engine-types.js';
import { startServer } from '../server/app.js';
import { openStore } from '../storage/registry.js';
import type { Store } from '../storage/store.js';
import { expectEngineError } from '../testkit/store-conformance/fixtures.js';
import { TrainerRole } from './trainer-role.js';
import { TRAINER_LEASE } from './training-lease.js';
import { pendingTrainings } from './training-queue.js';

const view = (i: number): Event => ({ userId: `u${i % 12}`, itemId: `i${(i * 7) % 15}`, type: 'view', timestamp: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString() });
const seedEvents = Array.from({ length: 120 }, (_, i) => view(i));

describe('roles on one store', () => {
  const closers: Array<() => Promise<void>> = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  /** A seeded SQLite file and a plain store connection to it (the queue, the lease probe). */
  async function sharedStore(): Promise<{ url: string; store: Store }> {
    const dir = mkdtempSync(join(tmpdir(), 'kindred-roles-'));
    dirs.push(dir);
    const url = `sqlite://${join(dir, 'k.db')}`;
    const store = await openStore(url);
    closers.push(() => store.close());
    await store.addEvents(seedEvents);
    return { url, store };
  }

  async function engineOn(url: string, extra: ConfigInput = {}): Promise<Engine> {
    const config = resolveConfig({
      store: { url }, log: { level: 'silent' }, embeddings: { provider: 'none' }, models: { pollSeconds: 0 },
      ...extra, train: { model: 'itemknn', channels: {}, fusion: false, thread: 'main', ...extra.train },
    });
    const engine = await createEngine(config, { logger: silentLogger });
    closers.push(() => engine.close());
    return engine;
  }

  function trainerOn(engine: Engine, queue: Store, clock: Clock = systemClock): TrainerRole {
    const trainer = new TrainerRole({ engine, queue, config: engine.config, logger: silentLogger, clock });
    closers.push(() => trainer.close());
    return trainer;
  }

  it('engine.train() holds the trainer lease: CONFLICT while another process holds it, released after a fit', async () => {
    const { url, store } = await sharedStore();
    const engine = await engineOn(url);
    expect(await store.tryLease(TRAINER_LEASE, 'host:1:other', 60_000)).toBe(true);
    expect(await expectEngineError(engine.train(), 'CONFLICT')).toEqual({ lease: TRAINER_LEASE });
    await store.releaseLease(TRAINER_LEASE, 'host:1:other');

    expect((await engine.train()).version).toBe(1);
    expect(await store.tryLease(TRAINER_LEASE, 'host:1:other', 60_000)).toBe(true); // given up after the fit
    expect(await expectEngineError((await engineOn(url)).train(), 'CONFLICT')).toEqual({ lease: TRAINER_LEASE });
  });

  it('an API server answers POST /v1/train with 202 and a job id; the trainer fits the request and records the id', async () => {
    const { url, store } = await sharedStore();
    const api = await engineOn(url, { server: { role: 'api' } });
    const server = await startServer(api, { host: '127.0.0.1', port: 0 });
    closers.push(() => server.close());
    const post = (body: unknown) => fetch(`${server.url}/v1/train`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

    expect((await post({ model: 'no-such-model' })).status).toBe(400); // checked before anything is queued
    const res = await post({ model: 'ease', params: { lambda: 5 } });
    expect(res.status).toBe(202);
    const queued = (await res.json()) as { jobId: string; status: string };
    expect(queued).toMatchObject({ jobId: expect.stringMatching(/^[0-9a-f-]{36}$/), status: 'queued' });
    expect((await api.models()).versions).toEqual([]); // nothing was fitted in the API process
    expect((await pendingTrainings(store)).map((p) => p.jobId)).toEqual([queued.jobId]);

    const trainer = trainerOn(await engineOn(url, { server: { role: 'trainer' } }), store);
    expect(await trainer.check()).toBe('request');
    const [version] = (await api.models()).versions;
    expect(version.meta).toMatchObject({ jobId: queued.jobId, model: 'ease', params: { lambda: 5 } });
    expect(await pendingTrainings(store)).toEqual([]);
    expect(await trainer.check()).toBeUndefined(); // handled once, not again
  });

  it('a queued request waits while another process holds the lease, and is fitted once it is free', async () => {
    const { url, store } = await sharedStore();
    const { jobId } = await (await engineOn(url, { server: { role: 'api' } })).queueTraining({ model: 'itemknn' });
    const trainer = trainerOn(await engineOn(url), store);
    expect(await store.tryLease(TRAINER_LEASE, 'host:2:other', 60_000)).toBe(true);
    expect(await trainer.check()).toBeUndefined();
    expect((await pendingTrainings(store)).map((p) => p.jobId)).toEqual([jobId]);
    await store.releaseLease(TRAINER_LEASE, 'host:2:other');
    expect(await trainer.check()).toBe('request');
    expect(await pendingTrainings(store)).toEqual([]);
  });

  it('trains after trainer.afterEvents new events, counted from the version\'s recorded event count', async () => {
    const { url, store } = await sharedStore();
    const engine = await engineOn(url, { trainer: { afterEvents: 10 } });
    const trainer = trainerOn(engine, store);
    expect(await trainer.check()).toBe('events'); // nothing trained yet, events stored
    expect((await engine.models()).versions[0].meta.storedEvents).toBe(120);
    await engine.addEvents(Array.from({ length: 9 }, (_, i) => view(1000 + i)));
    expect(await trainer.check()).toBeUndefined();
    await engine.addEvents([view(2000)]);
    expect(await trainer.check()).toBe('events');
    expect((await engine.models()).versions.map((v) => v.version)).toEqual([2, 1]);
  });

  it('trains when the newest version is trainer.everyMinutes old', async () => {
    const { url, store } = await sharedStore();
    const engine = await engineOn(url, { trainer: { everyMinutes: 5 } });
    let offsetMs = 0;
    const trainer = trainerOn(engine, store, { now: () => Date.now() + offsetMs });
    expect(await trainer.check()).toBe('schedule');
    expect(await trainer.check()).toBeUndefined();
    offsetMs = 5 * 60_000;
    expect(await trainer.check()).toBe('schedule');
  });
});
