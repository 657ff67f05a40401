import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { resolveConfig } from '../../config/config.js';
import { silentLogger } from '../../core/logger.js';
import { createEngine } from '../../engine.js';
import type { EraseReceipt } from '../../privacy/erase-receipt.js';
import type { UserExport } from '../../privacy/user-export.js';
import { main } from '../main.js';

const dir = mkdtempSync(join(tmpdir(), 'kindred-cli-user-data-'));
const db = `sqlite://${join(dir, 'k.db')}`;
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

/** Runs the CLI in this process; answers its exit code and what it printed on stdout. */
async function kindred(...args: string[]): Promise<{ code: number; stdout: string }> {
  return kindredOn(db, ...args);
}

async function kindredOn(url: string, ...args: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  vi.spyOn(console, 'log').mockImplementation((line: unknown) => { stdout += `${String(line)}\n`; });
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => { stdout += String(chunk); return true; });
  const code = await main(['--db', url, ...args]);
  vi.restoreAllMocks();
  return { code, stdout };
}

describe('kindred export-user and erase-user', () => {
  beforeAll(async () => {
    const engine = await createEngine(resolveConfig({ store: { url: db }, embeddings: { provider: 'none' }, log: { level: 'silent' } }), { logger: silentLogger });
    await engine.upsertItems([{ id: 'a' }, { id: 'b' }]);
    await engine.upsertUsers([{ id: 'ivy', attributes: { email: 'ivy@example.org' } }]);
    await engine.addEvents([
      { userId: 'ivy', itemId: 'a', type: 'review', value: 1, text: 'Sturdy and quiet.', timestamp: '2024-03-01T00:00:00Z' },
      { userId: 'jo', itemId: 'b', type: 'like', timestamp: '2024-03-01T00:00:00Z' },
    ]);
    await engine.close();
  });

  it('export-user prints the JSON export, or writes it to --out readable by its owner only', async () => {
    const printed = await kindred('export-user', 'ivy');
    expect(printed.code).toBe(0);
    const data = JSON.parse(printed.stdout) as UserExport;
    expect(data).toMatchObject({ userId: 'ivy', user: { id: 'ivy', attributes: { email: 'ivy@example.org' } } });
    expect(data.events.map((e) => e.text)).toEqual(['Sturdy and quiet.']);

    const out = join(dir, 'ivy.json');
    expect((await kindred('export-user', 'ivy', '--out', out)).code).toBe(0);
    expect((JSON.parse(readFileSync(out, 'utf8')) as UserExport).events).toEqual(data.events);
    expect(statSync(out).mode & 0o777).toBe(0o600);
  });

  it('erase-user prints the receipt; a second erase and an export of the erased user fail with exit code 2', async () => {
    const { code, stdout } = await kindred('erase-user', 'ivy');
    expect(code).toBe(0);
    const receipt = JSON.parse(stdout) as EraseReceipt;
    expect(receipt).toMatchObject({ userId: 'ivy', events: 1, user: true, freedSpace: 'overwritten', models: { deletedVersions: [], keptVersions: [] } });
    expect((await kindred('erase-user', 'ivy')).code).toBe(2);
    expect((await kindred('export-user', 'ivy')).code).toBe(2);
    expect((await kindred('export-user', 'jo')).code).toBe(0);
  });

  it('both fail on a missing store and create nothing', async () => {
    const missing = join(dir, 'typo', 'k.db');
    for (const args of [['erase-user', 'ivy'], ['export-user', 'ivy']]) {
      expect((await kindredOn(`sqlite://${missing}`, ...args)).code).not.toBe(0);
      expect(existsSync(join(dir, 'typo'))).toBe(false);
    }
  });
});
