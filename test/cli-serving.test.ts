import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/config/config.js';
import { silentLogger } from '../src/core/logger.js';
import type { Event, Item } from '../src/core/types.js';
import { createEngine } from '../src/engine.js';

// Runs the built CLI (npm test builds dist/ first): training in one process, serving in another, one SQLite file.
const run = promisify(execFile);
const bin = resolve('bin/kindred.js');
const dir = mkdtempSync(join(tmpdir(), 'kindred-serving-cli-'));
const db = `sqlite://${join(dir, 'k.db')}`;
const env = { ...process.env, KINDRED_EMBEDDINGS: 'none', KINDRED_LOG_LEVEL: 'warn', KINDRED_MODELS_POLL_SECONDS: '1' };
const kindred = (...args: string[]) => run(process.execPath, [bin, '--db', db, ...args], { cwd: dir, env });

interface ModelsJson {
  serving: number | null;
  pinned: number | null;
  versions: Array<{ version: number; serving: boolean; pinned: boolean; meta: Record<string, unknown> }>;
}

/** Starts `kindred serve` on a free port; resolves with its base URL once it listens. */
function serve(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [bin, '--db', db, 'serve', '--port', '0'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolveUrl, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolveUrl({ child, url: m[1] });
    });
    child.once('exit', (code) => reject(new Error(`kindred serve exited with ${code}`)));
  });
}

async function servedVersion(url: string): Promise<number | null> {
  return ((await (await fetch(`${url}/v1/models`)).json()) as ModelsJson).serving;
}

describe('kindred train, serve and models on one store', () => {
  let server: { child: ChildProcess; url: string } | undefined;

  beforeAll(async () => {
    const engine = await createEngine(resolveConfig({ store: { url: db }, log: { level: 'silent' }, embeddings: { provider: 'none' } }), { logger: silentLogger });
    const items: Item[] = Array.from({ length: 12 }, (_, i) => ({ id: `i${i}`, title: `Film ${i}` }));
    const events: Event[] = [];
    for (let u = 0; u < 30; u++) {
      for (let j = 0; j < 4; j++) events.push({ userId: `u${u}`, itemId: `i${(u + j) % 12}`, type: 'view', timestamp: new Date(Date.UTC(2024, 0, 1, u, j)).toISOString() });
    }
    await engine.upsertItems(items);
    await engine.addEvents(events);
    await engine.close();
  });
  afterAll(() => {
    if (server?.child.pid !== undefined && server.child.exitCode === null) process.kill(server.child.pid, 'SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('a server started before `kindred train` serves the new version within 10 s', async () => {
    await kindred('train', '--model', 'itemknn');
    server = await serve();
    expect(await servedVersion(server.url)).toBe(1);

    const report = JSON.parse((await kindred('train', '--model', 'ease', '--params', '{"lambda":5}', '--json')).stdout) as { version: number; jobId: string };
    expect(report.version).toBe(2);
    expect(report.jobId).toEqual(expect.any(String));
    const trainedAt = Date.now();
    await expect.poll(() => servedVersion((server as { url: string }).url), { timeout: 10_000, interval: 100 }).toBe(2);
    expect(Date.now() - trainedAt).toBeLessThan(10_000);
    const rec = (await (await fetch(`${server.url}/v1/users/u0/recommendations`)).json()) as { model: unknown };
    expect(rec.model).toEqual({ name: 'ease', version: 2 });
  });

  it('`kindred models` lists versions; rollback pins an older one for the running server; rollback latest unpins', async () => {
    const listed = JSON.parse((await kindred('models', '--json')).stdout) as ModelsJson;
    expect(listed.versions.map((v) => v.version)).toEqual([2, 1]);
    expect(listed.versions[0].meta).toMatchObject({ model: 'ease', params: { lambda: 5 }, users: 30, items: 12, interactions: 120 });
    const table = (await kindred('models')).stdout;
    expect(table).toMatch(/serving +v2 /);
    expect(table).toMatch(/ease +\{"lambda":5\} +30 users, 12 items/);
    // The extra recall channels of train.channels (the main model skipped); 4 events a user are too few to learn fusion.
    expect(table).toMatch(/ s +channels als, itemknn$/m);

    const pinned = JSON.parse((await kindred('models', 'rollback', '1', '--json')).stdout) as ModelsJson;
    expect(pinned.pinned).toBe(1);
    const url = (server as { url: string }).url;
    await expect.poll(() => servedVersion(url), { timeout: 10_000, interval: 100 }).toBe(1);

    const err = (await kindred('models', 'rollback', '7').catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(err.code).toBe(2);
    expect(err.stderr).toMatch(/^kindred: no stored model version/);

    expect((JSON.parse((await kindred('models', 'rollback', 'latest', '--json')).stdout) as ModelsJson).pinned).toBeNull();
    await expect.poll(() => servedVersion(url), { timeout: 10_000, interval: 100 }).toBe(2);
  });

  it('`kindred train --tune` chooses on a validation split and `kindred models` shows the choice; --budget needs --tune', async () => {
    const err = (await kindred('train', '--budget', '10').catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(err.code).not.toBe(0);
    expect(err.stderr).toMatch(/--budget applies only with --tune/);
    const { stdout } = await kindred('train', '--tune', '--budget', '30s', '--model', 'itemknn');
    expect(stdout).toMatch(/^trained itemknn v3 .*\ntuned in [\d.]+ s of a 30 s budget: validation ndcg@10 0\.\d{4} over \d+ users; trials itemknn \d+/);
    const table = (await kindred('models')).stdout;
    expect(table).toMatch(/v3 .* itemknn .*tuned: valid ndcg@10 0\.\d{4}, \d+ trials \(itemknn \d+\)/);
  });
});
