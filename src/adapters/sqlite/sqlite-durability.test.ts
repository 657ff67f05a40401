import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Event } from '../../core/types.js';
import { openStore } from '../../storage/registry.js';
import { openSqliteStore } from './index.js';
import type { Store } from '../../storage/store.js';
import { spawnStoreChild } from '../../testkit/store-child.js';

const dir = mkdtempSync(join(tmpdir(), 'kindred-sqlite-durability-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const freshUrl = () => `sqlite://${join(dir, `d${n++}.db`)}`;
const pathOf = (url: string) => url.slice('sqlite://'.length);

const events = (count: number, prefix: string): Event[] =>
  Array.from({ length: count }, (_, i) => ({
    userId: `${prefix}u${i % 97}`, itemId: `i${i % 1013}`, type: 'rating', value: (i % 5) + 1,
    timestamp: new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString(),
  }));

async function seed(url: string): Promise<Store> {
  const store = await openStore(url);
  await store.upsertItems([{ id: 'i1', title: 'One', tags: ['t'] }]);
  await store.addEvents(events(100, 'base'));
  return store;
}

function integrity(path: string): string {
  const db = new Database(path);
  try {
    return db.pragma('integrity_check', { simple: true }) as string;
  } finally {
    db.close();
  }
}

describe('sqlite durability', () => {
  it('keeps everything across close and reopen', async () => {
    const url = freshUrl();
    const store = await seed(url);
    await store.upsertUsers([{ id: 'baseu1', consent: { personalisation: false } }]);
    await store.saveArtifact('als', new Uint8Array([1, 2, 3]), { factors: 2 });
    await store.putEmbeddings([{ itemId: 'i1', provider: 'p', textHash: 'h', vector: new Float32Array([0.5, -1]) }]);
    const history = await store.history('baseu1');
    await store.close();

    const reopened = await openStore(url);
    expect(await reopened.counts()).toEqual({ items: 1, users: 1, events: 100 });
    expect(await reopened.history('baseu1')).toStrictEqual(history);
    expect(await reopened.getItems(['i1'])).toStrictEqual([{ id: 'i1', title: 'One', tags: ['t'] }]);
    expect((await reopened.loadArtifact('als'))?.blob).toStrictEqual(new Uint8Array([1, 2, 3]));
    expect((await reopened.getEmbeddings('p'))[0].vector).toStrictEqual(new Float32Array([0.5, -1]));
    expect(await reopened.saveArtifact('als', new Uint8Array([4]))).toBe(2);
    await reopened.close();
  });

  it('an import never committed (store closed mid-import) leaves the file exactly as before', async () => {
    const url = freshUrl();
    const store = await seed(url);
    const w = await store.bulk();
    await w.upsertItems([{ id: 'i1', title: 'Overwritten?' }, { id: 'new' }]);
    await w.addEvents(events(5000, 'bulk'));
    expect((await store.counts()).events).toBe(100); // readers on the main connection carry on meanwhile
    await store.close();

    const reopened = await openStore(url);
    expect(await reopened.counts()).toEqual({ items: 1, users: 0, events: 100 });
    expect(await reopened.getItems(['i1'])).toStrictEqual([{ id: 'i1', title: 'One', tags: ['t'] }]);
    expect(await reopened.addEvents(events(10, 'after'))).toEqual({ accepted: 10, duplicates: 0 });
    await reopened.close();
    expect(integrity(pathOf(url))).toBe('ok');
  });

  it('SIGKILL during an open import leaves the database unchanged and usable', async () => {
    const url = freshUrl();
    const store = await seed(url);
    // ~50 MB of review text: more than an import's staging page cache (32 MiB), so staged pages spill to the
    // import's temporary file before the kill; none of it may reach the database.
    const { child, stderr, exited } = spawnStoreChild(dir, 'hold-import', `
      const w = await store.bulk();
      await w.upsertItems([{ id: 'i1', title: 'changed by the killed import' }]);
      for (let b = 0; b < 30; b++) {
        await w.addEvents(Array.from({ length: 1000 }, (_, i) => ({
          userId: 'k' + (i % 50), itemId: 'x' + b + '-' + i, type: 'review', timestamp: new Date(1e12 + i).toISOString(), text: 'y'.repeat(1600) })));
      }
      process.stdout.write('READY\\n');
      setInterval(() => {}, 1000);
    `, url);
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('READY') && resolve());
      child.on('exit', (code) => reject(new Error(`child exited early (${code}): ${stderr()}`)));
    });

    // The import staged 50 MB outside the database: its WAL stayed small, and this process still reads the old state.
    expect(statSync(`${pathOf(url)}-wal`).size).toBeLessThan(1 << 20);
    expect(await store.counts()).toEqual({ items: 1, users: 0, events: 100 });
    const observer = await openStore(url); // opening (and migrate()) must not wait for the importer's lock
    expect((await observer.counts()).events).toBe(100);
    await observer.close();

    expect(child.pid).toBeDefined();
    process.kill(child.pid as number, 'SIGKILL');
    expect(await exited).toBe('SIGKILL');

    expect(await store.counts()).toEqual({ items: 1, users: 0, events: 100 });
    expect(await store.getItems(['i1'])).toStrictEqual([{ id: 'i1', title: 'One', tags: ['t'] }]);
    expect(await store.addEvents(events(10, 'after'))).toEqual({ accepted: 10, duplicates: 0 });
    const w = await store.bulk();
    await w.addEvents(events(3, 'bulk-after'));
    await w.commit();
    expect((await store.counts()).events).toBe(113);
    await store.close();
    expect(integrity(pathOf(url))).toBe('ok');
  });

  it('store.durability sets synchronous on the connections: FULL by default, NORMAL on request', async () => {
    const synchronous = (store: Store) => (store as unknown as { db: Database.Database }).db.pragma('synchronous', { simple: true });
    const full = await openStore(freshUrl());
    const normal = await openStore(freshUrl(), { durability: 'normal' });
    expect([synchronous(full), synchronous(normal)]).toEqual([2, 1]);
    await full.close();
    await normal.close();
  });

  it('checkpoints the WAL in the worker thread, never on the connection that commits', async () => {
    const url = freshUrl();
    const store = await openStore(url);
    expect((store as unknown as { db: Database.Database }).db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const before = statSync(pathOf(url)).size;
    await store.addEvents(events(5000, 'ckpt'));
    // Only a checkpoint copies pages from the WAL into the database file; the worker runs one twice a second.
    for (let i = 0; i < 100 && statSync(pathOf(url)).size <= before + (256 << 10); i++) await new Promise((r) => setTimeout(r, 50));
    expect(statSync(pathOf(url)).size).toBeGreaterThan(before + (256 << 10));
    await store.close();
    expect(existsSync(`${pathOf(url)}-wal`)).toBe(false); // the last connection to close checkpointed and removed it
  });

  it('sqlite://:memory: uses a private file that disappears on close', async () => {
    const store = await openStore('sqlite://:memory:');
    const path = (store as unknown as { path: string }).path;
    expect(existsSync(path)).toBe(true);
    await store.addEvents(events(3, 'm'));
    await store.close();
    expect(existsSync(path)).toBe(false);
  });
});

