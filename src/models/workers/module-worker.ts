import { Worker } from 'node:worker_threads';

/**
 * Starts a worker thread running the module `entry` (a URL of a sibling .ts or .js file, resolved by the caller with
 * `new URL('./x.js', import.meta.url)`). From compiled dist/ the .js file runs as is; under tsx or vitest (the caller
 * is a .ts file) the worker first registers tsx's loader and then imports the .ts source. Unlike WorkerPool kernels,
 * the module may import others. Always `terminate()` the worker.
 *
 * @example const worker = startModuleWorker(new URL('./training-worker.js', import.meta.url), { shape })
 */
export function startModuleWorker(entry: URL, workerData: unknown): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, { workerData });
  const bootstrap = `
const { createRequire } = require('node:module');
const { pathToFileURL } = require('node:url');
const api = createRequire(${JSON.stringify(entry.href)}).resolve('tsx/esm/api').replace(/\\.cjs$/, '.mjs');
import(pathToFileURL(api).href).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); })
  .catch((err) => { console.error(err); process.exit(1); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}

/**
 * The URL of a worker module next to `callerUrl` (the caller's import.meta.url): `name`.ts when the caller runs from
 * TypeScript source, else `name`.js.
 *
 * @example startModuleWorker(siblingModule(import.meta.url, 'training-worker'), data)
 */
export function siblingModule(callerUrl: string, name: string): URL {
  return new URL(`./${name}${callerUrl.endsWith('.ts') ? '.ts' : '.js'}`, callerUrl);
}
