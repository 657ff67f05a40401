/**
 * Runs an async task under a hard deadline: the task gets an AbortSignal that fires at the deadline (or when the
 * caller's signal does), and the result settles by then even if the task ignores its signal.
 */

export type DeadlineOutcome<T> =
  | { ok: true; value: T }
  | { ok: false; reason: 'deadline' | 'cancelled' | 'error'; error?: unknown };

/**
 * Never resolves later than `deadlineMs` after the call.
 *
 * @example const r = await runWithDeadline(800, (signal) => llm.complete({ prompt, signal })); if (r.ok) use(r.value);
 */
export function runWithDeadline<T>(deadlineMs: number, task: (signal: AbortSignal) => Promise<T>, parent?: AbortSignal): Promise<DeadlineOutcome<T>> {
  if (parent?.aborted) return Promise.resolve({ ok: false, reason: 'cancelled' });
  const controller = new AbortController();
  return new Promise<DeadlineOutcome<T>>((resolve) => {
    let settled = false;
    const finish = (outcome: DeadlineOutcome<T>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParentAbort);
      if (!outcome.ok) controller.abort(); // stop whatever the task still has in flight
      resolve(outcome);
    };
    const onParentAbort = (): void => finish({ ok: false, reason: 'cancelled' });
    const timer = setTimeout(() => finish({ ok: false, reason: 'deadline' }), Math.max(0, deadlineMs));
    parent?.addEventListener('abort', onParentAbort, { once: true });
    let running: Promise<T>;
    try {
      running = task(controller.signal);
    } catch (error) {
      finish({ ok: false, reason: 'error', error });
      return;
    }
    running.then(
      (value) => finish({ ok: true, value }),
      (error: unknown) => finish({ ok: false, reason: 'error', error }),
    );
  });
}
