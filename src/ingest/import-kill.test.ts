/**
 * An import killed with SIGKILL half-way must leave the SQLite store as it was (the bulk writer's transaction never
 * committed), pass SQLite's integrity check, and a re-run must complete with the right counts.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../storage/registry.js';
import { importDataset } from './importer.js';

const EVENTS = 300_000;
const USERS = 1000;
const ITEMS = 2000;
const dir = mkdtempSync(join(tmpdir(), 'kindred-kill-'));
const dataPath = join(dir, 'events.jsonl');
const dbPath = join(dir, 'store.db');
const scriptPath = join(dir, 'import-child.mjs');
const here = resolve('src');

// The child imports the real modules through tsx and prints each progress report as a JSON line on stdout.
const CHILD = `
const [db, data] = process.argv.slice(2);
const { openStore } = await import(${JSON.stringify(pathToFileURL(join(here, 'storage/registry.ts')).href)});
const { importDataset } = await import(${JSON.stringify(pathToFileURL(join(here, 'ingest/importer.ts')).href)});
const store = await openStore('sqlite://' + db);
const report = await importDataset(store, { path: data, format: 'jsonl', onError: 'abort', batchSize: 2000,
  onProgress: (p) => process.stdout.write(JSON.stringify(p) + '\\n') });
process.stdout.write(JSON.stringify({ done: report.counts }) + '\\n');
await store.close();
`;

async function writeEvents(): Promise<void> {
  const out = createWriteStream(dataPath);
  const start = Date.UTC(2024, 0, 1);
  for (let i = 0; i < EVENTS; i++) {
    const line = JSON.stringify({ userId: `u${i % USERS}`, itemId: `i${(i * 7919) % ITEMS}`, type: 'view', timestamp: new Date(start + i * 1000).toISOString() });
    if (!out.write(line + '\n')) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r, j) => out.end((e?: Error | null) => (e ? j(e) : r())));
}

/** Runs the child and SIGKILLs it once it has read more than half the rows; resolves with how far it got. */
function importAndKill(): Promise<{ killedAt: number; signal: NodeJS.Signals | null }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', scriptPath, dbPath, dataPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    let killedAt = -1;
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    createInterface({ input: child.stdout }).on('line', (line) => {
      const msg = JSON.parse(line) as { records?: number; done?: unknown };
      if (killedAt === -1 && msg.records !== undefined && msg.records > EVENTS / 2) {
        killedAt = msg.records;
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (killedAt === -1) reject(new Error(`child finished before it could be killed (code ${code}): ${stderr.slice(-2000)}`));
      else resolvePromise({ killedAt, signal });
    });
  });
}

beforeAll(async () => {
  writeFileSync(scriptPath, CHILD);
  await writeEvents();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a killed import', () => {
  it('leaves a consistent store, and a re-run completes', async () => {
    const { killedAt, signal } = await importAndKill();
    expect(signal).toBe('SIGKILL');
    expect(killedAt).toBeGreaterThan(EVENTS / 2);
    expect(killedAt).toBeLessThan(EVENTS);

    const raw = new Database(dbPath);
    try {
      expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      raw.close();
    }
    const store = await openStore(`sqlite://${dbPath}`);
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
  });
});
