import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isEngineError } from '../core/errors.js';
import { openStore } from './registry.js';

const dir = mkdtempSync(join(tmpdir(), 'kindred-open-existing-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('openStore with create: false', () => {
  it('fails with NOT_FOUND naming the path and creates neither the file nor its folder', async () => {
    const file = join(dir, 'typo', 'kindred.db');
    const err: unknown = await openStore(`sqlite://${file}`, { create: false }).then(() => undefined, (e: unknown) => e);
    expect(isEngineError(err) && err.code).toBe('NOT_FOUND');
    expect((err as Error).message).toContain(file);
    expect(existsSync(join(dir, 'typo'))).toBe(false);
  });

  it('opens an existing store, and memory stores are unaffected', async () => {
    const url = `sqlite://${join(dir, 'real.db')}`;
    await (await openStore(url)).close();
    const store = await openStore(url, { create: false });
    expect(await store.counts()).toEqual({ items: 0, users: 0, events: 0 });
    await store.close();
    for (const memory of ['memory://', 'sqlite://:memory:']) await (await openStore(memory, { create: false })).close();
  });
});
