import type { KindredConfig } from '../config/config.js';
import { silentLogger } from '../core/logger.js';
import { createEngine, type EngineDeps } from '../engine.js';
import type { Engine } from '../engine-types.js';
import { openStore } from '../storage/registry.js';
import type { Store } from '../storage/store.js';

/** An engine and the store it runs on. */
export interface EngineOnStore {
  /** Its `close()` closes the engine, then the store (this helper opened both). */
  engine: Engine;
  /** For reading or writing what the engine does not offer (bulk imports, checking stored rows). */
  store: Store;
}

/**
 * For tests and benchmarks: opens config.store.url and an engine on it, the injected-store pattern for callers that
 * need the store itself (`Engine` does not expose it). `engine.close()` closes both.
 *
 * @example const { engine, store } = await engineOnStore(resolveConfig({ store: { url: 'memory://' } }));
 */
export async function engineOnStore(config: KindredConfig, deps: Omit<EngineDeps, 'store'> = {}): Promise<EngineOnStore> {
  const store = await openStore(config.store.url, { logger: deps.logger ?? silentLogger, clock: deps.clock, create: deps.createStore });
  const engine = await createEngine(config, { ...deps, store });
  const close = async () => {
    await engine.close();
    await store.close();
  };
  return { engine: { ...engine, close }, store };
}
