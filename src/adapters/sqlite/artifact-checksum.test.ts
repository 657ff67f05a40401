import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../storage/registry.js';
import { expectEngineError } from '../../testkit/store-conformance/fixtures.js';

describe('sqlite artifact checksums', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('refuses a blob changed on disk after it was saved (STORE_CORRUPT), and still loads the other versions', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kindred-checksum-'));
    dirs.push(dir);
    const path = join(dir, 'k.db');
    const store = await openStore(`sqlite://${path}`);
    await store.saveArtifact('bundle', new Uint8Array([1, 2, 3]));
    await store.saveArtifact('bundle', new Uint8Array([4, 5, 6]));
    const raw = new Database(path);
    raw.prepare('UPDATE artifacts SET blob = ? WHERE name = ? AND version = ?').run(Buffer.from([4, 5, 7]), 'bundle', 2);
    raw.close();
    const details = await expectEngineError(store.loadArtifact('bundle'), 'STORE_CORRUPT');
    expect(details).toEqual({ name: 'bundle', version: 2 });
    expect((await store.loadArtifact('bundle', 1))?.blob).toStrictEqual(new Uint8Array([1, 2, 3]));
    await store.close();
  });

  it('loads versions saved before checksums existed (NULL checksum) without checking them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kindred-checksum-'));
    dirs.push(dir);
    const path = join(dir, 'k.db');
    const store = await openStore(`sqlite://${path}`);
    await store.saveArtifact('bundle', new Uint8Array([9]));
    const raw = new Database(path);
    raw.prepare('UPDATE artifacts SET checksum = NULL').run();
    raw.close();
    const loaded = await store.loadArtifact('bundle');
    expect(loaded?.blob).toStrictEqual(new Uint8Array([9]));
    expect(loaded?.checksum).toBeUndefined();
    await store.close();
  });
});
