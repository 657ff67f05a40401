/**
 * `kindred serve --workers N`: one primary process forks N workers with node:cluster; each worker opens its own engine
 * and HTTP server on the same port (the primary hands connections out round-robin). The primary opens no engine: it
 * only supervises, restarting a worker that dies (with back-off) and stopping them all on SIGTERM/SIGINT.
 */
import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import { EngineError } from '../core/errors.js';
import type { Logger, LogFields } from '../core/logger.js';

/** The most workers `--workers` accepts: beyond a few per core they only compete for it. */
export const MAX_WORKERS = 256;
/** A worker that lived at least this long counts as having served; its death restarts it without extra delay. */
const STABLE_MS = 10_000;
/** Restart delays: 250 ms after a worker that was stable, doubling for each quick death in a row, at most 30 s. */
const FIRST_RESTART_MS = 250;
const MAX_RESTART_MS = 30_000;
/** How long a stopping worker may take (in-flight requests, closing the store) before it is killed. */
const STOP_TIMEOUT_MS = 15_000;

/** The message a primary sends a worker to stop it (as SIGTERM would, without racing a terminal's own SIGINT). */
const SHUTDOWN = 'kindred:shutdown';

/**
 * The worker count `--workers` names: a positive integer, or `0` / `auto` for one per core (os.availableParallelism).
 *
 * @example parseWorkers('auto') // 2 on a 2-core machine
 */
export function parseWorkers(raw: string): number {
  if (raw === 'auto' || raw === '0') return availableParallelism();
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < 1 || n > MAX_WORKERS) {
    throw new EngineError('INVALID_INPUT', `--workers must be auto, 0 (one per core) or a whole number from 1 to ${MAX_WORKERS}`, { path: '--workers' });
  }
  return n;
}

/** Delay before restarting a worker after `quickDeaths` deaths in a row, each within 10 s of its start. */
export function restartDelayMs(quickDeaths: number): number {
  return Math.min(FIRST_RESTART_MS * 2 ** Math.max(0, quickDeaths), MAX_RESTART_MS);
}

/** True in a process forked by `--workers` (it serves); false in the primary or a plain `kindred serve`. */
export function isServeWorker(): boolean {
  return cluster.isWorker;
}

/**
 * In a worker: the logger with `worker` (its cluster id) and `pid` on every line, and the primary's stop message
 * turned into the SIGTERM the serve command already handles. Call `leave()` after shutting down so the process exits
 * (the channel to the primary would keep it alive).
 *
 * @example const { logger, leave } = joinAsWorker(createLogger('info')); ...; leave();
 */
export function joinAsWorker(logger: Logger): { logger: Logger; leave: () => void } {
  const worker = cluster.worker;
  if (!worker) throw new EngineError('INTERNAL', 'joinAsWorker called outside a cluster worker');
  worker.on('message', (message: unknown) => {
    if (message === SHUTDOWN) process.emit('SIGTERM');
  });
  return {
    logger: withFields(logger, { worker: worker.id, pid: process.pid }),
    leave: () => {
      if (worker.isConnected()) worker.disconnect();
    },
  };
}

export interface PrimaryOptions {
  workers: number;
  logger: Logger;
}

/**
 * Runs the primary: forks `workers` workers (each re-runs this same command line), restarts any that dies, and on
 * SIGTERM/SIGINT asks every worker to stop (killing those still running after 15 s), resolving once all have exited.
 * A worker that dies before any worker ever listened (a bad store path, a port in use: it would die again) stops
 * them all instead, and the promise rejects.
 *
 * @example await runPrimary({ workers: parseWorkers('auto'), logger });
 */
export function runPrimary(opts: PrimaryOptions): Promise<void> {
  const { logger } = opts;
  const startedAt = new Map<number, number>();
  const restarts = new Set<NodeJS.Timeout>();
  let quickDeaths = 0;
  let anyListened = false;
  let stopping = false;
  let failed: EngineError | undefined;

  return new Promise((resolve, reject) => {
    const live = () => Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    const fork = () => {
      const worker = cluster.fork();
      startedAt.set(worker.id, performance.now());
    };
    const finishIfDone = () => {
      if (!stopping || live().length > 0) return;
      cluster.off('exit', onExit);
      cluster.off('listening', onListening);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      if (failed) reject(failed);
      else resolve();
    };
    function stop(): void {
      if (stopping) return;
      stopping = true;
      for (const timer of restarts) clearTimeout(timer);
      restarts.clear();
      logger.info('stopping workers', { workers: live().length });
      for (const worker of live()) {
        try {
          worker.send(SHUTDOWN);
        } catch {
          worker.process.kill('SIGTERM'); // its channel is already gone
        }
      }
      setTimeout(() => {
        for (const worker of live()) {
          logger.warn('worker did not stop in time; killing it', { worker: worker.id, pid: worker.process.pid });
          worker.process.kill('SIGKILL');
        }
      }, STOP_TIMEOUT_MS).unref();
      finishIfDone();
    }
    function onListening(worker: Worker): void {
      anyListened = true;
      logger.info('worker listening', { worker: worker.id, pid: worker.process.pid });
    }
    function onExit(worker: Worker, code: number | null, signal: string | null): void {
      const lived = performance.now() - (startedAt.get(worker.id) ?? 0);
      startedAt.delete(worker.id);
      if (stopping) return finishIfDone();
      const fields: LogFields = { worker: worker.id, pid: worker.process.pid, code, signal };
      if (!anyListened) {
        logger.error('a worker failed before any worker served; stopping', fields);
        failed = new EngineError('INTERNAL', 'a worker exited before serving (its own error is printed above); no worker was restarted', { code, signal });
        return stop();
      }
      quickDeaths = lived < STABLE_MS ? quickDeaths + 1 : 0;
      const delay = restartDelayMs(quickDeaths);
      logger.warn('worker exited; restarting it', { ...fields, restartInMs: delay });
      const timer = setTimeout(() => {
        restarts.delete(timer);
        if (!stopping) fork();
      }, delay);
      restarts.add(timer);
    }

    cluster.on('exit', onExit);
    cluster.on('listening', onListening);
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    logger.info('starting workers', { workers: opts.workers, pid: process.pid });
    for (let i = 0; i < opts.workers; i++) fork();
  });
}

function withFields(logger: Logger, extra: LogFields): Logger {
  return {
    debug: (msg, fields) => logger.debug(msg, { ...extra, ...fields }),
    info: (msg, fields) => logger.info(msg, { ...extra, ...fields }),
    warn: (msg, fields) => logger.warn(msg, { ...extra, ...fields }),
    error: (msg, fields) => logger.error(msg, { ...extra, ...fields }),
  };
}
