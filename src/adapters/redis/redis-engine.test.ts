/**
 * The redis:// cache under an engine: two engines (two API servers) on one store share their lists through Redis,
 * and an engine whose Redis does not answer still recommends (computed live). Redis runs on 127.0.0.1:6379; each run
 * has its own key prefix, deleted afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../config/config.js';
import { fixedClock } from '../../core/clock.js';
import { silentLogger, type LogFields, type Logger } from '../../core/logger.js';
import { createEngine } from '../../engine.js';
import type { Engine, RecommendResult } from '../../engine-types.js';
import { deleteKeysUnder, testKeyPrefix } from '../../testkit/redis.js';
import { tasteGroups } from '../../testkit/taste-groups.js';

const T0 = Date.parse('2024-03-01T00:00:00Z');
const prefix = testKeyPrefix('redis-engine');
const dir = mkdtempSync(join(tmpdir(), 'kindred-redis-engine-'));
const engines: Engine[] = [];

afterAll(async () => {
  for (const e of engines) await e.close();
  const admin = new Redis({ host: '127.0.0.1', port: 6379 });
  await deleteKeysUnder(admin, [prefix]);
  admin.disconnect();
  rmSync(dir, { recursive: true, force: true });
});

const cachedHit = (r: RecommendResult) => r.trace.some((t) => t.stage === 'cached-list' && t.cached === true);

async function open(cacheUrl: string, logger: Logger = silentLogger): Promise<Engine> {
  const config = resolveConfig({
    store: { url: `sqlite://${join(dir, 'k.db')}` }, cache: { url: cacheUrl }, embeddings: { provider: 'none' }, train: { thread: 'main' }, models: { pollSeconds: 0 },
  });
  const engine = await createEngine(config, { logger, clock: fixedClock(T0 + 86_400_000) });
  engines.push(engine);
  return engine;
}

describe('engines sharing a redis:// cache', () => {
  it('a list computed by one server is served from the cache by another', async () => {
    const a = await open(`redis://127.0.0.1:6379/0?prefix=${prefix}`);
    const { items, events } = tasteGroups(T0);
    await a.upsertItems(items);
    await a.addEvents(events);
    await a.train({ model: 'itemknn' });
    const b = await open(`redis://127.0.0.1:6379/0?prefix=${prefix}`);

    const live = await a.recommend('u0', { count: 5 });
    expect(cachedHit(live)).toBe(false);
    const fromB = await b.recommend('u0', { count: 5 });
    expect(cachedHit(fromB)).toBe(true);
    expect(fromB.items).toEqual(live.items);
  });

  it('a server whose Redis does not answer still recommends, computing lists live, and warns', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as { port: number };
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const warnings: Array<LogFields | undefined> = [];
    const logger: Logger = { ...silentLogger, warn: (_msg, fields) => { warnings.push(fields); } };

    const down = await open(`redis://127.0.0.1:${port}/0?prefix=${prefix}`, logger);
    const first = await down.recommend('u1', { count: 5 });
    const second = await down.recommend('u1', { count: 5 });
    expect(first.items).toHaveLength(5);
    expect(second.items).toEqual(first.items);
    expect(cachedHit(second)).toBe(false);
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.every((f) => f?.server === `redis://127.0.0.1:${port}/0`)).toBe(true);
  });
});
