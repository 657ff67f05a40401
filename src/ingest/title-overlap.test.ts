import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../storage/registry.js';
import { importDataset } from './importer.js';

const dir = mkdtempSync(join(tmpdir(), 'kindred-overlap-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function items(name: string, titles: Record<string, string | undefined>): string {
  const path = join(dir, `${name}.jsonl`);
  writeFileSync(path, Object.entries(titles).map(([id, title]) => JSON.stringify({ kind: 'item', id, title })).join('\n') + '\n');
  return path;
}

describe('import into a store that holds another dataset', () => {
  it('counts ids stored under another title and warns naming --db; same titles or untitled items do not warn', async () => {
    const store = await openStore('memory://');
    const first = await importDataset(store, { path: items('first', { 50: 'Star Wars', 51: 'Fargo', 52: undefined }), format: 'jsonl', onError: 'abort' });
    expect(first.itemOverlap).toEqual({ existing: 0, retitled: 0 });
    expect(first.warnings).toEqual([]);

    const same = await importDataset(store, { path: items('same', { 50: 'Star Wars', 52: 'Heat' }), format: 'jsonl', onError: 'abort' });
    expect(same.itemOverlap).toEqual({ existing: 2, retitled: 0 });
    expect(same.warnings).toEqual([]);

    // batchSize 1: the check runs per written batch, against what was stored before the import began
    const other = await importDataset(store, {
      path: items('other', { 50: 'The Usual Suspects', 51: 'Fargo', 52: 'Casino', 60: 'Alien' }), format: 'jsonl', onError: 'abort', batchSize: 1,
    });
    expect(other.itemOverlap).toEqual({ existing: 3, retitled: 2 });
    expect(other.warnings).toHaveLength(1);
    expect(other.warnings[0]).toMatch(/^2 of the 4 imported items already existed in this store under a different title \(3 ids overlapped\)/);
    expect(other.warnings[0]).toContain('--db');
    await store.close();
  });
});
