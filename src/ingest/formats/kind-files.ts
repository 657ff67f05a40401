/** Which record kind each file holds, for the generic formats (csv, jsonl): by file name, option or folder layout. */
import { basename, extname, join } from 'node:path';
import { EngineError } from '../../core/errors.js';
import type { RecordKind } from '../validate.js';
import { isDirectory, optionalFile, singleFile, type DatasetFile } from './files.js';

export interface KindFile {
  file: DatasetFile;
  /** Undefined when the rows must say it themselves (jsonl `kind` field). */
  kind?: RecordKind;
}

const KIND_BY_STEM: Record<string, RecordKind> = { items: 'item', users: 'user', events: 'event' };
const ORDER: RecordKind[] = ['item', 'user', 'event'];

/** "events.csv" -> 'event'; undefined for other names. */
export function kindFromFileName(name: string): RecordKind | undefined {
  return KIND_BY_STEM[basename(name, extname(name)).toLowerCase()];
}

/**
 * The files to read, items first so that events find their items: a folder holds items/users/events.<ext>
 * (any of them); a single file's kind comes from `kind`, else from its name, else (when `rowsMayCarryKind`) from
 * each row.
 *
 * @example kindFiles('./data', ['csv'], 'csv', undefined, false) // [{ file: items.csv, kind: 'item' }, ...]
 */
export function kindFiles(
  path: string, extensions: readonly string[], format: string, kind: RecordKind | undefined, rowsMayCarryKind: boolean,
): KindFile[] {
  if (isDirectory(path)) {
    if (kind) throw new EngineError('INVALID_INPUT', `format ${format}: "kind" applies to a single file, and ${path} is a folder`);
    const found: KindFile[] = [];
    for (const k of ORDER) {
      for (const ext of extensions) {
        const file = optionalFile(path, `${k}s.${ext}`);
        if (file) found.push({ file, kind: k });
      }
    }
    if (found.length === 0) {
      const names = ORDER.map((k) => `${k}s.${extensions[0]}`).join(', ');
      throw new EngineError('INVALID_INPUT', `format ${format}: ${path} holds none of ${names}`, { path: join(path) });
    }
    return found;
  }
  const file = singleFile(path);
  const resolved = kind ?? kindFromFileName(file.name);
  if (!resolved && !rowsMayCarryKind) {
    throw new EngineError('INVALID_INPUT',
      `format ${format}: cannot tell what ${file.name} holds; name it items/users/events.${extensions[0]} or pass kind`,
      { path });
  }
  return [{ file, kind: resolved }];
}
