/**
 * Retention on a SQLite file with a fixed clock: events older than privacy.retentionDays are purged (newer kept, the
 * WAL truncated, cached lists dropped), 0 keeps everything, and two trainers' schedules on one store purge once per
 * interval under the store lease `retention`.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/config.js';
import { fixedClock } from '../core/clock.js';
import { silentLogger } from '../core/logger.js';
import type { Event } from '../core/types.js';
import { createEngine } from '../engine.js';
import type { Engine } from '../engine-types.js';
import { RETENTION_LEASE, RetentionSchedule } from '../jobs/retention-schedule.js';
import { TrainerRole } from '../jobs/trainer-role.js';
import type { Cache } from '../storage/cache.js';
import { openCache, openStore } from '../storage/registry.js';
import type { Store } from '../storage/store.js';

const NOW = Date.UTC(2025, 0, 31);
const DAY = 86_400_000;
/** Events of 1..40 days ago, one per day (u1 on odd days, u2 on even ones). */
const events: Event[] = Array.from({ length: 40 }, (_, n) => ({
  userId: `u${(n % 2) + 1}`, itemId: `i${n % 7}`, type: 'view', timestamp: new Date(NOW - (n + 1) * DAY).toISOString(),
}));
const CACHE_KEY = { list: 'recommend', subject: 'u1', digest: 'd' };

describe('retention', () => {
  const closers: Array<() => Promise<void>> = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  async function seededFile(): Promise<{ path: string; store: Store }> {
    const dir = mkdtempSync(join(tmpdir(), 'kindred-retention-'));
    dirs.push(dir);
    const path = join(dir, 'k.db');
    const store = await openStore(`sqlite://${path}`);
    closers.push(() => store.close());
    await store.addEvents(events);
    return { path, store };
  }

  /** An engine on its own connection to the file, with a memory cache the test can read, at NOW. */
  async function engineOn(path: string, retentionDays: number): Promise<{ engine: Engine; store: Store; cache: Cache }> {
    const clock = fixedClock(NOW);
    const store = await openStore(`sqlite://${path}`, { clock });
    const cache = await openCache('memory://', store, clock);
    const config = resolveConfig({ store: { url: `sqlite://${path}` }, log: { level: 'silent' }, embeddings: { provider: 'none' }, models: { pollSeconds: 0 }, privacy: { retentionDays } });
    const engine = await createEngine(config, { store, cache, clock, logger: silentLogger });
    closers.push(async () => {
      await engine.close();
      await cache.close();
      await store.close();
    });
    return { engine, store, cache };
  }

  /** Age in days of the stored events of a user, youngest first. */
  async function eventDays(store: Store, user: string): Promise<number[]> {
    const days: number[] = [];
    for await (const batch of store.scanEvents()) {
      for (const e of batch) if (e.userId === user) days.push(Math.round((NOW - Date.parse(e.timestamp)) / DAY));
    }
    return days.sort((a, b) => a - b);
  }

  it('purges events older than the cutoff, keeps newer ones, truncates the WAL and drops cached lists', async () => {
    const { path, store } = await seededFile();
    const { engine, cache } = await engineOn(path, 10);
    await cache.put(CACHE_KEY, { items: [{ itemId: 'i1', score: 1 }], createdAt: new Date(NOW).toISOString() });

    const report = await engine.purgeExpired();
    expect(report).toEqual({ purged: 30, cutoff: new Date(NOW - 10 * DAY).toISOString(), at: new Date(NOW).toISOString() });
    expect(await eventDays(store, 'u1')).toEqual([1, 3, 5, 7, 9]);
    expect(await eventDays(store, 'u2')).toEqual([2, 4, 6, 8, 10]); // exactly at the cutoff: kept
    expect(statSync(`${path}-wal`).size).toBe(0);
    expect(await cache.get(CACHE_KEY)).toBeUndefined();

    expect((await engine.purgeExpired()).purged).toBe(0); // nothing left to purge
  });

  it('leaves no copy of an expired review in the raw bytes of the database file or the WAL', async () => {
    const review = 'The quokka lantern hummed a marmalade tune all night.';
    const { path, store } = await seededFile();
    await store.addEvents([
      { userId: 'u3', itemId: 'i1', type: 'review', value: 2, text: review, timestamp: new Date(NOW - 50 * DAY).toISOString() },
      { userId: 'u3', itemId: 'i2', type: 'view', timestamp: new Date(NOW - DAY).toISOString() },
    ]);
    const rawHas = () => [path, `${path}-wal`].some((f) => readFileSync(f).includes(Buffer.from(review, 'utf8')));
    expect(rawHas()).toBe(true); // the check can see it
    const { engine } = await engineOn(path, 10);
    expect((await engine.purgeExpired()).purged).toBe(31);
    expect(rawHas()).toBe(false);
    expect(await eventDays(store, 'u3')).toEqual([1]);
  });

  it('retentionDays 0 keeps every event and the cached lists', async () => {
    const { path, store } = await seededFile();
    const { engine, cache, store: atNow } = await engineOn(path, 0);
    await cache.put(CACHE_KEY, { items: [{ itemId: 'i1', score: 1 }], createdAt: new Date(NOW).toISOString() });
    expect(await engine.purgeExpired()).toEqual({ purged: 0, cutoff: null, at: new Date(NOW).toISOString() });
    expect((await store.counts()).events).toBe(40);
    expect(await cache.get(CACHE_KEY)).toBeDefined();

    const schedule = new RetentionSchedule({ engine, lease: atNow, config: engine.config, logger: silentLogger });
    expect(await schedule.check()).toBeUndefined();
    expect(await atNow.tryLease(RETENTION_LEASE, 'probe', 60_000)).toBe(true); // the schedule never took the lease
  });

  it('two schedules on one store purge once per interval: the second finds the lease `retention` held', async () => {
    const { path, store } = await seededFile();
    const a = await engineOn(path, 20);
    const b = await engineOn(path, 20);
    const first = new RetentionSchedule({ engine: a.engine, lease: a.store, config: a.engine.config, logger: silentLogger });
    const second = new RetentionSchedule({ engine: b.engine, lease: b.store, config: b.engine.config, logger: silentLogger });
    closers.push(() => first.close(), () => second.close());

    const [one, two] = await Promise.all([first.check(), second.check()]);
    const reports = [one, two].filter((r) => r !== undefined);
    expect(reports).toHaveLength(1);
    expect(reports[0]?.purged).toBe(20);
    expect((await store.counts()).events).toBe(20);
    expect(await a.store.tryLease(RETENTION_LEASE, 'probe', 60_000)).toBe(false); // held for the whole interval (at NOW)
  });

  it('the trainer role purges when it starts (and then every privacy.retentionCheckMinutes)', async () => {
    const { path, store } = await seededFile();
    const { engine, store: queue } = await engineOn(path, 30);
    const trainer = new TrainerRole({ engine, queue, config: engine.config, logger: silentLogger, clock: fixedClock(NOW) });
    await trainer.start();
    await trainer.close(); // waits for the round start() began
    expect((await store.counts()).events).toBe(30);
  });
});
