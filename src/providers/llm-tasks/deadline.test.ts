import { describe, expect, it } from 'vitest';
import { runWithDeadline } from './deadline.js';

describe('runWithDeadline', () => {
  it('returns the value of a task that finishes in time', async () => {
    expect(await runWithDeadline(1000, async () => 42)).toEqual({ ok: true, value: 42 });
  });

  it('resolves at the deadline even when the task ignores its signal, and aborts the task', async () => {
    let taskSignal: AbortSignal | undefined;
    const started = performance.now();
    const outcome = await runWithDeadline(50, (signal) => { taskSignal = signal; return new Promise<number>(() => undefined); });
    expect(outcome).toEqual({ ok: false, reason: 'deadline' });
    expect(performance.now() - started).toBeLessThan(500);
    expect(taskSignal?.aborted).toBe(true);
  });

  it('reports task errors, synchronous throws included', async () => {
    const failed = await runWithDeadline(1000, async () => { throw new Error('boom'); });
    expect(failed).toMatchObject({ ok: false, reason: 'error' });
    const threw = await runWithDeadline(1000, () => { throw new Error('sync'); });
    expect(threw).toMatchObject({ ok: false, reason: 'error' });
  });

  it('stops when the caller cancels, before or during the task', async () => {
    expect(await runWithDeadline(1000, async () => 1, AbortSignal.abort())).toEqual({ ok: false, reason: 'cancelled' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    expect(await runWithDeadline(5000, () => new Promise(() => undefined), controller.signal)).toEqual({ ok: false, reason: 'cancelled' });
  });
});
