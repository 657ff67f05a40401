import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Runs the built CLI (run `npm run build` first), as an operator would.
const run = promisify(execFile);
const bin = resolve('bin/kindred.js');
const dir = mkdtempSync(join(tmpdir(), 'kindred-cli-precompute-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const db = `sqlite://${join(dir, 'shop.db')}`;
const kindred = (cache: string, ...args: string[]) =>
  run(process.execPath, [bin, '--db', db, ...args], { cwd: dir, env: { ...process.env, KINDRED_EMBEDDINGS: 'none', KINDRED_LOG_LEVEL: 'warn', KINDRED_CACHE: cache } });
const failure = async (p: Promise<unknown>) => (await p.then(() => ({ code: 0, stderr: '' }), (e: unknown) => e)) as { code: number; stderr: string };

describe('kindred precompute', () => {
  beforeAll(async () => {
    const events: string[] = [];
    for (let u = 0; u < 10; u++) {
      for (let i = 0; i < 6; i++) events.push(JSON.stringify({ userId: `u${u}`, itemId: `${u % 2 ? 'a' : 'b'}${(u + i) % 8}`, type: 'like', timestamp: new Date(Date.UTC(2024, 0, 1, u, i)).toISOString() }));
    }
    writeFileSync(join(dir, 'events.jsonl'), events.join('\n') + '\n');
    await kindred('memory://', 'import', join(dir, 'events.jsonl'), '--format', 'jsonl', '--kind', 'event');
    await kindred('memory://', 'train', '--model', 'itemknn');
  }, 60_000);

  it('refuses a memory cache, which would lose the lists when it exits, and names the setting', async () => {
    const res = await failure(kindred('memory://', 'precompute'));
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('cache.url');
    expect(res.stderr).toContain('store://');
  });

  it('fills a store cache that the next recommend serves from', async () => {
    const report = JSON.parse((await kindred('store://', 'precompute', '--json')).stdout) as { users: number; computed: number };
    expect(report).toMatchObject({ users: 10, computed: 10 });
    const rec = JSON.parse((await kindred('store://', 'recommend', 'u0', '--json')).stdout) as { trace: Array<{ stage: string; cached?: boolean }> };
    expect(rec.trace[0]).toMatchObject({ stage: 'cached-list', cached: true });
    const again = JSON.parse((await kindred('store://', 'precompute', '--json', '--inactive-days', '3')).stdout) as { alreadyCached: number };
    expect(again.alreadyCached).toBe(10);
  });

  it('rejects an inactivity window that is not a number', async () => {
    const res = await failure(kindred('store://', 'precompute', '--inactive-days', 'week'));
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('--inactive-days');
  });
});
