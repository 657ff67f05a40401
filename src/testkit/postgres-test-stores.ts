/**
 * The stores a PostgreSQL test file opens, closed after each test before its schemas are dropped (kept apart from
 * ./postgres.ts, which benches import too, because this registers a vitest hook).
 */
import { afterEach } from 'vitest';
import { dropTestSchemas } from './postgres.js';

/**
 * Registers an afterEach that closes every store handed to the returned function during the test (in order), then
 * drops the test schemas. The returned function passes the store through.
 *
 * @example const closeAfterTest = storesClosedAfterEach<Store>(); const store = closeAfterTest(await openStore(withTestSchema()));
 */
export function storesClosedAfterEach<S extends { close(): Promise<void> }>(): (store: S) => S {
  const opened: S[] = [];
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
    await dropTestSchemas();
  });
  return (store) => {
    opened.push(store);
    return store;
  };
}
