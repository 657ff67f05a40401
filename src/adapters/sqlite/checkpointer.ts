import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often each database's WAL is checkpointed (PASSIVE: copies what it can, never waits for a lock). */
const CHECKPOINT_EVERY_MS = 500;

// CommonJS, run with `eval`: needs no file of its own, so it works the same from src/ (tests) and dist/.
const WORKER_CODE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const dbs = new Map();
setInterval(() => {
  for (const db of dbs.values()) {
    try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy or gone: the next round tries again */ }
  }
}, workerData.everyMs);
parentPort.on('message', (m) => {
  if (m.op === 'add') {
    try { dbs.set(m.id, new Database(m.path, { timeout: 0, fileMustExist: true })); } catch { /* the store reports file problems */ }
  } else if (m.op === 'remove') {
    const db = dbs.get(m.id);
    dbs.delete(m.id);
    try { db && db.close(); } catch { /* closing a broken file */ }
    parentPort.postMessage({ op: 'removed', id: m.id });
  }
});
`;

let worker: Worker | undefined;
let failed = false;
let nextId = 1;
/** Per registered file: what to do if the worker dies, and the pending close, if any. */
const registrations = new Map<number, { onFailure: () => void; closed?: () => void }>();

function startWorker(): Worker {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const w = new Worker(WORKER_CODE, { eval: true, workerData: { driver, everyMs: CHECKPOINT_EVERY_MS } });
  w.unref(); // never keeps the process alive, except while a close waits for its answer
  w.on('message', (m: { op: string; id: number }) => {
    if (m.op !== 'removed') return;
    registrations.get(m.id)?.closed?.();
    registrations.delete(m.id);
    if (![...registrations.values()].some((r) => r.closed)) w.unref();
  });
  w.on('error', () => {
    failed = true;
    worker = undefined;
    for (const r of registrations.values()) {
      r.onFailure();
      r.closed?.();
    }
    registrations.clear();
  });
  return w;
}

/**
 * Moves WAL checkpoints off the event loop. SQLite checkpoints on the committing connection by default: after an
 * import publishes 300,000 events, the next small API write would copy tens of MB into the database file while every
 * other request waits. Connections of a store turn that off (wal_autocheckpoint=0) and register their file here; one
 * worker thread per process checkpoints every registered file twice a second. Should the worker fail, `onFailure`
 * lets the store return to SQLite's own checkpoints. Returns the function that unregisters (await it before deleting
 * the file).
 *
 * @example const stop = registerCheckpoints('/data/kindred.db', () => db.pragma('wal_autocheckpoint = 1000')); await stop();
 */
export function registerCheckpoints(path: string, onFailure: () => void): () => Promise<void> {
  if (failed) {
    onFailure();
    return async () => undefined;
  }
  try {
    worker ??= startWorker();
  } catch {
    failed = true; // no worker threads here: SQLite's own checkpoints it is
    onFailure();
    return async () => undefined;
  }
  const w = worker;
  const id = nextId++;
  registrations.set(id, { onFailure });
  w.postMessage({ op: 'add', id, path });
  return () => new Promise<void>((resolve) => {
    const r = registrations.get(id);
    if (!r || worker !== w) return resolve();
    r.closed = resolve;
    w.ref();
    w.postMessage({ op: 'remove', id });
  });
}
