import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../config/config.js';
import { silentLogger } from '../../core/logger.js';
import { createEngine } from '../../engine.js';
import type { Engine } from '../../engine-types.js';
import { dropTestSchemas, postgresAvailable, withTestSchema } from '../../testkit/postgres.js';
import { tasteGroups } from '../../testkit/taste-groups.js';

const available = await postgresAvailable();
const engines: Engine[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.close();
  await dropTestSchemas();
});

async function open(url: string, createStore: boolean): Promise<Engine> {
  const engine = await createEngine(resolveConfig({ store: { url }, embeddings: { provider: 'none' }, log: { level: 'silent' } }), { logger: silentLogger, createStore });
  engines.push(engine);
  return engine;
}

describe.skipIf(!available)('the engine on a postgres:// store', () => {
  it('stores, trains (in a worker thread, which opens the store itself) and recommends as on SQLite; a second server serves the same version', async () => {
    const url = withTestSchema();
    const first = await open(url, true);
    const { items, events } = tasteGroups(Date.parse('2024-03-01T00:00:00Z'));
    await first.upsertItems(items);
    expect(await first.addEvents(events)).toMatchObject({ accepted: events.length });
    await first.train({ model: 'itemknn' });
    const res = await first.recommend('u0', { count: 5 });
    expect(res.personalised).toBe(true);
    expect(res.items.every((r) => r.itemId.startsWith('sf'))).toBe(true);
    const consumed = new Set(events.filter((e) => e.userId === 'u0').map((e) => e.itemId));
    expect(res.items.filter((r) => consumed.has(r.itemId))).toEqual([]);

    const second = await open(url, false); // another server on the same schema: loads the stored version
    expect((await second.status()).model?.version).toBe(1);
    expect((await second.recommend('u0', { count: 5 })).items.map((r) => r.itemId)).toEqual(res.items.map((r) => r.itemId));
  });
});
