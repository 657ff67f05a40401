import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../config/config.js';
import { fixedClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import type { Engine } from '../../engine-types.js';
import { BUNDLE_ARTIFACT } from '../../models/model-bundle.js';
import { engineOnStore, type EngineOnStore } from '../../testkit/engine-on-store.js';
import { dropTestSchemas, postgresAvailable, withTestSchema } from '../../testkit/postgres.js';
import { tasteGroups } from '../../testkit/taste-groups.js';

const available = await postgresAvailable();
const START = Date.parse('2024-03-01T00:00:00Z');
const PLANTED = 'zq-pg-erase-9917';
const opened: EngineOnStore[] = [];
afterEach(async () => {
  for (const o of opened.splice(0)) await o.engine.close();
  await dropTestSchemas();
});

async function open(url: string): Promise<EngineOnStore> {
  const config = resolveConfig({
    store: { url }, embeddings: { provider: 'none' }, log: { level: 'silent' }, models: { pollSeconds: 0 },
    train: { thread: 'main', channels: {}, fusion: false },
  });
  const o = await engineOnStore(config, { logger: silentLogger, clock: fixedClock(START) });
  opened.push(o);
  return o;
}

/** Taste groups, with a planted user who likes sf and ro items alike (so they pull the two groups together). */
async function trained(withPlanted: boolean): Promise<EngineOnStore & { url: string }> {
  const url = withTestSchema();
  const o = await open(url);
  const { items, events } = tasteGroups(START);
  const planted = Array.from({ length: 8 }, (_, i) => ({ userId: PLANTED, itemId: i % 2 ? `sf${i}` : `ro${i}`, type: 'like', timestamp: new Date(START + i * 60_000).toISOString() }));
  await o.engine.upsertItems(items);
  await o.engine.addEvents(withPlanted ? [...events, ...planted] : events);
  await o.engine.train({ model: 'itemknn' });
  return { ...o, url };
}

const lists = async (engine: Engine) => Promise.all(['u0', 'u3', 'u6', 'u9'].map(async (u) => (await engine.recommend(u, { count: 6 })).items.map((r) => r.itemId)));

describe.skipIf(!available)('erase on a postgres:// store', () => {
  it('replaces the served version exactly, deletes the one naming the user, and another server swaps to the replacement on its notice', async () => {
    const held = await trained(true);
    const never = await trained(false);
    const other = await open(held.url); // a second server on the same schema (no polling: only the notice can tell it)
    expect((await other.engine.status()).model?.version).toBe(1);
    expect(await lists(held.engine)).not.toEqual(await lists(never.engine)); // the planted user moved lists

    const receipt = await held.engine.eraseUser(PLANTED);
    expect(receipt.models).toMatchObject({ deletedVersions: [1], keptVersions: [], replacedBy: 2, influenceGone: 'now', retrainJobId: null });
    expect(await lists(held.engine)).toEqual(await lists(never.engine));
    for (const info of await held.store.listArtifacts(BUNDLE_ARTIFACT)) {
      const record = await held.store.loadArtifact(BUNDLE_ARTIFACT, info.version);
      expect(record && Buffer.from(record.blob).includes(Buffer.from(PLANTED))).toBe(false);
    }

    const deadline = Date.now() + 10_000;
    while ((await other.engine.status()).model?.version !== 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    expect((await other.engine.status()).model?.version).toBe(2);
    expect(await lists(other.engine)).toEqual(await lists(never.engine));
  });
});
