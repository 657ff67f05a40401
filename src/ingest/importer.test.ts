import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../core/clock.js';
import { EngineError } from '../core/errors.js';
import { openStore } from '../storage/registry.js';
import type { Store } from '../storage/store.js';
import { testDataset } from '../testkit/datasets.js';
import { importDataset, type ImportProgress } from './importer.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kindred-import-'));
  dirs.push(dir);
  return dir;
}

function jsonl(records: object[]): string {
  const path = join(tempDir(), 'data.jsonl');
  writeFileSync(path, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return path;
}

const ts = (i: number) => new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString();
const event = (i: number, over: object = {}) => ({ kind: 'event', userId: `u${i % 7}`, itemId: `i${i % 11}`, type: 'view', timestamp: ts(i), ...over });

async function thrown(p: Promise<unknown>): Promise<EngineError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  if (e instanceof EngineError) return e;
  throw new Error(`expected an EngineError, got ${String(e)}`);
}

async function allItems(store: Store) {
  const out = [];
  for await (const b of store.scanItems()) out.push(...b);
  return out.sort((a, b) => (a.id < b.id ? -1 : 1));
}

describe('importDataset', () => {
  it('imports items, users and events, creating bare items and users that events refer to', async () => {
    const store = await openStore('memory://');
    const path = jsonl([
      { kind: 'item', id: 'i1', title: 'One' },
      { kind: 'user', id: 'u1', attributes: { age: 30 } },
      { kind: 'event', userId: 'u1', itemId: 'i1', type: 'rating', value: 4, timestamp: ts(0) },
      { kind: 'event', userId: 'u2', itemId: 'i2', type: 'view', timestamp: ts(1) },
      { kind: 'event', userId: 'u2', itemId: 'i2', type: 'view', timestamp: ts(1) }, // same content: a duplicate
    ]);
    const clock = fixedClock(1000);
    const report = await importDataset(store, { path, format: 'jsonl', onError: 'abort', clock });
    expect(report.counts).toEqual({ items: 1, users: 1, events: 2, duplicates: 1, bareItems: 1, bareUsers: 1 });
    expect(report.skippedCount).toBe(0);
    expect(report.seconds).toBe(0);
    expect(await store.counts()).toEqual({ items: 2, users: 2, events: 2 });
    expect(await allItems(store)).toEqual([{ id: 'i1', title: 'One' }, { id: 'i2' }]);
  });

  it('re-importing the same file adds nothing', async () => {
    const store = await openStore('memory://');
    const path = jsonl(Array.from({ length: 50 }, (_, i) => event(i)));
    const first = await importDataset(store, { path, format: 'jsonl', onError: 'abort', batchSize: 7 });
    const second = await importDataset(store, { path, format: 'jsonl', onError: 'abort', batchSize: 7 });
    expect(first.counts.events).toBe(50);
    expect(second.counts).toMatchObject({ events: 0, duplicates: 50, bareItems: 0, bareUsers: 0 });
    expect((await store.counts()).events).toBe(50);
  });

  it('never overwrites an item already in the store with a bare one', async () => {
    const store = await openStore('memory://');
    await store.upsertItems([{ id: 'i3', title: 'Kept', tags: ['x'] }]);
    const report = await importDataset(store, { path: jsonl([event(3)]), format: 'jsonl', onError: 'abort' });
    expect(report.counts.bareItems).toBe(0);
    expect(await store.getItems(['i3'])).toEqual([{ id: 'i3', title: 'Kept', tags: ['x'] }]);
  });

  it('skip mode reports bad rows with file, line and reason, keeping 1000 in detail', async () => {
    const store = await openStore('memory://');
    const rows = [event(0), event(1, { timestamp: 'soon' }), event(2, { value: 'high' }), event(3, { type: 'Bad Type' })];
    for (let i = 0; i < 1200; i++) rows.push(event(10 + i, { userId: '' }));
    const report = await importDataset(store, { path: jsonl(rows), format: 'jsonl', onError: 'skip' });
    expect(report.counts.events).toBe(1);
    expect(report.skippedCount).toBe(1203);
    expect(report.skipped).toHaveLength(1000);
    expect(report.skipped.slice(0, 4)).toEqual([
      { file: 'data.jsonl', line: 2, reason: 'timestamp: must be a date-time' },
      { file: 'data.jsonl', line: 3, reason: 'value: must be number' },
      { file: 'data.jsonl', line: 4, reason: 'type: must be lower_snake_case (a-z, 0-9, _), starting with a letter' },
      { file: 'data.jsonl', line: 5, reason: 'userId: must NOT have fewer than 1 characters' },
    ]);
  });

  it('abort mode throws IMPORT_FAILED at the first bad row and leaves the store exactly as it was', async () => {
    const store = await openStore('memory://');
    await store.upsertItems([{ id: 'i1', title: 'Before' }]);
    const rows = [{ kind: 'item', id: 'i1', title: 'After' }, ...Array.from({ length: 30 }, (_, i) => event(i))];
    rows.push(event(99, { timestamp: '2024-02-30T00:00:00Z' }));
    const err = await thrown(importDataset(store, { path: jsonl(rows), format: 'jsonl', onError: 'abort', batchSize: 10 }));
    expect(err.code).toBe('IMPORT_FAILED');
    expect(err.message).toBe('data.jsonl:32: timestamp: must be a valid date-time (no such day or hour)');
    expect(err.details).toEqual({ file: 'data.jsonl', line: 32 });
    expect(await store.counts()).toEqual({ items: 1, users: 0, events: 0 });
    expect(await store.getItems(['i1'])).toEqual([{ id: 'i1', title: 'Before' }]);
  });

  it('rejects event types outside the configured ones', async () => {
    const store = await openStore('memory://');
    const path = jsonl([event(0), event(1, { type: 'teleport' })]);
    const report = await importDataset(store, { path, format: 'jsonl', onError: 'skip', eventTypes: ['view'] });
    expect(report.skipped).toEqual([{ file: 'data.jsonl', line: 2, reason: 'type: is not one of the configured event types' }]);
  });

  it('reports progress up to the total bytes and can be cancelled, rolling back', async () => {
    const store = await openStore('memory://');
    const path = jsonl(Array.from({ length: 20_000 }, (_, i) => event(i)));
    const seen: ImportProgress[] = [];
    const done = await importDataset(store, { path, format: 'jsonl', onError: 'abort', onProgress: (p) => seen.push(p) });
    const last = seen[seen.length - 1];
    expect(last.bytes).toBe(last.totalBytes);
    expect(last.records).toBe(20_000);
    expect(seen.every((p, i) => i === 0 || p.bytes >= seen[i - 1].bytes)).toBe(true);
    expect(done.counts.events).toBe(20_000);

    const other = await openStore('memory://');
    const abort = new AbortController();
    const err = await thrown(importDataset(other, {
      path, format: 'jsonl', onError: 'abort', signal: abort.signal,
      onProgress: (p) => { if (p.records > 5000) abort.abort(); },
    }));
    expect(err.code).toBe('CANCELLED');
    expect(await other.counts()).toEqual({ items: 0, users: 0, events: 0 });
  });

  it('requires a known format and rejects options the format does not use', async () => {
    const store = await openStore('memory://');
    const missing = await thrown(importDataset(store, { path: '.', format: '', onError: 'abort' }));
    expect(missing.code).toBe('INVALID_INPUT');
    expect(missing.message).toMatch(/^no import format given; choose one with --format:\n {2}csv /);
    expect(missing.message).toMatch(/movielens-100k/);
    const unknown = await thrown(importDataset(store, { path: '.', format: 'parquet', onError: 'abort' }));
    expect(unknown.message).toMatch(/^unknown import format "parquet"/);
    const unused = await thrown(importDataset(store, { path: '.', format: 'movielens-100k', onError: 'abort', itemText: { path: 'x.csv' } }));
    expect(unused.message).toBe('format movielens-100k does not use the option "itemText" (it uses: none)');
    await expect(importDataset(store, { path: '.', format: 'jsonl', onError: 'abort', batchSize: 0 })).rejects.toThrow(/batchSize/);
  });

  const ml100k = testDataset('ml-100k');
  it.skipIf(!ml100k)('imports the real ml-100k into SQLite, and again without duplicates', async () => {
    const store = await openStore(`sqlite://${join(tempDir(), 'k.db')}`);
    try {
      const first = await importDataset(store, { path: ml100k as string, format: 'movielens-100k', onError: 'abort' });
      expect(first.counts).toEqual({ items: 1682, users: 943, events: 100_000, duplicates: 0, bareItems: 0, bareUsers: 0 });
      expect(await store.counts()).toEqual({ items: 1682, users: 943, events: 100_000 });
      const history = await store.history('196', { limit: 1 });
      expect(history[0]).toMatchObject({ userId: '196', type: 'rating' });
      const again = await importDataset(store, { path: ml100k as string, format: 'movielens-100k', onError: 'abort' });
      expect(again.counts).toMatchObject({ events: 0, duplicates: 100_000 });
    } finally {
      await store.close();
    }
  });

  const small = testDataset('ml-latest-small');
  const overviews = testDataset('movie-overviews');
  it.skipIf(!small || !overviews)('imports ml-latest-small with TMDB item text', async () => {
    const store = await openStore('memory://');
    const report = await importDataset(store, {
      path: small as string, format: 'movielens-latest', onError: 'abort',
      itemText: { path: join(overviews as string, 'tmdb_5000_movies.csv') },
    });
    expect(report.counts).toEqual({ items: 9742, users: 0, events: 100_836, duplicates: 0, bareItems: 0, bareUsers: 610 });
    const withText = (await allItems(store)).filter((i) => i.text !== undefined);
    expect(withText).toHaveLength(3537);
  });
});
