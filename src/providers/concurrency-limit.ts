/**
 * Runs at most `limit` async tasks at once; later ones wait in FIFO order. A waiting task whose signal aborts
 * leaves the queue and rejects with EngineError CANCELLED without ever starting.
 */
import { EngineError } from '../core/errors.js';

export interface ConcurrencyLimit {
  run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** Tasks running now (for tests and metrics). */
  readonly active: number;
  readonly waiting: number;
}

/**
 * Creates a limiter.
 *
 * @example const limit = createConcurrencyLimit(4); await Promise.all(batches.map((b) => limit.run(() => send(b))));
 */
export function createConcurrencyLimit(limit: number): ConcurrencyLimit {
  if (!Number.isInteger(limit) || limit < 1) throw new EngineError('INVALID_CONFIG', 'concurrency must be a positive integer', { path: 'concurrency' });
  let active = 0;
  const queue: (() => void)[] = [];

  const release = (): void => {
    active--;
    queue.shift()?.();
  };

  const acquire = (signal?: AbortSignal): Promise<void> => {
    if (signal?.aborted) return Promise.reject(new EngineError('CANCELLED', 'request cancelled'));
    if (active < limit) {
      active++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const start = (): void => {
        signal?.removeEventListener('abort', onAbort);
        active++;
        resolve();
      };
      const onAbort = (): void => {
        const i = queue.indexOf(start);
        if (i >= 0) queue.splice(i, 1);
        reject(new EngineError('CANCELLED', 'request cancelled'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      queue.push(start);
    });
  };

  return {
    async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
      await acquire(signal);
      try {
        return await task();
      } finally {
        release();
      }
    },
    get active() { return active; },
    get waiting() { return queue.length; },
  };
}
