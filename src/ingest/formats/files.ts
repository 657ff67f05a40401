/** File-system checks shared by the formats: clear INVALID_INPUT errors instead of ENOENT stack traces. */
import { existsSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { EngineError } from '../../core/errors.js';

export interface DatasetFile {
  path: string;
  /** Shown in skipped rows and errors, e.g. "u.data". */
  name: string;
  bytes: number;
}

export function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

/** The folder a dataset format needs; throws INVALID_INPUT naming the format when it is missing or a file. */
export function requireDirectory(path: string, format: string): void {
  if (!isDirectory(path)) {
    throw new EngineError('INVALID_INPUT', `format ${format} expects a folder, and ${path} is not one`, { path });
  }
}

/** A file inside `dir`, or undefined when absent. */
export function optionalFile(dir: string, name: string): DatasetFile | undefined {
  const path = join(dir, name);
  if (!existsSync(path) || !statSync(path).isFile()) return undefined;
  return { path, name, bytes: statSync(path).size };
}

/** A file inside `dir` that the format cannot do without. */
export function requiredFile(dir: string, name: string, format: string): DatasetFile {
  const f = optionalFile(dir, name);
  if (!f) throw new EngineError('INVALID_INPUT', `format ${format}: ${name} not found in ${dir}`, { path: join(dir, name) });
  return f;
}

/** A single file given directly as the path. */
export function singleFile(path: string): DatasetFile {
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new EngineError('INVALID_INPUT', `${path} is neither a file nor a folder`, { path });
  }
  return { path, name: basename(path), bytes: statSync(path).size };
}
