import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../config/config.js';
import { fixedClock } from '../../core/clock.js';
import { MemoryStore } from '../../storage/memory/memory-store.js';
import { compileFilter } from '../filters/compile.js';
import { createScenarioBook, SCENARIO_TTL_MS } from './scenario-book.js';

describe('scenario book', () => {
  const config = resolveConfig({ log: { level: 'silent' } });

  it("another process's write shows once the cached copy is older than the TTL; this process's own write at once", async () => {
    const store = new MemoryStore();
    const clock = fixedClock(0);
    const here = createScenarioBook({ store, config, clock, compile: compileFilter });
    const there = createScenarioBook({ store, config, clock, compile: compileFilter }); // another server on the store
    await here.put({ name: 'home', count: 3 });
    expect((await there.resolve('home')).scenario.count).toBe(3);
    await here.put({ name: 'home', count: 7 });
    expect((await here.resolve('home')).scenario.count).toBe(7);
    expect((await there.resolve('home')).scenario.count).toBe(3); // still its cached copy
    clock.advance(SCENARIO_TTL_MS);
    expect((await there.resolve('home')).scenario.count).toBe(7);
    await here.delete('home');
    clock.advance(SCENARIO_TTL_MS);
    await expect(there.resolve('home')).rejects.toMatchObject({ code: 'NOT_FOUND', details: { field: 'scenario' } });
  });

  it('merges recall overrides over the configured budgets; a channel config does not run starts from its default', async () => {
    const store = new MemoryStore();
    const book = createScenarioBook({ store, config: resolveConfig({ pipeline: { recall: { cf: { quota: 3, pad: 10, deadlineMs: 2000 } } } }), clock: fixedClock(0), compile: compileFilter });
    await book.put({ name: 'email', recall: { cf: { quota: 1 }, popular: { pad: 0 } } });
    const { config: merged, stages } = await book.resolve('email');
    expect(merged.pipeline.recall).toEqual({ cf: { quota: 1, pad: 10, deadlineMs: 2000 }, popular: { quota: 3, pad: 0, deadlineMs: 2000 } });
    expect(stages.recall.map((c) => c.name)).toEqual(['cf', 'popular']);
  });
});
