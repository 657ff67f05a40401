import { resolveConfig, type ConfigInput } from '../config/config.js';
import { fixedClock } from '../core/clock.js';
import { silentLogger } from '../core/logger.js';
import type { Event } from '../core/types.js';
import { engineOnStore } from './engine-on-store.js';
import { shopCatalogue } from './shop-catalogue.js';

/**
 * The small shop (30 items; u0..u9 like 8 neighbouring items each, dated 2024-01-01) in an in-memory SQLite engine whose
 * clock starts at `startMs` and is moved by the test, with item-kNN trained; `extra` events are added before training.
 * `store` is the engine's store (closed by `engine.close()`).
 *
 * @example const { engine, clock, events } = await openShopEngine({ care: { dailyBudget: 5 } }, Date.parse('2024-02-01T00:00:00Z'))
 */
export async function openShopEngine(input: ConfigInput, startMs: number, extra: Event[] = []) {
  const clock = fixedClock(startMs);
  const config = resolveConfig({ ...input, store: { url: 'sqlite://:memory:' }, log: { level: 'silent' } });
  const { engine, store } = await engineOnStore(config, { logger: silentLogger, clock });
  const { items, events } = shopCatalogue({ items: 30, likes: 8, step: 3 });
  await engine.upsertItems(items);
  await engine.addEvents([...events, ...extra]);
  await engine.train({ model: 'itemknn' });
  return { engine, store, clock, events };
}
