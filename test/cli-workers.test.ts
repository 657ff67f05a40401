import { spawn, type ChildProcess } from 'node:child_process';
import { get } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/config/config.js';
import { silentLogger } from '../src/core/logger.js';
import { createEngine } from '../src/engine.js';

// Runs the built CLI (npm test builds dist/ first): `kindred serve --workers 2` over a small SQLite store.
const bin = resolve('bin/kindred.js');
const dir = mkdtempSync(join(tmpdir(), 'kindred-workers-cli-'));
const db = `sqlite://${join(dir, 'k.db')}`;
const env = { ...process.env, KINDRED_EMBEDDINGS: 'none', KINDRED_LOG_LEVEL: 'info' };

interface Primary {
  child: ChildProcess;
  /** Every `listening on <url> (..., worker pid <pid>)` line so far, in order. */
  listening: Array<{ url: string; pid: number }>;
  /** Every JSON log line so far (stderr). */
  logs: Array<Record<string, unknown>>;
  exit: Promise<number | null>;
}

function startPrimary(dbUrl: string): Primary {
  const child = spawn(process.execPath, [bin, '--db', dbUrl, 'serve', '--port', '0', '--workers', '2'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const primary: Primary = { child, listening: [], logs: [], exit: new Promise((done) => child.once('exit', (code) => done(code))) };
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    for (const m of out.matchAll(/listening on (http:\/\/\S+) \(.*worker pid (\d+)\)\n/g)) {
      if (!primary.listening.some((l) => l.pid === Number(m[2]))) primary.listening.push({ url: m[1], pid: Number(m[2]) });
    }
  });
  let err = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString();
    const lines = err.split('\n');
    err = lines.pop() ?? '';
    for (const line of lines) {
      try {
        primary.logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        primary.logs.push({ text: line });
      }
    }
  });
  return primary;
}

/** One request on its own connection (no keep-alive), so the primary hands each to the next worker. */
function healthz(url: string): Promise<number> {
  return new Promise((done, fail) => {
    get(`${url}/healthz`, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode ?? 0));
    }).on('error', fail);
  });
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('kindred serve --workers 2', () => {
  let primary: Primary | undefined;

  beforeAll(async () => {
    const engine = await createEngine(resolveConfig({ store: { url: db }, log: { level: 'silent' }, embeddings: { provider: 'none' } }), { logger: silentLogger });
    await engine.upsertItems([{ id: 'i1', title: 'Film 1' }]);
    await engine.close();
  });
  afterAll(() => {
    const pids = [primary?.child.pid, ...(primary?.listening.map((l) => l.pid) ?? [])];
    for (const pid of pids) if (pid !== undefined && alive(pid)) process.kill(pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves from two worker processes on one port, replaces a killed worker, and stops them all on SIGTERM', async () => {
    const p = (primary = startPrimary(db));
    await expect.poll(() => p.listening.length, { timeout: 30_000, interval: 100 }).toBe(2);
    const [first, second] = p.listening;
    expect(first.url).toBe(second.url);
    expect(first.pid).not.toBe(second.pid);
    expect([first.pid, second.pid]).not.toContain(p.child.pid);

    // Connections are handed out round-robin: the request log lines name the worker that answered each.
    for (let i = 0; i < 10; i++) expect(await healthz(first.url)).toBe(200);
    const answeredBy = () => new Set(p.logs.filter((l) => l.msg === 'http' && l.route === '/healthz').map((l) => l.pid));
    await expect.poll(() => answeredBy().size, { timeout: 10_000, interval: 50 }).toBe(2);
    expect([...answeredBy()].sort()).toEqual([first.pid, second.pid].sort());

    process.kill(first.pid, 'SIGKILL');
    await expect.poll(() => p.listening.length, { timeout: 30_000, interval: 100 }).toBe(3);
    const replacement = p.listening[2];
    expect(replacement.url).toBe(first.url);
    expect(alive(first.pid)).toBe(false);
    expect(p.logs.some((l) => l.msg === 'worker exited; restarting it' && l.pid === first.pid && l.signal === 'SIGKILL')).toBe(true);
    for (let i = 0; i < 4; i++) expect(await healthz(first.url)).toBe(200);

    p.child.kill('SIGTERM');
    expect(await p.exit).toBe(0);
    expect(alive(second.pid)).toBe(false);
    expect(alive(replacement.pid)).toBe(false);
  });

  it('stops instead of restarting forever when the workers cannot start (no store at the path)', async () => {
    const p = startPrimary(`sqlite://${join(dir, 'missing.db')}`);
    expect(await p.exit).toBe(1);
    expect(p.logs.some((l) => typeof l.text === 'string' && l.text.includes('no Kindred store at'))).toBe(true);
    expect(p.logs.some((l) => l.msg === 'worker exited; restarting it')).toBe(false);
    expect(p.listening).toEqual([]);
  });
});
