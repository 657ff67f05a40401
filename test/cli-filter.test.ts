import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeShopJsonl } from '../src/testkit/shop-catalogue.js';

// Runs the built CLI (run `npm run build` first) on a small shop catalogue, as a user would.
const run = promisify(execFile);
const bin = resolve('bin/kindred.js');
const dir = mkdtempSync(join(tmpdir(), 'kindred-cli-filter-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const env = { ...process.env, KINDRED_LOG_LEVEL: 'warn' };
const kindred = (...args: string[]) => run(process.execPath, [bin, '--db', `sqlite://${join(dir, 'shop.db')}`, ...args], { cwd: dir, env });
const failure = async (p: Promise<unknown>) => (await p.then(() => ({ code: 0, stderr: '' }), (e: unknown) => e)) as { code: number; stderr: string };

const ids = (stdout: string) => (JSON.parse(stdout) as { items: Array<{ itemId: string }> }).items.map((r) => Number(r.itemId.slice(1)));

describe('kindred recommend / similar --filter', () => {
  beforeAll(async () => {
    await kindred('import', writeShopJsonl(join(dir, 'shop'), { items: 20, likes: 6, step: 2 }), '--format', 'jsonl');
    await kindred('train', '--model', 'itemknn');
  }, 60_000);

  it('recommend --filter keeps only matching items', async () => {
    const got = ids((await kindred('recommend', 'u0', '-n', '4', '--filter', 'price >= 10 and in_stock = true', '--json')).stdout);
    expect(got).toHaveLength(4);
    for (const price of got) expect(price >= 10 && price % 2 === 0).toBe(true);
  });

  it('similar --filter keeps only matching items', async () => {
    const got = ids((await kindred('similar', 'i4', '-n', '3', '--filter', '"low" in categories', '--json')).stdout);
    expect(got.length).toBeGreaterThan(0);
    for (const price of got) expect(price).toBeLessThan(10);
  });

  it('a bad filter fails with the position of the bad token', async () => {
    const err = await failure(kindred('recommend', 'u0', '--filter', 'price < and in_stock = true'));
    expect(err.code).not.toBe(0);
    expect(err.stderr).toMatch(/^kindred: filter: expected a value after "<" at position 8/);
  });
});
