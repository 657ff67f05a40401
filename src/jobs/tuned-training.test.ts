import { afterEach, describe, expect, it } from 'vitest';
import { modelsTable } from '../cli/commands/models.js';
import { budgetSeconds, trainSummary } from '../cli/commands/train.js';
import { resolveConfig } from '../config/config.js';
import { silentLogger } from '../core/logger.js';
import type { Event, Item } from '../core/types.js';
import { createEngine } from '../engine.js';
import type { Engine } from '../engine-types.js';

/** Two taste groups over two clusters of films (see tuning/tune.test.ts), as stored items and events. */
function shop(): { items: Item[]; events: Event[] } {
  const items: Item[] = ['a', 'b'].flatMap((c) => Array.from({ length: 10 }, (_, i) => ({ id: `${c}${i}`, title: `Film ${c}${i}` })));
  const events: Event[] = [];
  for (let u = 0; u < 40; u++) {
    const cluster = u < 30 ? 'a' : 'b';
    for (let k = 0; k < 6; k++) {
      events.push({ userId: `u${u}`, itemId: `${cluster}${(u + k * 3) % 10}`, type: 'view', timestamp: new Date(Date.UTC(2024, 0, 1, 0, k)).toISOString() });
    }
  }
  return { items, events };
}

describe('training with tuning and data-scaled defaults (store in memory, training in this thread)', () => {
  let engine: Engine | undefined;
  afterEach(async () => {
    await engine?.close();
    engine = undefined;
  });

  async function open(): Promise<Engine> {
    engine = await createEngine(resolveConfig({ store: { url: 'sqlite://:memory:' }, log: { level: 'silent' }, embeddings: { provider: 'none' } }), { logger: silentLogger });
    const { items, events } = shop();
    await engine.upsertItems(items);
    await engine.addEvents(events);
    return engine;
  }

  it('stores the tuned choice, its validation metrics and trials with the version, and `kindred models` shows them', async () => {
    const e = await open();
    const report = await e.train({ tune: true, budgetSeconds: 3 });
    expect(['ease', 'als', 'itemknn']).toContain(report.model);
    expect(report.tuning?.trials).toBeGreaterThanOrEqual(1);
    const { versions } = await e.models();
    const meta = versions[0].meta as Record<string, unknown> & { tuning: Record<string, unknown> };
    expect(meta).toMatchObject({ model: report.model, params: expect.any(Object), paramSources: expect.any(Object) });
    expect(meta.tuning).toMatchObject({ metric: 'ndcg@10', budgetSeconds: 3, trials: report.tuning?.trials, validMetrics: { 'ndcg@10': expect.any(Number) } });
    expect((meta.tuning.models as Array<{ model: string }>).map((m) => m.model)).toContain(report.model);
    // The overview's typed fields (GET /v1/models) say the same as the meta.
    const tuned = Object.entries(meta.paramSources as Record<string, string>).filter(([, s]) => s === 'tuned').map(([k]) => k).sort();
    expect(versions[0].tunedParams).toEqual(tuned.length > 0 ? tuned : undefined); // the defaults' trial may win: then none is tuned
    expect(versions[0]).toMatchObject({ model: report.model, params: meta.params, metrics: meta.tuning.validMetrics, metricUsed: 'ndcg@10', trainedAt: meta.trainedAt, trainingSeconds: meta.seconds });
    expect(modelsTable(await e.models())).toMatch(new RegExp(`v1 .* ${report.model} .*tuned: valid ndcg@10 0\\.\\d{4}, ${report.tuning?.trials} trials \\(`));
    expect(trainSummary(report)).toMatch(/tuned in [\d.]+ s of a 3 s budget: validation ndcg@10 0\.\d{4}/);
  });

  it('tunes only the named model\'s params, and without tuning records EASE\'s λ as scaled to the data', async () => {
    const e = await open();
    const tuned = await e.train({ tune: true, model: 'knn', budgetSeconds: 2 });
    expect(tuned.model).toBe('itemknn');
    expect(tuned.tuning?.models.map((m) => m.model)).toEqual(['itemknn']);
    await e.train({ model: 'ease' });
    const { versions } = await e.models();
    expect(versions[0].meta).toMatchObject({ model: 'ease', paramSources: { lambda: 'scaled', dropout: 'default' } });
    expect(versions[0].meta).not.toHaveProperty('tuning');
    expect(modelsTable(await e.models()).split('\n')[0]).toMatch(/ease\s+\{"lambda":\d+\} \(scaled: lambda\)/);
  });

  it('rejects tuning options that make no sense before anything trains', async () => {
    const e = await open();
    await expect(e.train({ budgetSeconds: 10 })).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { path: 'budgetSeconds' } });
    await expect(e.train({ tune: true, budgetSeconds: 0 })).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { path: 'budgetSeconds' } });
    await expect(e.train({ tune: true, params: { lambda: 10 } })).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { path: 'params' } });
    expect((await e.models()).versions).toEqual([]);
  });
});

describe('train --budget', () => {
  it('reads seconds with an optional unit', () => {
    expect(budgetSeconds('120')).toBe(120);
    expect(budgetSeconds('90s')).toBe(90);
    expect(budgetSeconds('2m')).toBe(120);
    expect(() => budgetSeconds('soon')).toThrow(/--budget/);
  });
});
