/**
 * An import killed with SIGKILL half-way must leave the store as it was (the bulk writer's transaction never
 * committed), and a re-run must complete with the right counts; on SQLite the file also passes its integrity check.
 * Runs on every store in STORES: the PostgreSQL variant is one more entry (a fresh schema in its URL, dropped by
 * dispose, and no file to check).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../storage/registry.js';
import { dropSchema, postgresAvailable, schemaUrl, testSchemaName } from '../testkit/postgres.js';
import { importChild, writeSyntheticEvents } from '../testkit/import-child.js';
import { importDataset } from './importer.js';

const EVENTS = 300_000;
const USERS = 1000;
const ITEMS = 2000;
const dir = mkdtempSync(join(tmpdir(), 'kindred-kill-'));
const dataPath = join(dir, 'events.jsonl');
let startImport: ReturnType<typeof importChild>;

/** A store the child imports into, by URL; `check` looks at it from outside after the kill. */
interface StoreUnderTest {
  name: string;
  create(): Promise<{ url: string; check?: () => void; dispose(): Promise<void> }>;
}

const STORES: StoreUnderTest[] = [{
  name: 'sqlite',
  create: async () => {
    const path = join(dir, 'store.db');
    const check = () => {
      const raw = new Database(path);
      try {
        expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
      } finally {
        raw.close();
      }
    };
    return { url: `sqlite://${path}`, check, dispose: async () => {} };
  },
}, ...((await postgresAvailable()) ? [{
  // A fresh schema; skipped outside CI when no server answers.
  name: 'postgres',
  create: async () => {
    const schema = testSchemaName();
    return { url: schemaUrl(schema), dispose: () => dropSchema(schema) };
  },
}] : [])];

/** Runs the child and SIGKILLs it once it has read more than half the rows; resolves with how far it got. */
function importAndKill(storeUrl: string): Promise<{ killedAt: number; signal: NodeJS.Signals | null }> {
  return new Promise((resolvePromise, reject) => {
    let killedAt = -1;
    let stderr = '';
    const child = startImport(storeUrl, dataPath, (msg) => {
      if (killedAt === -1 && msg.records !== undefined && msg.records > EVENTS / 2) {
        killedAt = msg.records;
        child.kill('SIGKILL');
      }
    });
    child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (killedAt === -1) reject(new Error(`child finished before it could be killed (code ${code}): ${stderr.slice(-2000)}`));
      else resolvePromise({ killedAt, signal });
    });
  });
}

beforeAll(async () => {
  startImport = importChild(dir, { batchSize: 2000 });
  await writeSyntheticEvents(dataPath, { events: EVENTS, users: USERS, items: ITEMS });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(STORES)('a killed import on $name', (storeKind) => {
  it('leaves a consistent store, and a re-run completes', async () => {
    const { url, check, dispose } = await storeKind.create();
    try {
      const { killedAt, signal } = await importAndKill(url);
      expect(signal).toBe('SIGKILL');
      expect(killedAt).toBeGreaterThan(EVENTS / 2);
      expect(killedAt).toBeLessThan(EVENTS);
      check?.();

      const store = await openStore(url);
      try {
        const after = await store.counts();
        // All or nothing: the uncommitted transaction is discarded, never half-applied.
        const complete = { items: ITEMS, users: USERS, events: EVENTS };
        expect([{ items: 0, users: 0, events: 0 }, complete]).toContainEqual(after);

        const report = await importDataset(store, { path: dataPath, format: 'jsonl', onError: 'abort' });
        expect(report.counts.events + report.counts.duplicates).toBe(EVENTS);
        expect(await store.counts()).toEqual({ items: ITEMS, users: USERS, events: EVENTS });
      } finally {
        await store.close();
      }
    } finally {
      await dispose();
    }
  });
});
