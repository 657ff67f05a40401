import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Runs the built CLI (run `npm run build` first) on a small shop catalogue, as a user would.
const run = promisify(execFile);
const bin = resolve('bin/kindred.js');
const dir = mkdtempSync(join(tmpdir(), 'kindred-cli-filter-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const env = { ...process.env, KINDRED_LOG_LEVEL: 'warn' };
const kindred = (...args: string[]) => run(process.execPath, [bin, '--db', `sqlite://${join(dir, 'shop.db')}`, ...args], { cwd: dir, env });
const failure = async (p: Promise<unknown>) => (await p.then(() => ({ code: 0, stderr: '' }), (e: unknown) => e)) as { code: number; stderr: string };

/** 20 items, price = index, even ones in stock; 10 users who like 6 neighbouring items each. */
function writeShop(folder: string): string {
  mkdirSync(folder, { recursive: true });
  const items = Array.from({ length: 20 }, (_, i) => ({ id: `i${i}`, title: `Item ${i}`, categories: [i < 10 ? 'low' : 'high'], attributes: { price: i, in_stock: i % 2 === 0 } }));
  writeFileSync(join(folder, 'items.jsonl'), items.map((it) => JSON.stringify(it)).join('\n') + '\n');
  const events: string[] = [];
  for (let u = 0; u < 10; u++) {
    for (let j = 0; j < 6; j++) events.push(JSON.stringify({ userId: `u${u}`, itemId: `i${(u * 2 + j) % 20}`, type: 'like', timestamp: new Date(Date.UTC(2024, 0, 1, u, j)).toISOString() }));
  }
  writeFileSync(join(folder, 'events.jsonl'), events.join('\n') + '\n');
  return folder;
}

const ids = (stdout: string) => (JSON.parse(stdout) as { items: Array<{ itemId: string }> }).items.map((r) => Number(r.itemId.slice(1)));

describe('kindred recommend / similar --filter', () => {
  beforeAll(async () => {
    await kindred('import', writeShop(join(dir, 'shop')), '--format', 'jsonl');
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
