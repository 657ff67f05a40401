import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { sharedStoreUrl } from '../src/storage/shared-store-url.js';

// Runs the built CLI (npm test builds dist/ first).
const run = promisify(execFile);
const bin = resolve('bin/kindred.js');

describe('kindred serve --role', () => {
  it('refuses api and trainer roles on a store only one process can open, naming the setting', async () => {
    for (const [db, role] of [['memory://', 'api'], ['sqlite://:memory:', 'trainer']]) {
      const err = (await run(process.execPath, [bin, '--db', db, 'serve', '--role', role]).catch((e: unknown) => e)) as { code: number; stderr: string };
      expect(err.code).toBe(2);
      expect(err.stderr).toMatch(new RegExp(`^kindred: role ${role} works with other processes on one store`));
    }
    const bad = (await run(process.execPath, [bin, '--db', 'memory://', 'serve', '--role', 'worker']).catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Allowed choices are all, api, trainer/);
  });

  it('knows which store URLs other processes can share', () => {
    expect(['sqlite://./k.db', 'postgres://db/k', 'postgresql://db/k'].map(sharedStoreUrl)).toEqual([true, true, true]);
    expect(['memory://', 'sqlite://:memory:'].map(sharedStoreUrl)).toEqual([false, false]);
  });
});
