import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../core/clock.js';
import { isEngineError } from '../../core/errors.js';
import { silentLogger } from '../../core/logger.js';
import { openConnection } from './connection.js';
import { appliedVersions, migrate, MIGRATIONS, type Migration } from './migrations.js';

const dir = mkdtempSync(join(tmpdir(), 'kindred-migrations-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const freshDb = () => openConnection(join(dir, `m${n++}.db`));
const clock = fixedClock(Date.UTC(2024, 0, 1));
const run = (db: Database.Database, list: readonly Migration[] = MIGRATIONS) => migrate(db, list, clock, silentLogger);

function errorOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('sqlite migrations', () => {
  it('applies every migration in order once, recording version, name and time', () => {
    const db = freshDb();
    expect(run(db)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(run(db)).toEqual([]);
    expect(db.prepare('SELECT version, name, applied_at FROM schema_migrations ORDER BY version').all()).toEqual([
      { version: 1, name: 'records', applied_at: clock.now() },
      { version: 2, name: 'cache-lists', applied_at: clock.now() },
      { version: 3, name: 'scenarios', applied_at: clock.now() },
      { version: 4, name: 'profiles', applied_at: clock.now() },
      { version: 5, name: 'care-preferences', applied_at: clock.now() },
      { version: 6, name: 'event-sentiment', applied_at: clock.now() },
      { version: 7, name: 'leases-and-artifact-checksums', applied_at: clock.now() },
    ]);
    db.close();
  });

  it('brings an older database up to date by applying only what it lacks', () => {
    const db = freshDb();
    expect(run(db, MIGRATIONS.slice(0, 1))).toEqual([1]);
    db.prepare("INSERT INTO items (id) VALUES ('kept')").run();
    expect(run(db)).toEqual([2, 3, 4, 5, 6, 7]);
    expect(appliedVersions(db)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(db.prepare('SELECT id FROM items').pluck().all()).toEqual(['kept']);
    db.close();
  });

  it('6 adds the sentiment column to a version-5 file and keeps every event, text and all, with a NULL score', () => {
    const db = freshDb();
    expect(run(db, MIGRATIONS.slice(0, 5))).toEqual([1, 2, 3, 4, 5]);
    const insert = db.prepare('INSERT INTO events (id, user_id, item_id, type, value, ts, text) VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (let i = 0; i < 50; i++) insert.run(`e${i}`, `u${i % 3}`, `i${i % 7}`, 'review', 4, 1_700_000_000_000 + i, i % 2 ? 'Love it' : null);
    const before = db.prepare('SELECT id, user_id, item_id, type, value, ts, text FROM events ORDER BY seq').all();
    expect(run(db)).toEqual([6, 7]);
    expect(db.prepare('SELECT id, user_id, item_id, type, value, ts, text FROM events ORDER BY seq').all()).toEqual(before);
    expect(db.prepare('SELECT COUNT(*) FROM events WHERE sentiment IS NULL').pluck().get()).toBe(50);
    db.prepare("UPDATE events SET sentiment = 0.5 WHERE id = 'e1'").run();
    expect(db.prepare("SELECT sentiment FROM events WHERE id = 'e1'").pluck().get()).toBe(0.5);
    db.close();
  });

  it('rolls a failing migration back entirely and does not record it', () => {
    const db = freshDb();
    const broken: Migration[] = [MIGRATIONS[0], { version: 2, name: 'broken', sql: 'CREATE TABLE half (x INTEGER); INSERT INTO missing VALUES (1);' }];
    expect(errorOf(() => run(db, broken))).toBeInstanceOf(Error);
    expect(appliedVersions(db)).toEqual([1]);
    expect(db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE name = 'half'").pluck().get()).toBe(0);
    db.close();
  });

  it('refuses a database migrated by a newer version, and a list with gaps', () => {
    const db = freshDb();
    run(db);
    const newer = errorOf(() => run(db, MIGRATIONS.slice(0, 1)));
    expect(isEngineError(newer) && newer.code).toBe('CONFLICT');
    const gap = errorOf(() => run(db, [MIGRATIONS[0], { ...MIGRATIONS[1], version: 3 }]));
    expect(isEngineError(gap) && gap.code).toBe('INTERNAL');
    db.close();
  });

  it('does not wait for the write lock when nothing is pending (a store opens during an import)', () => {
    const path = join(dir, 'locked.db');
    const db = openConnection(path);
    run(db);
    const importer = openConnection(path);
    importer.exec('BEGIN IMMEDIATE');
    const other = new Database(path, { timeout: 0 }); // would fail at once if migrate asked for the lock
    expect(run(other)).toEqual([]);
    importer.exec('ROLLBACK');
    for (const c of [db, importer, other]) c.close();
  });

  it('sets WAL, synchronous per durability (FULL by default), foreign keys and no synchronous busy wait', () => {
    const db = freshDb();
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    // SQLite's busy handler sleeps on the calling thread; locks are retried on timers instead (busy.ts).
    expect(db.pragma('busy_timeout', { simple: true })).toBe(0);
    db.close();
    const normal = openConnection(join(dir, `m${n++}.db`), { durability: 'normal' });
    expect(normal.pragma('synchronous', { simple: true })).toBe(1);
    normal.close();
  });

  it('serves the hot queries from indexes', () => {
    const db = freshDb();
    run(db);
    const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>).map((r) => r.detail).join(' | ');
    expect(plan(`SELECT * FROM events WHERE user_id = 'u' ORDER BY ts DESC, id DESC LIMIT 10`)).toMatch(/SEARCH events USING INDEX events_by_user_time/);
    expect(plan(`SELECT * FROM events WHERE (ts, id) > (0, '') ORDER BY ts, id LIMIT 100`)).toMatch(/SEARCH events USING INDEX events_by_time/);
    expect(plan(`SELECT * FROM events WHERE item_id = 'i'`)).toMatch(/events_by_item/);
    expect(plan(`SELECT * FROM events WHERE id = 'e'`)).toMatch(/autoindex_events/);
    expect(plan(`SELECT * FROM events WHERE (ts, id) > (0, '') ORDER BY ts, id`)).not.toMatch(/TEMP B-TREE/);
    db.close();
  });
});
