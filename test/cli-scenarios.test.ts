import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeShopJsonl } from '../src/testkit/shop-catalogue.js';

// Runs the built CLI (run `npm run build` first) on a small shop catalogue, as a user would.
const run = promisify(execFile);
const bin = resolve('bin/kindred.js');
const dir = mkdtempSync(join(tmpdir(), 'kindred-cli-scenarios-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const env = { ...process.env, KINDRED_LOG_LEVEL: 'warn' };
const kindred = (...args: string[]) => run(process.execPath, [bin, '--db', `sqlite://${join(dir, 'shop.db')}`, ...args], { cwd: dir, env });
const failure = async (p: Promise<unknown>) => (await p.then(() => ({ code: 0, stderr: '' }), (e: unknown) => e)) as { code: number; stderr: string };

const ids = (stdout: string) => (JSON.parse(stdout) as { items: Array<{ itemId: string }> }).items.map((r) => Number(r.itemId.slice(1)));

describe('kindred scenarios and --scenario', () => {
  beforeAll(async () => {
    await kindred('import', writeShopJsonl(join(dir, 'shop'), { items: 20, likes: 6, step: 2 }), '--format', 'jsonl');
    await kindred('train', '--model', 'itemknn');
  }, 60_000);

  it('puts a scenario from a file and flags, lists it, and recommend/similar --scenario apply it', async () => {
    const file = join(dir, 'home.json');
    writeFileSync(file, JSON.stringify({ filter: 'price >= 100', recall: { popular: { quota: 1 } }, description: 'Front page' }));
    const stored = JSON.parse((await kindred('scenarios', 'put', 'home', '--file', file, '--filter', 'in_stock = true', '-n', '3', '--json')).stdout) as unknown;
    expect(stored).toEqual({ name: 'home', filter: 'in_stock = true', count: 3, recall: { popular: { quota: 1 } }, description: 'Front page' });
    expect(JSON.parse((await kindred('scenarios', 'list', '--json')).stdout)).toEqual([stored]);
    const got = ids((await kindred('recommend', 'u0', '--scenario', 'home', '--json')).stdout);
    expect(got).toHaveLength(3);
    for (const price of got) expect(price % 2).toBe(0);
    const similar = ids((await kindred('similar', 'i4', '--scenario', 'home', '--json')).stdout);
    expect(similar.length).toBeGreaterThan(0);
    expect(similar.length).toBeLessThanOrEqual(3);
    for (const price of similar) expect(price % 2).toBe(0);
  });

  it('a bad filter on put fails with the position of the bad token; delete makes --scenario fail', async () => {
    const bad = await failure(kindred('scenarios', 'put', 'email', '--filter', 'price < and in_stock = true'));
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/^kindred: filter: expected a value after "<" at position 8/);
    expect((await kindred('scenarios', 'put', 'email', '-n', '2')).stdout).toContain('count 2');
    await kindred('scenarios', 'delete', 'email');
    const gone = await failure(kindred('recommend', 'u0', '--scenario', 'email'));
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toMatch(/unknown scenario/);
  });
});
