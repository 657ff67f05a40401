/**
 * Issue 11, faults: a store that cannot be reached (a PostgreSQL restart drops the connection; its adapter throws
 * STORE_UNAVAILABLE, as SQLite's does for a failing disk) answers 503 with Retry-After and the documented error body
 * on every route that touches it, and the server serves again by itself once the store answers.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { resolveConfig } from '../config/config.js';
import { EngineError } from '../core/errors.js';
import { silentLogger } from '../core/logger.js';
import { createEngine } from '../engine.js';
import type { Engine } from '../engine-types.js';
import { MemoryStore } from '../storage/memory/memory-store.js';
import { tasteGroups } from '../testkit/taste-groups.js';
import { startServer, type RunningServer } from './app.js';
import { RETRY_AFTER_SECONDS } from './errors.js';

const T0 = Date.parse('2024-03-01T00:00:00Z');
// Every data method of the store fails while the connection is "lost"; opening and closing do not.
const DATA_METHODS = Object.getOwnPropertyNames(MemoryStore.prototype)
  .filter((name) => !['constructor', 'migrate', 'close'].includes(name)) as Array<keyof MemoryStore & string>;

function loseConnection(): void {
  for (const name of DATA_METHODS) {
    vi.spyOn(MemoryStore.prototype, name as 'history').mockImplementation(() => {
      throw new EngineError('STORE_UNAVAILABLE', 'the store lost its connection; retry shortly', { store: 'memory' });
    });
  }
}

describe('a store that becomes unavailable under a running server', () => {
  let engine: Engine;
  let server: RunningServer;

  beforeAll(async () => {
    const config = resolveConfig({ store: { url: 'memory://' }, embeddings: { provider: 'none' }, train: { thread: 'main' }, models: { pollSeconds: 0 }, log: { level: 'silent' } });
    engine = await createEngine(config, { logger: silentLogger });
    const { items, events } = tasteGroups(T0);
    await engine.upsertItems(items);
    await engine.addEvents(events);
    await engine.train({ model: 'itemknn' });
    server = await startServer(engine, { host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await server.close();
    await engine.close();
  });

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${server.url}${path}`, {
      method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as unknown };
  };

  it('answers 503 with Retry-After and the error body on reads, writes and /healthz, then recovers by itself', async () => {
    expect((await call('GET', '/v1/users/u0/recommendations')).status).toBe(200);
    loseConnection();

    const requests: Array<[string, string, unknown?]> = [
      ['GET', '/v1/users/u0/recommendations?count=5'],
      ['POST', '/v1/events', { events: [{ userId: 'u0', itemId: 'sf1', type: 'view', timestamp: '2024-03-02T00:00:00Z' }] }],
      ['POST', '/v1/items', { items: [{ id: 'new', title: 'New' }] }],
      ['GET', '/v1/items/sf1'],
      ['GET', '/v1/status'],
      ['GET', '/healthz'],
    ];
    for (const [method, path, body] of requests) {
      const res = await call(method, path, body);
      expect(res, `${method} ${path}`).toEqual({
        status: 503,
        retryAfter: String(RETRY_AFTER_SECONDS),
        body: { error: { code: 'STORE_UNAVAILABLE', message: 'the store lost its connection; retry shortly', details: { store: 'memory' } } },
      });
    }

    vi.restoreAllMocks(); // the connection is back
    const again = await call('GET', '/v1/users/u0/recommendations?count=5');
    expect(again.status).toBe(200);
    expect(again.retryAfter).toBeNull();
    expect((await call('GET', '/healthz')).status).toBe(200);
  });

  it('sends Retry-After only with a 503', async () => {
    const missing = await call('GET', '/v1/items/no-such-item');
    expect(missing.status).toBe(404);
    expect(missing.retryAfter).toBeNull();
  });
});
