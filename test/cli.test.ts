import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { testDataset } from '../src/testkit/datasets.js';

// Runs the built CLI (npm test builds dist/ first) exactly as a user would.
const run = promisify(execFile);
const bin = resolve('bin/kindred.js');
const dir = mkdtempSync(join(tmpdir(), 'kindred-cli-'));
const db = `sqlite://${join(dir, 'k.db')}`;
const kindred = (...args: string[]) => run(process.execPath, [bin, '--db', db, ...args], { cwd: dir, maxBuffer: 64 << 20 });

afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Listed { itemId: string; title?: string; reasons: Array<{ kind: string; text: string }> }

describe('kindred CLI', () => {
  it('fails with the whole reason and a non-zero exit code', async () => {
    const err = (await kindred('import', '/nowhere').catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(err.code).toBe(2);
    expect(err.stderr).toMatch(/^kindred: no import format given; choose one with --format:\n {2}csv /);
    expect(err.stderr.trim().split('\n').length).toBeGreaterThan(5);
  });

  it('prints help generated from the config schema', async () => {
    const { stdout } = await kindred('--help');
    expect(stdout).toContain('KINDRED_DB');
    expect(stdout).toContain('store.url');
  });

  const ml = testDataset('ml-100k');
  it.skipIf(!ml)('imports ml-100k, recommends unseen items to user 1, and finds Star Wars-like films', async () => {
    const imp = JSON.parse((await kindred('import', ml as string, '--format', 'movielens-100k', '--json')).stdout);
    expect(imp.counts.events.accepted ?? imp.counts.events).toBeGreaterThanOrEqual(100_000);
    await kindred('train');

    const rec = JSON.parse((await kindred('recommend', '1', '-n', '10', '--json')).stdout) as { items: Listed[] };
    expect(rec.items).toHaveLength(10);
    const seen = new Set(
      readFileSync(join(ml as string, 'u.data'), 'utf8').split('\n').filter((l) => l.startsWith('1\t')).map((l) => l.split('\t')[1]),
    );
    expect(seen.size).toBe(272);
    for (const r of rec.items) {
      expect(seen.has(r.itemId)).toBe(false);
      expect(r.reasons.length).toBeGreaterThan(0);
    }

    const sim = JSON.parse((await kindred('similar', '50', '-n', '5', '--json')).stdout) as { items: Listed[] };
    const top = sim.items.map((r) => r.itemId);
    // The Empire Strikes Back (172) and Return of the Jedi (181) are Star Wars' nearest neighbours.
    expect(top.slice(0, 3)).toEqual(expect.arrayContaining(['172', '181']));
    expect(sim.items[0].title).toMatch(/Empire Strikes Back|Return of the Jedi/);

    // A search nothing in the catalogue matches: the answer says so instead of padding the list.
    const none = (await kindred('recommend', '--query', 'xkqz vbnm plorf', '-n', '5')).stdout.split('\n');
    expect(none.slice(0, 2)).toEqual(['Items matching "xkqz vbnm plorf"', 'Nothing matched your search well.']);
    expect(none.join('\n')).not.toContain('Matches your search');
  });
});