describe('sqlite writers during an open import', () => {
  it('API writes carry on while an import stages; the import publishes all at once at commit', async () => {
    const store = openSqliteStore(freshUrl(), { busyTimeoutMs: 50 });
    await store.migrate();
    await store.addEvents(events(5, 'base'));
    const w = await store.bulk();
    await w.addEvents(events(5, 'bulk'));
    const second = await store.bulk(); // staging takes no lock: two imports may run at once
    expect(await store.addEvents(events(1, 'api'))).toEqual({ accepted: 1, duplicates: 0 });
    expect((await store.counts()).events).toBe(6); // nothing of the import is visible before commit
    await w.commit();
    await second.rollback();
    expect((await store.counts()).events).toBe(11);
    await store.close();
  });

  it('a write meeting a held lock waits on timers, not on the thread, then fails with CONFLICT after the deadline', async () => {
    const url = freshUrl();
    const store = openSqliteStore(url, { busyTimeoutMs: 300 });
    await store.migrate();
    const holder = new Database(pathOf(url));
    holder.exec('BEGIN IMMEDIATE');
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const started = performance.now();
    const failed = await store.addEvents(events(1, 'late')).catch((e: unknown) => e);
    const waited = performance.now() - started;
    clearInterval(timer);
    expect(failed).toMatchObject({ code: 'CONFLICT', details: { limitMs: 300 } });
    expect(waited).toBeGreaterThanOrEqual(250);
    expect(ticks).toBeGreaterThan(5); // the event loop ran while the write waited

    // Released before the deadline: the waiting write goes through.
    const pending = store.addEvents(events(1, 'soon'));
    setTimeout(() => holder.exec('ROLLBACK'), 50);
    expect(await pending).toEqual({ accepted: 1, duplicates: 0 });
    holder.close();
    await store.close();
  });
});
