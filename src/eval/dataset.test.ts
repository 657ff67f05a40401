import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testDataset } from '../testkit/datasets.js';
import { detectFormat, loadDataset } from './dataset.js';

const ml100k = testDataset('ml-100k');
const mlSmall = testDataset('ml-latest-small');

describe('loadDataset', () => {
  it.skipIf(!ml100k)('reads MovieLens 100K with genres', async () => {
    const t = await loadDataset(ml100k ?? '');
    expect(t.name).toBe('ml-100k');
    expect(t.user.length).toBe(100_000);
    expect(t.users.size).toBe(943);
    expect(t.items.size).toBe(1682);
    const toyStory = t.items.indexOf('1') ?? -1;
    expect(t.itemCategories?.[toyStory]).toEqual(['Animation', "Children's", 'Comedy']);
    expect(t.itemTitles?.[toyStory]).toBe('Toy Story (1995)');
    // first row of u.data: 196 242 3 881250949
    expect([t.users.idAt(t.user[0]), t.items.idAt(t.item[0]), t.rating[0], t.time[0]]).toEqual(['196', '242', 3, 881250949]);
  });

  it.skipIf(!mlSmall)('reads MovieLens latest-small with quoted titles', async () => {
    const t = await loadDataset(mlSmall ?? '', { format: 'movielens-latest' });
    expect(t.user.length).toBe(100_836);
    expect(t.users.size).toBe(610);
    expect(t.items.size).toBe(9724);
    const i = t.items.indexOf('11') ?? -1;
    expect(t.itemTitles?.[i]).toBe('American President, The (1995)');
    expect(t.itemCategories?.[i]).toEqual(['Comedy', 'Drama', 'Romance']);
    expect(t.rating[0]).toBe(4);
  });

  it('reads a generic CSV: named columns, quotes, ISO times, implicit ratings', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kindred-eval-'));
    const file = join(dir, 'events.csv');
    writeFileSync(file, 'customer_id,sku,when\n"u,1",A,2020-01-01T00:00:00Z\nu2,B,1577836800000\n');
    expect(detectFormat(file)).toBe('csv');
    const t = await loadDataset(file, { columns: { item: 'sku', time: 'when' } });
    expect(t.name).toBe('events');
    expect(t.users.ids()).toEqual(['u,1', 'u2']);
    expect(Array.from(t.rating)).toEqual([1, 1]);
    expect(Array.from(t.time)).toEqual([1577836800, 1577836800]);
  });

  it('rejects a CSV without a user column, and unknown layouts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kindred-eval-'));
    const file = join(dir, 'bad.csv');
    writeFileSync(file, 'a,b\n1,2\n');
    await expect(loadDataset(file)).rejects.toMatchObject({ code: 'IMPORT_FAILED' });
    await expect(loadDataset(dir)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
