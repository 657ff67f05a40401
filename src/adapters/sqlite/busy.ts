import { setTimeout as sleep } from 'node:timers/promises';
import { EngineError, isEngineError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { guard, isBusyCode } from './connection.js';

const FIRST_PAUSE_MS = 2;
const LONGEST_PAUSE_MS = 25;

/** True for the CONFLICT a busy database gives (retryWhileBusy waits and tries again on it). */
export function isBusyError(e: unknown): e is EngineError {
  return isEngineError(e) && e.code === 'CONFLICT' && typeof e.details.sqlite === 'string' && isBusyCode(e.details.sqlite);
}

/**
 * Runs a database call (through guard); while it meets SQLITE_BUSY, waits with timers (2 ms doubling to 25 ms) and
 * tries again, until `deadlineMs` have passed: then fails with CONFLICT. The wait never blocks the event loop, unlike
 * SQLite's own busy_timeout. The first attempt runs synchronously, so an unlocked database costs one call.
 *
 * @example const result = await retryWhileBusy(() => db.transaction(write).immediate(), 5000, logger);
 */
export async function retryWhileBusy<T>(fn: () => T, deadlineMs: number, logger?: Logger): Promise<T> {
  const started = performance.now();
  for (let pause = FIRST_PAUSE_MS; ; pause = Math.min(pause * 2, LONGEST_PAUSE_MS)) {
    try {
      return guard(fn, logger);
    } catch (e) {
      if (!isBusyError(e)) throw e;
      const waited = performance.now() - started;
      if (waited + pause > deadlineMs) {
        throw new EngineError('CONFLICT', `the database stayed locked by another writer (a bulk import?) for ${Math.round(waited)} ms; retry later`, {
          sqlite: e.details.sqlite, waitedMs: Math.round(waited), limitMs: deadlineMs,
        });
      }
      await sleep(pause);
    }
  }
}
