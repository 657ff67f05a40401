import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { resolveConfig } from '../../config/config.js';
import { silentLogger } from '../../core/logger.js';
import { createEngine } from '../../engine.js';
import type { PurgeReport } from '../../privacy/retention.js';
import { main } from '../main.js';

const DAY = 86_400_000;
const dir = mkdtempSync(join(tmpdir(), 'kindred-cli-purge-'));
const db = `sqlite://${join(dir, 'k.db')}`;
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

/** Runs the CLI in this process; answers its exit code and what it printed on stdout. */
async function kindred(...args: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  vi.spyOn(console, 'log').mockImplementation((line: unknown) => { stdout += `${String(line)}\n`; });
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  const code = await main(['--db', db, ...args]);
  vi.restoreAllMocks();
  return { code, stdout };
}

async function storedEvents(): Promise<number> {
  const engine = await createEngine(resolveConfig({ store: { url: db }, embeddings: { provider: 'none' }, log: { level: 'silent' } }), { logger: silentLogger });
  try {
    return (await engine.status()).counts.events;
  } finally {
    await engine.close();
  }
}

describe('kindred purge-expired', () => {
  beforeAll(async () => {
    const engine = await createEngine(resolveConfig({ store: { url: db }, embeddings: { provider: 'none' }, log: { level: 'silent' } }), { logger: silentLogger });
    await engine.addEvents([
      { userId: 'ivy', itemId: 'a', type: 'view', timestamp: '2001-03-01T00:00:00Z' },
      { userId: 'jo', itemId: 'b', type: 'view', timestamp: '2002-03-01T00:00:00Z' },
      { userId: 'jo', itemId: 'a', type: 'view', timestamp: new Date(Date.now() - DAY).toISOString() },
    ]);
    await engine.close();
  });

  it('purges nothing with the default retention (0 = keep forever) and prints the report', async () => {
    const { code, stdout } = await kindred('purge-expired');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ purged: 0, cutoff: null });
    expect(await storedEvents()).toBe(3);
  });

  it('purges events older than privacy.retentionDays (environment) or --days, and prints what and when', async () => {
    vi.stubEnv('KINDRED_RETENTION_DAYS', '365');
    const { code, stdout } = await kindred('purge-expired');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as PurgeReport;
    expect(report.purged).toBe(2);
    expect(Date.parse(report.at) - Date.parse(report.cutoff ?? '')).toBe(365 * DAY);
    expect(await storedEvents()).toBe(1);

    const byFlag = JSON.parse((await kindred('purge-expired', '--days', '0.5')).stdout) as PurgeReport;
    expect(byFlag.purged).toBe(1);
    expect(await storedEvents()).toBe(0);
  });

  it('refuses a --days that is not a number (exit code 2)', async () => {
    expect((await kindred('purge-expired', '--days', 'soon')).code).toBe(2);
  });
});
