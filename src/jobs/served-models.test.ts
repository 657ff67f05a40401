import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig, type ConfigInput } from '../config/config.js';
import { silentLogger } from '../core/logger.js';
import { createEngine, type EngineDeps } from '../engine.js';
import type { Engine } from '../engine-types.js';
import { hasTextVectors } from '../models/semantic/text-query.js';
import { stageDigest } from '../pipeline/list-cache.js';
import { openEmbeddingProvider } from '../providers/registry.js';
import { MemoryStore } from '../storage/memory/memory-store.js';
import { tasteGroups } from '../testkit/taste-groups.js';
import { fixedClock } from '../core/clock.js';
import { IdIndex } from '../core/ids.js';
import type { ModelBundle } from '../models/model-bundle.js';
import { createModel } from '../models/registry.js';
import { fromDense } from '../testkit/fixtures.js';
import { AddedItems } from './served-models.js';
import { ModelServing } from './serving.js';

const T0 = Date.parse('2024-03-01T00:00:00Z');
const LATE = { id: 'late', title: 'Lighthouse keeper whale documentary' };
const QUERY = 'lighthouse keeper whale documentary';
const TEXT: ConfigInput = { embeddings: { provider: 'ngram' }, train: { thread: 'main' }, log: { level: 'silent' } };

describe('items stored after training are served from stored embeddings, without retraining', () => {
  const engines: Engine[] = [];
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const e of engines.splice(0)) await e.close();
    for (const c of cleanups.splice(0)) await c();
  });

  async function open(url: string, extra: ConfigInput = {}, deps: EngineDeps = {}): Promise<Engine> {
    const engine = await createEngine(resolveConfig({ ...TEXT, store: { url }, models: { pollSeconds: 0 }, ...extra }), { logger: silentLogger, ...deps });
    engines.push(engine);
    return engine;
  }

  async function trained(engine: Engine): Promise<Engine> {
    const { items, events } = tasteGroups(T0);
    await engine.upsertItems(items);
    await engine.addEvents(events);
    await engine.train({ model: 'itemknn' });
    return engine;
  }

  const topForQuery = async (engine: Engine) => (await engine.recommend(undefined, { query: QUERY, count: 3 })).items[0]?.itemId;

  it('a second engine on the same SQLite file serves an item the first stored after training, on its poll', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kindred-served-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const url = `sqlite://${join(dir, 'k.db')}`;
    const a = await trained(await open(url));
    const b = await open(url, { models: { pollSeconds: 0.05 } });
    expect(await topForQuery(b)).not.toBe('late');
    await a.upsertItems([LATE]);
    expect(await topForQuery(a)).toBe('late'); // the storing engine serves it at once
    await expect.poll(() => topForQuery(b), { timeout: 10_000, interval: 50 }).toBe('late');
    expect((await b.models()).serving).toBe(1); // no new version: the same bundle, with the item added
  });

  it('engines sharing one MemoryStore hear of new items through its notices (no poll)', async () => {
    const store = new MemoryStore();
    cleanups.push(() => store.close());
    const a = await trained(await open('memory://', {}, { store }));
    const b = await open('memory://', {}, { store });
    expect(await topForQuery(b)).not.toBe('late');
    const read = store.getEmbeddings.bind(store);
    let fullReads = 0;
    store.getEmbeddings = (provider, ids) => {
      if (ids === undefined) fullReads++;
      return read(provider, ids);
    };
    await a.upsertItems([LATE]);
    await expect.poll(() => topForQuery(b), { timeout: 10_000, interval: 20 }).toBe('late');
    expect(fullReads).toBe(0); // the notice names the item: only its embedding is read, in each engine
  });

  it('a request keeps the state it started with; the trained bundle is never changed; list digests follow the served items', async () => {
    const store = new MemoryStore();
    cleanups.push(() => store.close());
    const config = resolveConfig({ ...TEXT, store: { url: 'memory://' }, models: { pollSeconds: 0 } });
    const a = await trained(await open('memory://', {}, { store }));
    const provider = await openEmbeddingProvider('ngram');
    const serving = new ModelServing(store, { logger: silentLogger, pollSeconds: 0, embeddingProvider: async () => provider });
    cleanups.push(() => serving.close());
    await serving.start();
    const before = serving.current;
    if (!before) throw new Error('expected a served bundle');
    const trainedItems = before.items.size;
    const semanticBefore = before.models.semantic;
    if (!semanticBefore || !hasTextVectors(semanticBefore)) throw new Error('expected a semantic model');

    await a.upsertItems([LATE]); // stored and embedded by another engine
    await expect.poll(() => serving.current?.addedItems, { timeout: 10_000, interval: 20 }).toBe(1); // heard through the store's notice
    const after = serving.current;
    if (!after) throw new Error('expected a served state');

    expect(after).not.toBe(before);
    expect(after.trained).toBe(before.trained);
    expect(after.items.indexOf('late')).toBe(trainedItems);
    expect(after.items.idAt(trainedItems)).toBe('late');
    // what a request that started before holds: unchanged, as is the trained bundle
    expect(before.items.size).toBe(trainedItems);
    expect(before.items.indexOf('late')).toBeUndefined();
    expect(before.trained.items.size).toBe(trainedItems);
    expect(semanticBefore.itemCount).toBe(trainedItems);
    const [raw] = await (provider ?? { embed: async () => [] }).embed([LATE.title]);
    expect(semanticBefore.recommendByVector(semanticBefore.encodeText(raw), 3).every((s) => s.index < trainedItems)).toBe(true);
    const semanticAfter = after.models.semantic;
    expect(semanticAfter && hasTextVectors(semanticAfter) ? semanticAfter.recommendByVector(semanticAfter.encodeText(raw), 1)[0].index : -1).toBe(trainedItems);
    // cached lists made without the item are not served for the state with it
    expect(stageDigest(config, after)).not.toBe(stageDigest(config, before));
    // nothing new stored: the state stays the same object
    expect(await serving.refreshItems()).toBe(false);
    expect(serving.current).toBe(after);
  });
});

