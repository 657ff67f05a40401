/**
 * Issue 8, operator reliability: the HTTP API over a sqlite:// file store whose file is deleted or damaged under it.
 * Health checks fail with 503, writes fail loudly with a stable code, and SQLite's own messages never reach clients.
 */
import { mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/config.js';
import { silentLogger } from '../core/logger.js';
import type { Event } from '../core/types.js';
import { createEngine } from '../engine.js';
import type { Engine } from '../engine-types.js';
import { startServer, type RunningServer } from './app.js';

const dir = mkdtempSync(join(tmpdir(), 'kindred-store-health-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const freshPath = () => join(dir, `s${n++}.db`);

const events = (count: number, prefix: string): Event[] =>
  Array.from({ length: count }, (_, i) => ({
    id: `${prefix}-${i}`, userId: `u${i % 50}`, itemId: `i${i % 300}`, type: 'view', timestamp: new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString(),
  }));

async function serve(path: string): Promise<{ engine: Engine; server: RunningServer; close: () => Promise<void> }> {
  const engine = await createEngine(resolveConfig({ store: { url: `sqlite://${path}` }, log: { level: 'silent' } }), { logger: silentLogger });
  const server = await startServer(engine, { host: '127.0.0.1', port: 0 });
  return { engine, server, close: async () => { await server.close(); await engine.close(); } };
}

async function call(base: string, method: string, url: string, body?: unknown): Promise<{ status: number; text: string }> {
  const res = await fetch(`${base}${url}`, {
    method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

describe('a store file deleted under a running server', () => {
  it('makes /healthz answer 503 and writes fail with STORE_UNAVAILABLE instead of 200', async () => {
    const path = freshPath();
    const t = await serve(path);
    try {
      const base = t.server.url;
      expect(await call(base, 'POST', '/v1/events', { events: events(10, 'before') })).toMatchObject({ status: 200 });
      expect(await call(base, 'GET', '/healthz')).toEqual({ status: 200, text: JSON.stringify({ status: 'ok' }) });

      for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });

      const health = await call(base, 'GET', '/healthz');
      expect(health.status).toBe(503);
      expect(JSON.parse(health.text)).toMatchObject({ error: { code: 'STORE_UNAVAILABLE', message: expect.any(String), details: {} } });
      const write = await call(base, 'POST', '/v1/events', { events: events(10, 'after') });
      expect(write.status).toBe(503);
      expect(JSON.parse(write.text)).toMatchObject({ error: { code: 'STORE_UNAVAILABLE' } });
      expect(write.text).not.toContain(path);
      const item = await call(base, 'POST', '/v1/items', { items: [{ id: 'x', title: 'X' }] });
      expect(JSON.parse(item.text)).toMatchObject({ error: { code: 'STORE_UNAVAILABLE' } });
    } finally {
      await t.close();
    }
  });

  it('also notices a file replaced by another one at the same path', async () => {
    const path = freshPath();
    const t = await serve(path);
    try {
      rmSync(path);
      writeFileSync(path, '');
      expect((await call(t.server.url, 'GET', '/healthz')).status).toBe(503);
      expect((await call(t.server.url, 'POST', '/v1/events', { events: events(1, 'r') })).status).toBe(503);
    } finally {
      await t.close();
    }
  });
});

describe('a damaged database', () => {
  it('refuses to open a file that is not a database with STORE_CORRUPT, without SQLite\'s message', async () => {
    const path = freshPath();
    writeFileSync(path, Buffer.alloc(64 * 1024, 'garbage! '));
    const failed = await createEngine(resolveConfig({ store: { url: `sqlite://${path}` }, log: { level: 'silent' } }), { logger: silentLogger })
      .catch((e: unknown) => e);
    expect(failed).toMatchObject({ code: 'STORE_CORRUPT', details: { sqlite: 'SQLITE_NOTADB' } });
    expect(JSON.stringify(failed) + String((failed as Error).message)).not.toMatch(/file is not a database/i);
  });

  it('answers a request that reads damaged pages with STORE_CORRUPT, without SQLite\'s message', async () => {
    const path = freshPath();
    const seeded = await serve(path);
    expect(await call(seeded.server.url, 'POST', '/v1/events', { events: events(20_000, 'e') })).toMatchObject({ status: 200 });
    await seeded.close(); // checkpoints the WAL into the file
    // The events rows and indexes fill the second half of the file (the schema and small tables come first).
    const size = statSync(path).size;
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(size / 2, 0x5a), 0, size / 2, size / 2);
    closeSync(fd);

    const t = await serve(path);
    try {
      const res = await call(t.server.url, 'GET', '/v1/status');
      expect(res.status).toBe(500);
      expect(JSON.parse(res.text)).toEqual({
        error: { code: 'STORE_CORRUPT', message: 'the database file is damaged; restore it from a backup', details: { sqlite: expect.stringMatching(/^SQLITE_CORRUPT/) } },
      });
      expect(res.text).not.toMatch(/malformed/i);
    } finally {
      await t.close();
    }
  });
});
