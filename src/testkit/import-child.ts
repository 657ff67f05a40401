/**
 * An import in another process, for tests that need a second writer on a shared store (a killed import, an import
 * during HTTP traffic): a synthetic JSONL event file, and a child process that imports it through the real modules
 * (via tsx) into the store at a URL (a SQLite file, a PostgreSQL schema) and prints each progress report, then
 * `{ done }`, as JSON lines on stdout.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

/** One line the child prints: a progress report (`records` read so far) or the final counts. */
export interface ImportChildMessage {
  records?: number;
  done?: unknown;
}

/**
 * Writes `events` view events over `users` users and `items` items, one per second from 2024-01-01, as JSONL.
 *
 * @example await writeSyntheticEvents('/tmp/e.jsonl', { events: 300_000, users: 1000, items: 2000 })
 */
export async function writeSyntheticEvents(path: string, size: { events: number; users: number; items: number }): Promise<void> {
  const out = createWriteStream(path);
  const start = Date.UTC(2024, 0, 1);
  for (let i = 0; i < size.events; i++) {
    const line = JSON.stringify({ userId: `u${i % size.users}`, itemId: `i${(i * 7919) % size.items}`, type: 'view', timestamp: new Date(start + i * 1000).toISOString() });
    if (!out.write(line + '\n')) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r, j) => out.end((e?: Error | null) => (e ? j(e) : r())));
}

/**
 * Writes the child script into `dir` and returns a function that starts it on a store URL and a JSONL file; each
 * line it prints reaches `onMessage`.
 *
 * @example const start = importChild(dir); const child = start(`sqlite://${dbPath}`, dataPath, (m) => m.done && console.log('done'));
 */
export function importChild(dir: string, opts: { batchSize?: number } = {}) {
  const src = resolve('src');
  const scriptPath = join(dir, 'import-child.mjs');
  writeFileSync(scriptPath, `
const [storeUrl, data] = process.argv.slice(2);
const { openStore } = await import(${JSON.stringify(pathToFileURL(join(src, 'storage/registry.ts')).href)});
const { importDataset } = await import(${JSON.stringify(pathToFileURL(join(src, 'ingest/importer.ts')).href)});
const store = await openStore(storeUrl);
const report = await importDataset(store, { path: data, format: 'jsonl', onError: 'abort', batchSize: ${opts.batchSize ?? 'undefined'},
  onProgress: (p) => process.stdout.write(JSON.stringify(p) + '\\n') });
process.stdout.write(JSON.stringify({ done: report.counts }) + '\\n');
await store.close();
`);
  return (storeUrl: string, dataPath: string, onMessage: (msg: ImportChildMessage) => void): ChildProcess => {
    const child = spawn(process.execPath, ['--import', 'tsx', scriptPath, storeUrl, dataPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    createInterface({ input: child.stdout as NonNullable<typeof child.stdout> }).on('line', (line) => onMessage(JSON.parse(line) as ImportChildMessage));
    return child;
  };
}