describe('AddedItems', () => {
  async function bundle(): Promise<ModelBundle> {
    const data = fromDense([[1, 1, 0], [0, 1, 1]]);
    const ctx = { logger: silentLogger, clock: fixedClock(0) };
    const semantic = createModel('semantic', { center: false });
    await semantic.fit(data, { ...ctx, content: { embeddings: Float32Array.of(1, 0, 0.7, 0.7, 0, 1), dimensions: 2 } });
    const popular = createModel('popular', {});
    await popular.fit(data, ctx);
    return { version: 1, trainedAt: new Date(0).toISOString(), users: data.users, items: IdIndex.from(['a', 'b', 'c']), trainedItems: 3, models: { main: popular, popular, semantic } };
  }
  const record = (itemId: string, ...v: number[]) => ({ itemId, provider: 'p', textHash: '', vector: Float32Array.from(v) });

  it('appends only new items, skips vectors of another size, and keeps each earlier state as it was', async () => {
    const added = new AddedItems(await bundle());
    const empty = added.current;
    const first = added.add([record('a', 1, 0), record('d', 1, 0.1), record('wide', 1, 0, 0)]);
    expect(first).toMatchObject({ added: 1, skipped: 1 });
    const second = added.add([record('d', 0, 1), record('e', -0.2, 1)]);
    expect(second.added).toBe(1); // d is served already: its first vector stays until the next training
    expect([empty, first.state, second.state].map((s) => s.items.size)).toEqual([3, 4, 5]);
    expect(first.state.items.indexOf('e')).toBeUndefined();
    expect(() => first.state.items.idAt(4)).toThrow(RangeError);
    expect(second.state.items.ids()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(added.add([record('e', 1, 0)]).state).toBe(second.state);
    const nearest = (state: ModelBundle, v: number[]) => {
      const m = state.models.semantic;
      return m && hasTextVectors(m) ? m.recommendByVector(m.encodeText(Float32Array.from(v)), 1)[0].index : -1;
    };
    expect(nearest(second.state, [1, 0.1])).toBe(3);
    expect(nearest(second.state, [-0.2, 1])).toBe(4);
    expect(nearest(first.state, [-0.2, 1])).toBe(2); // e is not in the earlier state
  });

  it('accepts nothing without a text-vector semantic model', async () => {
    const b = await bundle();
    const added = new AddedItems({ ...b, models: { main: b.models.main, popular: b.models.popular } });
    expect(added.accepts).toBe(false);
    expect(added.add([record('d', 1, 0)])).toMatchObject({ added: 0, state: added.current });
  });
});
