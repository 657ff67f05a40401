import { Worker } from 'node:worker_threads';

/**
 * Starts a worker thread on the module `name` beside the caller (`callerUrl` = the caller's import.meta.url): the
 * compiled `name.js` under dist/. When the caller itself runs from TypeScript source (vitest, tsx, `npm run bench`)
 * the entry is `name.ts`, so a small bootstrap first registers tsx's loader (a dev dependency, never needed from
 * dist/) inside the worker: `--import tsx` in execArgv is not honoured for workers, and tsx's CommonJS API cannot
 * register from one.
 *
 * @example const worker = startModuleWorker(import.meta.url, 'job-worker', workerData);
 */
export function startModuleWorker(callerUrl: string, name: string, workerData: unknown): Worker {
  if (!callerUrl.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, callerUrl), { workerData });
  const entry = new URL(`./${name}.ts`, callerUrl).href;
  const bootstrap = `
const { createRequire } = require('node:module');
const { pathToFileURL } = require('node:url');
const api = createRequire(${JSON.stringify(callerUrl)}).resolve('tsx/esm/api').replace(/\\.cjs$/, '.mjs');
import(pathToFileURL(api).href).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })
  .catch((err) => { console.error(err); process.exit(1); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}
