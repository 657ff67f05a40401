import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/config.js';
import { fixedClock } from '../core/clock.js';
import { silentLogger } from '../core/logger.js';
import type { Event, Item } from '../core/types.js';
import type { Engine } from '../engine-types.js';
import { BUNDLE_ARTIFACT } from '../models/model-bundle.js';
import { startServer } from '../server/app.js';
import { createClient } from '../server/client.js';
import { testDataset } from '../testkit/datasets.js';
import { engineOnStore, type EngineOnStore } from '../testkit/engine-on-store.js';

const PLANTED_ID = 'zq-erase-exact-7731';
const PLANTED_EMAIL = 'zq.erase.7731@example.org';
const PLANTED_REVIEW = 'A tangerine submarine sang lullabies to the lighthouse.';
const PLANTED = [PLANTED_ID, PLANTED_EMAIL, PLANTED_REVIEW];
const CLOCK = fixedClock(Date.parse('1998-05-01T00:00:00Z'));
const ml100k = testDataset('ml-100k');
const dir = mkdtempSync(join(tmpdir(), 'kindred-erase-exact-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** ml-100k users 1..150 on items 1..400, plus a planted user who rated what user 1 rated and wrote a review. */
function slice(path: string): { items: Item[]; events: Event[]; planted: Event[] } {
  const events: Event[] = [];
  for (const line of readFileSync(join(path, 'u.data'), 'utf8').split('\n')) {
    const [userId, itemId, rating, seconds] = line.split('\t');
    if (!line || Number(userId) > 150 || Number(itemId) > 400) continue;
    events.push({ userId, itemId, type: 'rating', value: Number(rating), timestamp: new Date(Number(seconds) * 1000).toISOString() });
  }
  const planted: Event[] = events.filter((e) => e.userId === '1').slice(0, 40).map((e) => ({ ...e, userId: PLANTED_ID, value: 5 }));
  planted.push({ userId: PLANTED_ID, itemId: '50', type: 'review', value: 5, text: PLANTED_REVIEW, timestamp: '1998-04-01T00:00:00.000Z' });
  return { items: Array.from({ length: 400 }, (_, i) => ({ id: String(i + 1) })), events, planted };
}

interface Training { model: string; params?: Record<string, unknown>; halfLifeDays?: number }

/** An engine on its own SQLite file, trained on the slice (with the planted user or never holding them). */
async function trainedEngine(name: string, train: Training, withPlanted: boolean): Promise<EngineOnStore & { path: string }> {
  const path = join(dir, `${name}.db`);
  const config = resolveConfig({
    store: { url: `sqlite://${path}` }, embeddings: { provider: 'none' }, log: { level: 'silent' },
    train: { thread: 'main', channels: {}, fusion: false }, popular: { halfLifeDays: train.halfLifeDays ?? 0 },
  });
  const opened = await engineOnStore(config, { logger: silentLogger, clock: CLOCK });
  const { items, events, planted } = slice(ml100k!);
  await opened.engine.upsertItems(items);
  if (withPlanted) await opened.engine.upsertUsers([{ id: PLANTED_ID, attributes: { email: PLANTED_EMAIL } }]);
  await opened.engine.addEvents(withPlanted ? [...events, ...planted] : events);
  await opened.engine.train({ model: train.model, params: train.params });
  return { ...opened, path };
}

/** Which planted strings occur in the raw bytes of the database file, its WAL, or any stored bundle blob. */
async function plantedIn(t: EngineOnStore & { path: string }): Promise<string[]> {
  const files = [t.path, `${t.path}-wal`].filter((p) => existsSync(p)).map((p) => readFileSync(p));
  for (const info of await t.store.listArtifacts(BUNDLE_ARTIFACT)) {
    const record = await t.store.loadArtifact(BUNDLE_ARTIFACT, info.version);
    if (record) files.push(Buffer.from(record.blob));
  }
  return PLANTED.filter((s) => files.some((bytes) => bytes.includes(Buffer.from(s, 'utf8'))));
}

/** Top-10 item ids of users 2..41 (other users than the planted one). */
async function listsOf(engine: Engine): Promise<string[][]> {
  const out: string[][] = [];
  for (let u = 2; u <= 41; u++) out.push((await engine.recommend(String(u), { count: 10 })).items.map((r) => r.itemId));
  return out;
}

/** Erases the planted user over HTTP (DELETE /v1/users/{id}) and answers the receipt. */
async function eraseOverHttp(engine: Engine) {
  const server = await startServer(engine, { host: '127.0.0.1', port: 0, logger: silentLogger });
  try {
    return await createClient({ baseUrl: server.url }).eraseUser(PLANTED_ID);
  } finally {
    await server.close();
  }
}

describe('DELETE /v1/users/{id} removes the user from the served model', () => {
  const trainings: Training[] = [{ model: 'itemknn' }, { model: 'popular', halfLifeDays: 30 }, { model: 'ease', params: { lambda: 200 } }];
  for (const train of trainings) {
    it.skipIf(!ml100k)(`${train.model}${train.halfLifeDays ? ' (decayed popularity)' : ''}: at once, exactly, and no planted string is left in the file, the WAL or a stored version`, async () => {
      const held = await trainedEngine(`held-${train.model}`, train, true);
      const never = await trainedEngine(`never-${train.model}`, train, false);
      try {
        const before = (await held.engine.models()).serving;
        expect(await plantedIn(held)).toEqual(PLANTED); // the check can see them
        expect(await listsOf(held.engine)).not.toEqual(await listsOf(never.engine)); // the planted user moved lists

        const receipt = await eraseOverHttp(held.engine);
        expect(receipt.models).toMatchObject({ deletedVersions: [before], keptVersions: [], influenceGone: 'now', retrainJobId: null });
        expect(receipt.models.roles.length).toBeGreaterThanOrEqual(2);
        expect(receipt.models.roles.every((r) => r.removal === 'exact')).toBe(true);
        expect((await held.engine.models()).serving).toBe(receipt.models.replacedBy);
        expect(await plantedIn(held)).toEqual([]);
        expect(await listsOf(held.engine)).toEqual(await listsOf(never.engine));
      } finally {
        await held.engine.close();
        await never.engine.close();
      }
    });
  }

  it.skipIf(!ml100k)('ALS: the receipt says retrain; after the background retraining the lists equal a store that never held the user', async () => {
    const train = { model: 'als', params: { factors: 16, iterations: 6 } };
    const held = await trainedEngine('held-als', train, true);
    const never = await trainedEngine('never-als', train, false);
    try {
      const receipt = await eraseOverHttp(held.engine);
      const replacement = receipt.models.replacedBy;
      expect(receipt.models).toMatchObject({ influenceGone: 'after-retrain', keptVersions: [replacement] });
      expect(receipt.models.roles).toEqual([
        { role: 'main', model: 'als', removal: 'retrain', reason: 'als has no exact removal' },
        { role: 'popular', model: 'popular', removal: 'exact' },
      ]);
      expect(await plantedIn(held)).toEqual([]); // the replacement holds influence, not the id

      // The retraining runs in the background: wait until its version is served and the one holding the user is gone.
      const jobId = receipt.models.retrainJobId;
      const deadline = Date.now() + 60_000;
      let done = false;
      while (!done && Date.now() < deadline) {
        const { versions } = await held.engine.models();
        done = versions.some((v) => v.meta.jobId === jobId && v.serving) && !versions.some((v) => v.version === replacement);
        if (!done) await new Promise((r) => setTimeout(r, 50));
      }
      expect(done).toBe(true);
      expect(await listsOf(held.engine)).toEqual(await listsOf(never.engine));
    } finally {
      await held.engine.close();
      await never.engine.close();
    }
  });
});
