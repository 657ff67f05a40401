import { describe, expect, it } from 'vitest';
import { resolveConfig } from './config/config.js';
import { silentLogger } from './core/logger.js';
import { createEngine } from './engine.js';
import { MemoryCache } from './storage/memory/memory-cache.js';
import { MemoryStore } from './storage/memory/memory-store.js';

describe('createEngine with a store and cache the caller opened', () => {
  it('works on them and leaves them open on close: the caller closes them', async () => {
    const store = new MemoryStore();
    const cache = new MemoryCache();
    const config = resolveConfig({ store: { url: 'memory://' }, log: { level: 'silent' }, embeddings: { provider: 'none' } });
    const engine = await createEngine(config, { logger: silentLogger, store, cache });
    await engine.upsertItems([{ id: 'i1', title: 'One' }]);
    expect((await store.getItems(['i1'])).map((it) => it.id)).toEqual(['i1']);
    expect(Object.keys(engine)).not.toContain('store');
    expect(Object.keys(engine)).not.toContain('cache');
    await engine.close();
    expect((await store.counts()).items).toBe(1);
    await cache.put({ list: 'l', subject: 's', digest: 'd' }, { items: [], createdAt: new Date(0).toISOString() }, 60); // still open
    await cache.close();
    await store.close();
    await expect(store.counts()).rejects.toMatchObject({ code: 'INTERNAL' });
  });
});
