/**
 * On a store with notices (memory within a process, PostgreSQL across processes) a new version or a changed pin is
 * served as soon as its notice arrives, with no poll at all (pollSeconds 0 here: the notice is the only way in).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/config.js';
import { systemClock } from '../core/clock.js';
import { silentLogger } from '../core/logger.js';
import type { Event } from '../core/types.js';
import { hasNotices } from '../storage/notices.js';
import { openStore } from '../storage/registry.js';
import type { Store } from '../storage/store.js';
import { ModelServing } from './serving.js';
import { trainBundle } from './trainer.js';

const events: Event[] = Array.from({ length: 120 }, (_, i) => ({
  userId: `u${i % 12}`, itemId: `i${(i * 7) % 15}`, type: 'view', timestamp: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(),
}));
const config = resolveConfig({ store: { url: 'memory://' }, embeddings: { provider: 'none' }, train: { channels: {}, fusion: false } });
const trainVersion = (store: Store) => trainBundle(store, config, { model: 'itemknn', params: {} }, { logger: silentLogger, clock: systemClock });

describe('serving on version notices', () => {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  it('serves a version stored by someone else, and a pin set by someone else, on their notices alone', async () => {
    const store = await openStore('memory://');
    closers.push(() => store.close());
    expect(hasNotices(store)).toBe(true);
    await store.addEvents(events);
    const watcher = new ModelServing(store, { logger: silentLogger, pollSeconds: 0 });
    const operator = new ModelServing(store, { logger: silentLogger, pollSeconds: 0 });
    closers.push(() => watcher.close(), () => operator.close());
    await watcher.start();
    expect(watcher.current).toBeUndefined();

    await trainVersion(store);
    await expect.poll(() => watcher.current?.version).toBe(1);
    await trainVersion(store);
    await expect.poll(() => watcher.current?.version).toBe(2);

    await operator.pin(1); // saves the serving pointer: its notice moves the watcher back to version 1
    await expect.poll(() => watcher.current?.version).toBe(1);
    await operator.pin(undefined);
    await expect.poll(() => watcher.current?.version).toBe(2);
  });

  it('a version this process trains and adopts is not read back from the store on its own notice', async () => {
    const store = await openStore('memory://');
    closers.push(() => store.close());
    await store.addEvents(events);
    let reads = 0;
    const load = store.loadArtifact.bind(store);
    store.loadArtifact = (name, version) => { reads++; return load(name, version); };
    const serving = new ModelServing(store, { logger: silentLogger, pollSeconds: 0 });
    closers.push(() => serving.close());
    await serving.start();

    await serving.whileTraining(async () => {
      const { bundle } = await trainVersion(store);
      await serving.adopt(bundle);
    });
    await serving.refresh(); // after the refresh the deferred notice queued, if any
    expect(serving.current?.version).toBe(1);
    expect(reads).toBe(0);

    await trainVersion(store); // stored by someone else: read once
    await expect.poll(() => serving.current?.version).toBe(2);
    expect(reads).toBe(1);
  });
});
