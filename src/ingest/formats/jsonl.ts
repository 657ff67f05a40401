/**
 * JSON lines: one JSON object per line. A folder holds items.jsonl, users.jsonl and/or events.jsonl (or .ndjson);
 * a single file's kind comes from the `kind` option or its name, else each object says it in a `kind` field
 * ("item", "user" or "event"), which is removed before validation.
 */
import type { DatasetFormat, DatasetReader, FormatOptions, ReadContext, SourceRow } from '../source.js';
import { readLineBatches } from '../line-stream.js';
import type { RecordKind } from '../validate.js';
import { kindFiles, type KindFile } from './kind-files.js';

const NAME = 'jsonl';
const KINDS = new Set<string>(['item', 'user', 'event']);

/** One line as a row: the object with its kind, or why it cannot be one. */
export function jsonLineRow(text: string, fileKind: RecordKind | undefined): { kind: RecordKind; record: unknown } | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'not valid JSON';
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'not a JSON object';
  const obj = parsed as Record<string, unknown>;
  if (!('kind' in obj)) {
    return fileKind ? { kind: fileKind, record: obj } : 'no "kind" field (item, user or event), and the file name does not say';
  }
  const { kind, ...record } = obj;
  if (typeof kind !== 'string' || !KINDS.has(kind)) return '"kind" must be "item", "user" or "event"';
  if (fileKind && kind !== fileKind) return `"kind" is ${kind} in a file of ${fileKind}s`;
  return { kind: kind as RecordKind, record };
}

async function* fileRows({ file, kind }: KindFile, ctx: ReadContext): AsyncIterable<SourceRow[]> {
  for await (const { lines, firstLine } of readLineBatches(file.path, 'utf8', ctx)) {
    const rows: SourceRow[] = [];
    for (let i = 0; i < lines.length; i++) {
      // A byte-order mark may open the first line.
      const text = i === 0 && firstLine === 1 ? lines[i].replace(/^\uFEFF/, '') : lines[i];
      if (text.trim() === '') continue;
      const out = jsonLineRow(text, kind);
      const line = firstLine + i;
      rows.push(typeof out === 'string'
        ? { kind: 'invalid', reason: out, file: file.name, line }
        : { kind: out.kind, record: out.record, file: file.name, line });
    }
    if (rows.length > 0) yield rows;
  }
}

export const jsonlFormat: DatasetFormat = {
  name: NAME,
  description: 'JSON lines: items/users/events.jsonl (a folder of them, or one file; mixed files need a "kind" field)',
  options: ['kind'],
  async open(path: string, opts: FormatOptions): Promise<DatasetReader> {
    const files = kindFiles(path, ['jsonl', 'ndjson'], NAME, opts.kind, true);
    return {
      files: files.map((f) => f.file),
      async *rows(ctx: ReadContext): AsyncIterable<SourceRow[]> {
        for (const f of files) yield* fileRows(f, ctx);
      },
    };
  },
};
