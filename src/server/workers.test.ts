import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { MAX_WORKERS, parseWorkers, restartDelayMs } from './workers.js';

// The cluster itself (forking, restarts, shutdown) is exercised through the built CLI in test/cli-workers.test.ts.
describe('parseWorkers', () => {
  it('reads a count, and auto or 0 as one worker per core', () => {
    expect(parseWorkers('3')).toBe(3);
    expect(parseWorkers('auto')).toBe(availableParallelism());
    expect(parseWorkers('0')).toBe(availableParallelism());
    expect(parseWorkers(String(MAX_WORKERS))).toBe(MAX_WORKERS);
  });

  it('refuses anything else with INVALID_INPUT', () => {
    for (const raw of ['', '-1', '1.5', 'two', '2x', String(MAX_WORKERS + 1), ' 2']) {
      expect(() => parseWorkers(raw), raw).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }) as unknown as Error);
    }
  });
});

describe('restartDelayMs', () => {
  it('restarts a worker that had been stable after 250 ms, and backs off doubling for quick deaths in a row, up to 30 s', () => {
    expect([0, 1, 2, 3].map(restartDelayMs)).toEqual([250, 500, 1000, 2000]);
    expect(restartDelayMs(7)).toBe(30_000);
    expect(restartDelayMs(50)).toBe(30_000);
  });
});
