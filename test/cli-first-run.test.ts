import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { listFormats } from '../src/ingest/importer.js';

// Issue 8, "CLI and first run": each test runs the built binary (`npm run build` first) as a new user would.
const run = promisify(execFile);
const bin = resolve('bin/kindred.js');
const dir = mkdtempSync(join(tmpdir(), 'kindred-first-run-'));

interface Ran { code: number; stdout: string; stderr: string }

/** Runs the CLI in `dir`; resolves with its exit code and output whether it failed or not. */
async function kindred(args: string[], env: Record<string, string> = {}): Promise<Ran> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
      cwd: dir, env: { ...process.env, ...env }, timeout: 60_000, maxBuffer: 16 << 20,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number | string; stdout?: string; stderr?: string; killed?: boolean };
    // A process killed by the timeout (e.g. a server that started when it should have refused) counts as a failure.
    return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: `${err.stderr ?? ''}${err.killed ? '\n[killed: timeout]' : ''}` };
  }
}

function writeCsvDataset(name: string, titles: Record<string, string>, events: Array<[string, string]>): string {
  const folder = join(dir, name);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'items.csv'), ['id,title', ...Object.entries(titles).map(([id, t]) => `${id},${t}`)].join('\n') + '\n');
  writeFileSync(join(folder, 'events.csv'), ['userId,itemId,type,timestamp', ...events.map(([u, i], n) => `${u},${i},like,2024-01-01T00:00:${String(n % 60).padStart(2, '0')}Z`)].join('\n') + '\n');
  return folder;
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('kindred CLI, first run (issue 8)', () => {
  const formats = listFormats().map((f) => f.name);

  it('help names every import format (never "[object Object]")', async () => {
    const [top, sub] = await Promise.all([kindred(['--help']), kindred(['import', '--help'])]);
    expect(top.code).toBe(0);
    expect(sub.code).toBe(0);
    for (const text of [top.stdout, sub.stdout]) expect(text).not.toContain('[object Object]');
    for (const name of formats) expect(sub.stdout).toContain(name);
    for (const f of listFormats()) expect(sub.stdout).toContain(f.description.slice(0, 30));
  });

  it('a mistyped --format lists the allowed ones; a missing one prints the whole multi-line list', async () => {
    const [typo, missing] = await Promise.all([kindred(['import', dir, '--format', 'movielens100k']), kindred(['import', dir])]);
    expect(typo.code).toBe(2);
    for (const name of formats) expect(typo.stderr).toContain(name);

    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^kindred: no import format given; choose one with --format:\n/);
    for (const f of listFormats()) expect(missing.stderr).toMatch(new RegExp(`\\n  ${f.name} +\\S`));
  });

  it('--version (-V) prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(resolve('package.json'), 'utf8')) as { version: string };
    const [out, help] = await Promise.all([kindred(['--version']), kindred(['--help'])]);
    expect(out.code).toBe(0);
    expect(out.stdout.trim()).toBe(version);
    expect(help.stdout).toContain('-V, --version');
  });

  // npm warns about unknown project .npmrc keys whenever it loads the project's config, as every `npx kindred` does.
  // `npm pkg get` loads it the same way; `npx kindred` itself is not run here because on a fresh checkout npx installs
  // the project into its cache and runs its prepare script, which would rebuild dist/ under the running suite.
  it('npm commands in the project print no npm warning (no unknown .npmrc keys)', async () => {
    const { stdout, stderr } = await run('npm', ['pkg', 'get', 'version'], { cwd: resolve('.'), timeout: 60_000 });
    expect(stdout.trim()).toMatch(/^"\d+\.\d+\.\d+/);
    expect(stderr).not.toMatch(/npm warn/i);
  });

  it('eval --json - and --report - write to stdout, never a file named "-"', async () => {
    const lines = ['user_id,item_id,rating,timestamp'];
    for (let u = 0; u < 20; u++) for (let j = 0; j < 8; j++) lines.push(`u${u},i${(u + j) % 25},5,${1_000_000 + u * 100 + j}`);
    const data = join(dir, 'ratings.csv');
    writeFileSync(data, lines.join('\n') + '\n');
    const common = ['eval', '--data', data, '--protocol', 'ratio', '--models', 'popular', '--k', '5', '--no-progress'];

    const [json, html] = await Promise.all([kindred([...common, '--json', '-']), kindred([...common, '--report', '-'])]);
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout) as { results: Array<{ model: string }> };
    expect(parsed.results[0].model).toBe('popular');

    expect(html.code).toBe(0);
    expect(html.stdout).toMatch(/^<!doctype html>/);
    expect(existsSync(join(dir, '-'))).toBe(false);
  });

  it('read-only commands on a missing store fail naming the path and create nothing', async () => {
    const folder = join(dir, 'typo-folder');
    const file = join(folder, 'kindred.db');
    const env = { KINDRED_DB: `sqlite://${file}` };
    const commands = [['recommend', '1'], ['similar', '1'], ['status'], ['train'], ['serve', '--port', '0']];
    const outs = await Promise.all(commands.map((args) => kindred(args, env)));
    for (const [i, args] of commands.entries()) {
      const out = outs[i];
      expect(out.code, `kindred ${args.join(' ')}`).not.toBe(0);
      expect(out.stderr, `kindred ${args.join(' ')}`).toContain(file);
      expect(existsSync(file), `kindred ${args.join(' ')} created the database`).toBe(false);
      expect(existsSync(folder), `kindred ${args.join(' ')} created the folder`).toBe(false);
    }
  });

  it('import creates the store; status then reports its counts and, after train, the serving model', async () => {
    const data = writeCsvDataset('shop', { a: 'Apple', b: 'Banana', c: 'Cherry' }, [['u1', 'a'], ['u1', 'b'], ['u2', 'b'], ['u2', 'c'], ['u3', 'a'], ['u3', 'c']]);
    const db = `sqlite://${join(dir, 'new-folder', 'shop.db')}`;
    expect((await kindred(['--db', db, 'import', data, '--format', 'csv'])).code).toBe(0);
    expect((await kindred(['--db', db, 'status'])).stdout).toMatch(/3 items, 3 users, 6 events\nserving nothing yet: run `kindred train`/);

    expect((await kindred(['--db', db, 'train', '--model', 'popular'])).code).toBe(0);
    const after = JSON.parse((await kindred(['--db', db, 'status', '--json'])).stdout) as { counts: Record<string, number>; model: { name: string; version: number } };
    expect(after.counts).toEqual({ items: 3, users: 3, events: 6 });
    expect(after.model).toMatchObject({ name: 'popular', version: 1 });
  });

  it('importing a different dataset whose ids overlap stored items warns with the counts and names --db', async () => {
    const db = `sqlite://${join(dir, 'mixed.db')}`;
    const first = writeCsvDataset('first', { 1: 'Star Wars', 2: 'Fargo', 3: 'Heat' }, [['u1', '1'], ['u2', '2']]);
    const second = writeCsvDataset('second', { 1: 'The Usual Suspects', 2: 'Fargo', 3: 'Casino', 4: 'Alien' }, [['v1', '3']]);

    // (a plain re-import of the same dataset does not warn: src/ingest/title-overlap.test.ts)
    expect((await kindred(['--db', db, 'import', first, '--format', 'csv'])).stderr).not.toContain('warning');

    const mixed = await kindred(['--db', db, 'import', second, '--format', 'csv', '--json']);
    expect(mixed.code).toBe(0);
    const report = JSON.parse(mixed.stdout) as { warnings: string[]; itemOverlap: { existing: number; retitled: number } };
    expect(report.itemOverlap).toEqual({ existing: 3, retitled: 2 });
    expect(report.warnings).toHaveLength(1);
    expect(report.warnings[0]).toMatch(/^2 of the 4 imported items already existed in this store under a different title/);
    expect(report.warnings[0]).toContain('--db');
    expect(mixed.stderr).toContain(`kindred: warning: ${report.warnings[0]}`);
  });
});
