import { describe, expect, it } from 'vitest';
import { createConcurrencyLimit } from './concurrency-limit.js';
import { LruMap } from './lru-map.js';

describe('concurrency limit', () => {
  it('runs at most `limit` tasks at once, in FIFO order', async () => {
    const limit = createConcurrencyLimit(2);
    const started: number[] = [];
    let running = 0;
    let peak = 0;
    const task = (i: number) => limit.run(async () => {
      started.push(i);
      peak = Math.max(peak, ++running);
      await new Promise((r) => setTimeout(r, 10));
      running--;
      return i;
    });
    expect(await Promise.all([0, 1, 2, 3, 4].map(task))).toEqual([0, 1, 2, 3, 4]);
    expect(peak).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4]);
  });

  it('frees the slot when a task fails', async () => {
    const limit = createConcurrencyLimit(1);
    await expect(limit.run(async () => { throw new Error('x'); })).rejects.toThrow('x');
    expect(await limit.run(async () => 'next')).toBe('next');
    expect(limit.active).toBe(0);
  });

  it('drops a waiting task whose signal aborts, without running it', async () => {
    const limit = createConcurrencyLimit(1);
    let release: () => void = () => undefined;
    const first = limit.run(() => new Promise<void>((r) => { release = r; }));
    const controller = new AbortController();
    let ran = false;
    const waiting = limit.run(async () => { ran = true; }, controller.signal);
    expect(limit.waiting).toBe(1);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(limit.waiting).toBe(0);
    release();
    await first;
    expect(ran).toBe(false);
  });

  it('rejects a limit below 1', () => {
    expect(() => createConcurrencyLimit(0)).toThrow(/positive integer/);
  });
});

describe('LruMap', () => {
  it('evicts the least recently used entry', () => {
    const m = new LruMap<string, number>(2);
    m.set('a', 1);
    m.set('b', 2);
    expect(m.get('a')).toBe(1); // a is now the most recent
    m.set('c', 3);
    expect(m.get('b')).toBeUndefined();
    expect(m.get('a')).toBe(1);
    expect(m.get('c')).toBe(3);
    expect(m.size).toBe(2);
  });

  it('stores nothing with capacity 0', () => {
    const m = new LruMap<string, number>(0);
    m.set('a', 1);
    expect(m.get('a')).toBeUndefined();
  });
});
