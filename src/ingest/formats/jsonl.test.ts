import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FormatOptions, SourceRow } from '../source.js';
import { jsonlFormat, jsonLineRow } from './jsonl.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kindred-jsonl-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

async function readAll(path: string, opts: FormatOptions = {}): Promise<SourceRow[]> {
  const rows: SourceRow[] = [];
  for await (const batch of (await jsonlFormat.open(path, opts)).rows({ onBytes: () => {} })) rows.push(...batch);
  return rows;
}

describe('jsonLineRow', () => {
  it('takes the kind from the line or the file, and strips the kind field', () => {
    expect(jsonLineRow('{"kind":"item","id":"a"}', undefined)).toEqual({ kind: 'item', record: { id: 'a' } });
    expect(jsonLineRow('{"id":"a"}', 'user')).toEqual({ kind: 'user', record: { id: 'a' } });
  });

  it('explains lines it cannot use', () => {
    expect(jsonLineRow('{"id":', undefined)).toBe('not valid JSON');
    expect(jsonLineRow('[1]', 'item')).toBe('not a JSON object');
    expect(jsonLineRow('{"id":"a"}', undefined)).toMatch(/no "kind" field/);
    expect(jsonLineRow('{"kind":"thing"}', undefined)).toBe('"kind" must be "item", "user" or "event"');
    expect(jsonLineRow('{"kind":"user","id":"a"}', 'item')).toBe('"kind" is user in a file of items');
  });
});

describe('jsonl format', () => {
  it('reads a mixed file with kind fields, skipping blank lines and keeping line numbers', async () => {
    const dir = folder({
      'data.jsonl': '\uFEFF{"kind":"item","id":"i1","title":"A"}\n\n{"kind":"event","userId":"u","itemId":"i1","type":"view","timestamp":"2024-01-01T00:00:00Z"}\r\nnot json\n',
    });
    const rows = await readAll(join(dir, 'data.jsonl'));
    expect(rows).toEqual([
      { kind: 'item', record: { id: 'i1', title: 'A' }, file: 'data.jsonl', line: 1 },
      { kind: 'event', record: { userId: 'u', itemId: 'i1', type: 'view', timestamp: '2024-01-01T00:00:00Z' }, file: 'data.jsonl', line: 3 },
      { kind: 'invalid', reason: 'not valid JSON', file: 'data.jsonl', line: 4 },
    ]);
  });

  it('reads a folder in items, users, events order, and a single file of a given kind', async () => {
    const dir = folder({
      'events.ndjson': '{"userId":"u","itemId":"i","type":"view","timestamp":"2024-01-01T00:00:00Z"}\n',
      'items.jsonl': '{"id":"i"}\n',
      'users.jsonl': '{"id":"u"}',
    });
    expect((await readAll(dir)).map((r) => r.kind)).toEqual(['item', 'user', 'event']);
    const single = folder({ 'people.jsonl': '{"id":"u1"}\n' });
    expect(await readAll(join(single, 'people.jsonl'), { kind: 'user' }))
      .toEqual([{ kind: 'user', record: { id: 'u1' }, file: 'people.jsonl', line: 1 }]);
    await expect(readAll(dir, { kind: 'user' })).rejects.toThrow(/applies to a single file/);
  });

  it('reads lines split across read chunks intact', async () => {
    const n = 5000;
    const lines = Array.from({ length: n }, (_, i) => JSON.stringify({ id: `item-${i}`, text: 'x'.repeat(i % 97) }));
    const dir = folder({ 'items.jsonl': lines.join('\n') });
    const rows = await readAll(dir);
    expect(rows).toHaveLength(n);
    expect(rows.every((r, i) => r.kind === 'item' && r.line === i + 1 && (r.record as { id: string }).id === `item-${i}`)).toBe(true);
  });
});
