import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FormatOptions, SourceRow } from '../source.js';
import { parseColumnMap } from './column-map.js';
import { csvFormat } from './csv.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kindred-csv-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

async function readAll(path: string, opts: FormatOptions = {}) {
  const reader = await csvFormat.open(path, opts);
  const rows: SourceRow[] = [];
  const notes: string[] = [];
  for await (const batch of reader.rows({ onBytes: () => {}, onNote: (n) => notes.push(n) })) rows.push(...batch);
  return { rows, notes };
}

const records = (rows: SourceRow[]) => rows.map((r) => ('record' in r ? [r.kind, r.line, r.record] : [r.kind, r.line, r.reason]));

describe('parseColumnMap', () => {
  it('parses field=column pairs with aliases left for resolution', () => {
    expect(parseColumnMap('user=uid, item=movie,value=stars,item.id=movieId')).toEqual({ user: 'uid', item: 'movie', value: 'stars', 'item.id': 'movieId' });
  });

  it('rejects malformed entries and unknown fields', () => {
    expect(() => parseColumnMap('user')).toThrow(/not field=column/);
    expect(() => parseColumnMap('colour=c')).toThrow(/"colour" is not a field/);
    expect(() => parseColumnMap('user.userId=u')).toThrow(/not a field/);
  });
});

describe('csv format', () => {
  it('reads a folder of items, users and events in that order, converting field types', async () => {
    const dir = folder({
      'events.csv': 'userId,itemId,type,value,timestamp,session\nu1,i1,rating,4.5,1700000000,s1\nu2,i2,view,,2024-01-01T00:00:00Z,s2\n',
      'items.csv': 'id,title,categories,tags,hidden,year,zip\ni1,"Dune, Part One",Sci-Fi|Drama,space,false,2021,02139\ni2,Plain,,,,,\n',
      'users.csv': 'id,age\nu1,31\n',
    });
    const { rows, notes } = await readAll(dir);
    expect(records(rows)).toEqual([
      ['item', 2, { id: 'i1', title: 'Dune, Part One', categories: ['Sci-Fi', 'Drama'], tags: ['space'], hidden: false, attributes: { year: 2021, zip: '02139' } }],
      ['item', 3, { id: 'i2', title: 'Plain' }],
      ['user', 2, { id: 'u1', attributes: { age: 31 } }],
      ['event', 2, { userId: 'u1', itemId: 'i1', type: 'rating', value: 4.5, timestamp: '2023-11-14T22:13:20.000Z' }],
      ['event', 3, { userId: 'u2', itemId: 'i2', type: 'view', timestamp: '2024-01-01T00:00:00Z' }],
    ]);
    expect(notes).toEqual(['events.csv: ignored columns session (events have no attributes)']);
  });

  it('maps columns, fills a constant event type and honours a delimiter', async () => {
    const dir = folder({ 'ratings.tsv': 'uid\tmovie\tstars\tts\n7\t42\t3\t1700000000\n' });
    const { rows } = await readAll(join(dir, 'ratings.tsv'), {
      kind: 'event', delimiter: '\t', eventType: 'rating', columns: parseColumnMap('user=uid,item=movie,value=stars,timestamp=ts'),
    });
    expect(records(rows)).toEqual([['event', 2, { userId: '7', itemId: '42', type: 'rating', value: 3, timestamp: '2023-11-14T22:13:20.000Z' }]]);
  });

  it('counts lines across quoted newlines and blank lines, and flags rows with a wrong field count', async () => {
    const dir = folder({ 'items.csv': 'id,text\r\na,"two\r\nlines"\r\n\r\nb,x,extra\r\nc,ok\r\n' });
    const { rows } = await readAll(dir);
    expect(records(rows)).toEqual([
      ['item', 2, { id: 'a', text: 'two\r\nlines' }],
      ['invalid', 5, 'expected 2 fields, found 3'],
      ['item', 6, { id: 'c', text: 'ok' }],
    ]);
  });

  it('keeps empty required fields so validation can name them', async () => {
    const dir = folder({ 'events.csv': 'userId,itemId,type,timestamp\n,i1,view,2024-01-01T00:00:00Z\n' });
    const { rows } = await readAll(dir);
    expect(records(rows)).toEqual([['event', 2, { userId: '', itemId: 'i1', type: 'view', timestamp: '2024-01-01T00:00:00Z' }]]);
  });

  it('explains a missing required column and an unknown file kind', async () => {
    const noType = folder({ 'events.csv': 'userId,itemId,timestamp\nu,i,1\n' });
    await expect(readAll(noType)).rejects.toThrow('events.csv:1: no column for type (map one with type=<column> or set eventType)');
    const odd = folder({ 'data.csv': 'id\n1\n' });
    await expect(readAll(join(odd, 'data.csv'))).rejects.toThrow(/cannot tell what data.csv holds/);
    await expect(readAll(folder({ 'other.csv': 'x\n' }))).rejects.toThrow(/holds none of items.csv, users.csv, events.csv/);
  });

  it('stops at broken quoting with the line, since the rest cannot be trusted', async () => {
    const dir = folder({ 'items.csv': 'id,title\na,ok\nb,"broken"x\n' });
    await expect(readAll(dir)).rejects.toThrow('items.csv:3: malformed CSV (invalid closing quote)');
  });

  it('notes column map entries that matched no column', async () => {
    const dir = folder({ 'items.csv': 'id\na\n' });
    const { notes } = await readAll(dir, { columns: { title: 'name' } });
    expect(notes).toEqual(['column map entries matched no column: title']);
  });

  it('applies a bare id mapping to items, never to event ids', async () => {
    const dir = folder({
      'items.csv': 'movieId,title\nm1,T\n',
      'events.csv': 'userId,movieId,type,timestamp\nu1,m1,view,2024-01-01T00:00:00Z\n',
    });
    const { rows } = await readAll(dir, { columns: parseColumnMap('id=movieId,item=movieId') });
    expect(records(rows)).toEqual([
      ['item', 2, { id: 'm1', title: 'T' }],
      ['event', 2, { userId: 'u1', itemId: 'm1', type: 'view', timestamp: '2024-01-01T00:00:00Z' }],
    ]);
  });
});
