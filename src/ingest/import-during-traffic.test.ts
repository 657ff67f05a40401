/**
 * Issue 8 acceptance: a 300,000-event import in another process while an HTTP server over the same SQLite file serves
 * recommendations and takes writes. No read may take longer than 200 ms (nothing blocks the server's event loop on
 * the import's lock), and every write answered 200 is in the store afterwards.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/config.js';
import { silentLogger } from '../core/logger.js';
import type { Event } from '../core/types.js';
import { startServer } from '../server/app.js';
import { importChild, writeSyntheticEvents } from '../testkit/import-child.js';
import { engineOnStore } from '../testkit/engine-on-store.js';

const EVENTS = 300_000;
const READ_LIMIT_MS = 200;
/** Without discounting CPU starvation (see runQueueWaitMs): still far below the 5 s stalls this test was written for. */
const RAW_READ_LIMIT_MS = 1000;
const dir = mkdtempSync(join(tmpdir(), 'kindred-import-traffic-'));
const dataPath = join(dir, 'events.jsonl');
const dbPath = join(dir, 'store.db');
let startImport: ReturnType<typeof importChild>;

/** Runs the import child; `onAllRead` fires when it has read every row (what is left: the final publish). */
function runImport(onAllRead: () => void): Promise<{ code: number | null; stderr: string; done: boolean }> {
  return new Promise((resolvePromise, reject) => {
    let stderr = '';
    let done = false;
    const child = startImport(`sqlite://${dbPath}`, dataPath, (msg) => {
      if (msg.records === EVENTS) onAllRead();
      if (msg.done) done = true;
    });
    child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('exit', (code) => resolvePromise({ code, stderr, done }));
  });
}

/**
 * Time this thread has spent runnable but not running (Linux /proc/thread-self/schedstat; 0 elsewhere). On a shared
 * 2-core machine other processes (other test files, the import itself) can keep the server's thread off the CPU for
 * a few hundred ms; that is the scheduler, not the server blocking. A blocked event loop (a synchronous lock wait,
 * fsync, a long SQLite call) is time the thread sleeps or runs, which this does not discount.
 */
function runQueueWaitMs(): number {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[1]) / 1e6;
  } catch {
    return 0;
  }
}

beforeAll(async () => {
  startImport = importChild(dir);
  await writeSyntheticEvents(dataPath, { events: EVENTS, users: 1000, items: 2000 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('an import of 300,000 events during HTTP traffic', () => {
  it('never stalls a read past 200 ms and keeps every acknowledged write', async () => {
    const config = resolveConfig({ store: { url: `sqlite://${dbPath}` }, log: { level: 'silent' }, train: { model: 'popular' } });
    const { engine, store } = await engineOnStore(config, { logger: silentLogger });
    const seed: Event[] = Array.from({ length: 3000 }, (_, i) => ({
      userId: `u${i % 100}`, itemId: `i${(i * 31) % 300}`, type: 'view', timestamp: new Date(Date.UTC(2023, 0, 1) + i * 1000).toISOString(),
    }));
    await engine.addEvents(seed);
    await engine.train();
    const server = await startServer(engine, { host: '127.0.0.1', port: 0 });
    // Warm up (first requests compile routes and schemas): what is measured is the import's effect, not start-up.
    for (let n = 0; n < 20; n++) await (await fetch(`${server.url}/v1/users/u${n}/recommendations?count=10`)).arrayBuffer();

    let importing = true;
    let publishing = false;
    const reads: Array<{ ms: number; waitingForCpuMs: number; status: number; publishing: boolean }> = [];
    const acknowledged: string[] = [];
    const refused: Array<{ status: number; code?: string; waitedMs?: number }> = [];

    const readLoop = async () => {
      for (let n = 0; importing; n++) {
        const t0 = performance.now();
        const q0 = runQueueWaitMs();
        const res = await fetch(`${server.url}/v1/users/u${n % 100}/recommendations?count=10`);
        await res.arrayBuffer();
        reads.push({ ms: performance.now() - t0, waitingForCpuMs: runQueueWaitMs() - q0, status: res.status, publishing });
      }
    };
    const writeLoop = async () => {
      for (let n = 0; importing; n++) {
        const batch: Event[] = Array.from({ length: 5 }, (_, i) => ({
          id: `w-${n}-${i}`, userId: 'writer', itemId: `i${i}`, type: 'view', timestamp: new Date(Date.UTC(2025, 0, 1) + n * 10 + i).toISOString(),
        }));
        const res = await fetch(`${server.url}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ events: batch }) });
        const body = (await res.json()) as { error?: { code: string; details: { waitedMs?: number } } };
        if (res.status === 200) acknowledged.push(...batch.map((e) => e.id as string));
        else refused.push({ status: res.status, code: body.error?.code, waitedMs: body.error?.details.waitedMs });
        await new Promise((r) => setTimeout(r, 20));
      }
    };

    try {
      const loops = Promise.all([readLoop(), writeLoop()]);
      const result = await runImport(() => { publishing = true; });
      importing = false;
      await loops;

      expect(result).toMatchObject({ code: 0, done: true });
      expect(reads.length).toBeGreaterThan(20);
      expect(reads.filter((r) => r.publishing).length).toBeGreaterThan(0); // some reads overlapped the publish
      expect(reads.every((r) => r.status === 200)).toBe(true);
      const slowest = Math.max(...reads.map((r) => r.ms));
      const p99 = reads.map((r) => r.ms).sort((a, b) => a - b)[Math.floor(reads.length * 0.99)];
      const summary = `slowest read ${slowest.toFixed(0)} ms (p99 ${p99.toFixed(0)} ms, ${reads.length} reads)`;
      expect(slowest, summary).toBeLessThan(RAW_READ_LIMIT_MS);
      const slowestOwn = Math.max(...reads.map((r) => r.ms - r.waitingForCpuMs));
      expect(slowestOwn, `${summary}; slowest without run-queue waits ${slowestOwn.toFixed(0)} ms`).toBeLessThan(READ_LIMIT_MS);

      // A refused write waited the whole lock deadline first; every acknowledged one is stored.
      for (const r of refused) expect(r).toMatchObject({ status: 409, code: 'CONFLICT', waitedMs: expect.any(Number) });
      for (const r of refused) expect(r.waitedMs).toBeGreaterThanOrEqual(config.store.lockTimeoutMs - 50);
      expect(acknowledged.length).toBeGreaterThan(0);
      const stored = new Set((await store.history('writer')).map((e) => e.id));
      expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
      expect((await engine.status()).counts.events).toBe(seed.length + EVENTS + acknowledged.length);
    } finally {
      importing = false;
      await server.close();
      await engine.close();
    }
  }, 60_000);
});
