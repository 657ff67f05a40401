/**
 * Saved evaluation reports: `kindred eval --save <name>` writes `<name>.json` (the `--json` result) and `<name>.html`
 * into config eval.reportsDir; the HTTP API lists and serves them (GET /v1/eval/reports). Names are checked before
 * any path is built from them, so no name reaches outside the folder.
 */
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { relative, resolve, sep } from 'node:path';
import { EngineError } from '../../core/errors.js';
import type { EvalResult } from '../result.js';

/** A letter or digit, then letters, digits, `.`, `_` or `-`: no separators, no `..` segment, at most 64 characters. */
const REPORT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** One saved report in a listing. */
export interface SavedReportInfo {
  name: string;
  /** ISO-8601 time the report file was written. */
  createdAt: string;
  dataset: string;
  /** The result rows' names (models, pipeline rows), in report order. */
  models: string[];
  protocol: string;
  /** Whether an HTML report was written beside the JSON. */
  html: boolean;
}

/**
 * The name, or INVALID_INPUT (field `name`) for one that is not a plain file name.
 *
 * @example reportName('ml100k-ease') // 'ml100k-ease'; reportName('../etc') throws
 */
export function reportName(name: string): string {
  if (!REPORT_NAME.test(name)) {
    throw new EngineError('INVALID_INPUT', 'a report name is 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit', { field: 'name' });
  }
  return name;
}

/** The report's file in `dir`; the name is checked, and the path checked again to stay inside `dir`. */
function reportPath(dir: string, name: string, ext: 'json' | 'html'): string {
  const root = resolve(dir);
  const path = resolve(root, `${reportName(name)}.${ext}`);
  const rel = relative(root, path);
  if (rel.startsWith('..') || rel.includes(sep)) throw new EngineError('INVALID_INPUT', 'report name leaves the reports folder', { field: 'name' });
  return path;
}

const isMissing = (err: unknown): boolean => (err as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * Writes the result as `<name>.json` and the HTML report as `<name>.html` in `dir` (created when missing), replacing
 * a report of the same name. Returns the paths written.
 *
 * @example await saveReport('./kindred-reports', 'ml100k', result, renderHtmlReport(result))
 */
export async function saveReport(dir: string, name: string, result: EvalResult, html: string): Promise<{ json: string; html: string }> {
  const paths = { json: reportPath(dir, name, 'json'), html: reportPath(dir, name, 'html') };
  await mkdir(resolve(dir), { recursive: true });
  await writeFile(paths.json, JSON.stringify(result, null, 2) + '\n');
  await writeFile(paths.html, html);
  return paths;
}

/** What a listing shows of a parsed report; undefined for a JSON file that is not an evaluation result. */
function infoOf(name: string, parsed: unknown, createdAt: string, html: boolean): SavedReportInfo | undefined {
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const r = parsed as Partial<Record<keyof EvalResult, unknown>>;
  if (typeof r.dataset !== 'string' || typeof r.protocol !== 'string' || !Array.isArray(r.results)) return undefined;
  const models = r.results.map((m: unknown) => (typeof m === 'object' && m !== null && typeof (m as { model?: unknown }).model === 'string' ? (m as { model: string }).model : '?'));
  return { name, createdAt, dataset: r.dataset, models, protocol: r.protocol, html };
}

/**
 * The reports saved in `dir`, newest first; an absent folder lists none. Files that are not evaluation results (or
 * whose names a report could not have) are left out.
 *
 * @example (await listReports('./kindred-reports'))[0] // { name: 'ml100k', createdAt, dataset: 'ml-100k', models: ['ease'], protocol: 'recbole', html: true }
 */
export async function listReports(dir: string): Promise<SavedReportInfo[]> {
  let files: string[];
  try {
    files = await readdir(resolve(dir));
  } catch (err) {
    if (isMissing(err)) return [];
    throw err;
  }
  const names = files.filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length)).filter((n) => REPORT_NAME.test(n));
  const infos = await Promise.all(names.map(async (name) => {
    try {
      const path = reportPath(dir, name, 'json');
      const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
      return infoOf(name, JSON.parse(text), info.mtime.toISOString(), files.includes(`${name}.html`));
    } catch {
      return undefined; // unreadable or not JSON: not a report
    }
  }));
  return infos.filter((r): r is SavedReportInfo => r !== undefined).sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.name < b.name ? -1 : 1));
}

/**
 * The saved report's file content (JSON text or HTML); INVALID_INPUT for a bad name, NOT_FOUND when there is none.
 *
 * @example JSON.parse(await readReport('./kindred-reports', 'ml100k', 'json'))
 */
export async function readReport(dir: string, name: string, ext: 'json' | 'html'): Promise<string> {
  try {
    return await readFile(reportPath(dir, name, ext), 'utf8');
  } catch (err) {
    if (isMissing(err)) throw new EngineError('NOT_FOUND', ext === 'json' ? 'no saved report of that name' : 'no HTML report of that name', { id: name });
    throw err;
  }
}
