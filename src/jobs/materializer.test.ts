import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig, type ConfigInput } from '../config/config.js';
import { fixedClock } from '../core/clock.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { createEngine } from '../engine.js';
import { tasteGroups } from '../testkit/taste-groups.js';
import type { Engine, RecommendResult } from '../engine-types.js';

const DAY = 86_400_000;
const T0 = Date.parse('2024-03-01T00:00:00Z');
const iso = (ms: number) => new Date(T0 + ms).toISOString();

const cachedHit = (r: RecommendResult) => r.trace.some((t) => t.stage === 'cached-list' && t.cached === true);

describe('precomputing the lists of inactive users', () => {
  const engines: Engine[] = [];
  afterEach(async () => {
    for (const e of engines.splice(0)) await e.close();
  });

  /** An engine 30 days after the events, where u1 came back yesterday (active within 7 days). */
  async function open(input: ConfigInput = {}, logger: Logger = silentLogger): Promise<Engine> {
    const config = resolveConfig({ store: { url: 'sqlite://:memory:' }, embeddings: { provider: 'none' }, train: { thread: 'main' }, models: { pollSeconds: 0 }, ...input });
    const engine = await createEngine(config, { logger, clock: fixedClock(T0 + 30 * DAY) });
    engines.push(engine);
    const { items, events } = tasteGroups(T0);
    await engine.upsertItems(items);
    await engine.addEvents([...events, { userId: 'u1', itemId: 'sf19', type: 'like', timestamp: iso(29 * DAY) }]);
    await engine.train({ model: 'itemknn' });
    return engine;
  }

  it('writes every inactive user\'s list, which the next request serves as computed live', async () => {
    const e = await open();
    const report = await e.precomputeLists({ inactiveDays: 7 });
    expect(report).toMatchObject({ users: 12, computed: 11, active: 1, alreadyCached: 0, skipped: 0 });
    const served = await e.recommend('u0');
    expect(cachedHit(served)).toBe(true);
    const live = await (await open({ pipeline: { cacheLists: false } })).recommend('u0');
    expect(served.items.map((r) => [r.itemId, r.reasons])).toEqual(live.items.map((r) => [r.itemId, r.reasons]));
    // u1 had an event yesterday: active, so computed live on request.
    expect(cachedHit(await e.recommend('u1'))).toBe(false);
  });

  it('finds the lists already there on a second pass, and leaves a user with a new event to be computed live', async () => {
    const e = await open();
    await e.precomputeLists({ inactiveDays: 7 });
    expect(await e.precomputeLists({ inactiveDays: 7 })).toMatchObject({ computed: 0, alreadyCached: 11, active: 1 });
    await e.addEvents([{ userId: 'u0', itemId: 'sf18', type: 'like', timestamp: iso(30 * DAY - 1000) }]);
    const next = await e.recommend('u0');
    expect(cachedHit(next)).toBe(false);
    expect(next.items.map((r) => r.itemId)).not.toContain('sf18');
  });

  it('counts every user as active when the window covers their last event', async () => {
    const e = await open();
    expect(await e.precomputeLists({ inactiveDays: 60 })).toMatchObject({ computed: 0, active: 12 });
  });

  it('stops with CANCELLED when its signal is aborted', async () => {
    const e = await open();
    const abort = new AbortController();
    abort.abort();
    await expect(e.precomputeLists({ signal: abort.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('runs in the background after each training when pipeline.precompute is on', async () => {
    const done: Array<Record<string, unknown>> = [];
    const logger: Logger = { ...silentLogger, info: (msg, fields) => { if (msg === 'precomputed lists') done.push(fields ?? {}); } };
    const e = await open({ pipeline: { precompute: true } }, logger);
    for (let i = 0; i < 200 && done.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(done[0]).toMatchObject({ computed: 11, active: 1 });
    expect(cachedHit(await e.recommend('u0'))).toBe(true);
  });
});
