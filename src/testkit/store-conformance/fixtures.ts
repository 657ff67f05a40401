/** Builders and assertions shared by the store conformance suite. */
import { expect } from 'vitest';
import { isEngineError, type ErrorCode } from '../../core/errors.js';
import type { Event, StoredEvent } from '../../core/types.js';
import type { Store } from '../../storage/store.js';

/** Lets each describe block reach the store its beforeEach opened. */
export interface StoreHandle {
  (): Store;
}

/** A 'view' event at `2024-01-01T00:00:<second>Z` unless overridden. */
export function ev(userId: string, itemId: string, second: number, extra: Partial<Event> = {}): Event {
  const ss = String(second).padStart(2, '0');
  return { userId, itemId, type: 'view', timestamp: `2024-01-01T00:00:${ss}.000Z`, ...extra };
}

/** Asserts that a promise rejects with an EngineError of the given code; returns the error for more checks. */
export async function expectEngineError(p: Promise<unknown>, code: ErrorCode): Promise<Record<string, unknown>> {
  const err: unknown = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isEngineError(err), `expected EngineError ${code}, got ${String(err)}`).toBe(true);
  if (!isEngineError(err)) return {};
  expect(err.code).toBe(code);
  return err.details;
}

/** Drains an async iterable of batches. */
export async function collect<T>(batches: AsyncIterable<T[]>): Promise<T[][]> {
  const out: T[][] = [];
  for await (const b of batches) out.push(b);
  return out;
}

/** Drains scanEvents into one list. */
export async function allEvents(store: Store): Promise<StoredEvent[]> {
  return (await collect(store.scanEvents())).flat();
}
