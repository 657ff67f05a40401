import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../core/clock.js';
import type { InteractionMatrix } from '../../core/interactions.js';
import { silentLogger } from '../../core/logger.js';
import type { Scored } from '../../core/types.js';
import type { ModelDefinition } from '../../models/definition.js';
import { InteractionsBuilder } from '../../models/interactions-builder.js';
import type { Model } from '../../models/model.js';
import { modelDefinition } from '../../models/registry.js';
import { tuneMainModel } from './tune.js';

/**
 * Two taste groups: 30 users read items a0-a9 (the popular cluster), 10 users read b0-b9. Popularity recommends
 * the a items to everyone; item-kNN keeps each group to its own cluster, so it is clearly better for the b users.
 */
function twoClusters(): InteractionMatrix {
  const b = new InteractionsBuilder();
  const t = Date.UTC(2024, 0, 1);
  for (let u = 0; u < 40; u++) {
    const cluster = u < 30 ? 'a' : 'b';
    for (let k = 0; k < 6; k++) b.add(`u${u}`, `${cluster}${(u + k * 3) % 10}`, 1, t + k);
  }
  return b.build();
}

/** A model that takes `seconds` of the fake clock to fit and recommends items in index order. */
function slowDefinition(name: string, seconds: number, clock: ReturnType<typeof fixedClock>): ModelDefinition<object> {
  const create = (params: object): Model<object> => ({
    name,
    params,
    fit: async () => { clock.advance(seconds * 1000); return { seconds }; },
    recommend: (q): Scored[] => Array.from({ length: q.k }, (_, index) => ({ index, score: q.k - index })),
    save: () => ({ name, params: { ...params }, meta: {}, arrays: {} }),
  });
  return {
    name, description: 'test', defaults: { x: 1 }, searchSpace: { x: { type: 'float', min: 0, max: 1 } },
    parseParams: (input) => ({ x: 1, ...input }), create, restore: () => create({}),
  };
}

describe('tuneMainModel', () => {
  it('chooses the model that is clearly better on validation, with its params and where they came from', async () => {
    const choice = await tuneMainModel(twoClusters(), { budgetSeconds: 600, models: ['popular', 'itemknn'], clock: fixedClock(0), logger: silentLogger });
    expect(choice.model).toBe('itemknn');
    const best = choice.summary.find((s) => s.model === 'itemknn')?.best ?? 0;
    expect(best).toBeGreaterThan(choice.summary.find((s) => s.model === 'popular')?.best ?? 1);
    expect(choice.trials.filter((t) => t.model === 'itemknn').map((t) => t.value)).toContain(choice.validMetrics['ndcg@10']);
    expect(choice.stopped).toBe('exhausted');
    // the first trial of each model is its defaults, then random draws of its search space
    expect(choice.trials.slice(0, 2).map((t) => t.model)).toEqual(['popular', 'itemknn']);
    expect(choice.trials[1].params).toEqual(modelDefinition('itemknn').parseParams({}));
    const chosenDefaults = JSON.stringify(choice.params) === JSON.stringify(choice.trials[1].params);
    expect(Object.values(choice.sources)).toContain(chosenDefaults ? 'default' : 'tuned');
  });

  it('starts a trial only when it and the final fit still fit in the budget', async () => {
    const clock = fixedClock(0);
    const slow = slowDefinition('slow', 10, clock);
    // fits take 10 s; the final fit is reserved at 12.5 s: trials start at 0, 10, 20, 30 s (30 + 10 + 12.5 ≤ 55), not at 40 s
    const choice = await tuneMainModel(twoClusters(), { budgetSeconds: 55, models: ['slow'], clock, logger: silentLogger, definition: () => slow });
    expect(choice.trials.length).toBe(4);
    expect(choice.stopped).toBe('budget');
    expect(choice.seconds).toBe(40);
  });

  it('always runs one trial, even when the budget is too small for it', async () => {
    const clock = fixedClock(0);
    const slow = slowDefinition('slow', 10, clock);
    const choice = await tuneMainModel(twoClusters(), { budgetSeconds: 1, models: ['slow'], clock, logger: silentLogger, definition: () => slow });
    expect(choice.trials.length).toBe(1);
    expect(choice.model).toBe('slow');
  });

  it('skips models that do not suit the data, and is cancelled by its signal', async () => {
    const opts = { budgetSeconds: 60, clock: fixedClock(0), logger: silentLogger };
    const choice = await tuneMainModel(twoClusters(), { ...opts, models: ['semantic', 'popular'] });
    expect(choice.skipped).toEqual([{ model: 'semantic', reason: 'needs item text embeddings' }]);
    await expect(tuneMainModel(twoClusters(), { ...opts, models: ['semantic'] })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const abort = new AbortController();
    abort.abort();
    await expect(tuneMainModel(twoClusters(), { ...opts, models: ['popular'], signal: abort.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
