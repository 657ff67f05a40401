import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../config/config.js';
import { fixedClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { engineOnStore } from '../../testkit/engine-on-store.js';
import { shopCatalogue } from '../../testkit/shop-catalogue.js';

const PLANTED_ID = 'zq-planted-user-5521';
const PLANTED_EMAIL = 'zq.planted.5521@example.org';
const PLANTED_REVIEW = 'The quokka lantern hummed a marmalade tune all night.';

/** Which of the planted strings occur in the raw bytes of the database file and its WAL. */
function plantedIn(dbPath: string): string[] {
  const files = [dbPath, `${dbPath}-wal`].filter((p) => existsSync(p)).map((p) => readFileSync(p));
  return [PLANTED_ID, PLANTED_EMAIL, PLANTED_REVIEW].filter((s) => files.some((bytes) => bytes.includes(Buffer.from(s, 'utf8'))));
}

describe('erase on SQLite leaves no copy of the user in the file or the WAL', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kindred-scrub-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('overwrites freed pages, truncates the WAL, and replaces the model version that listed the user', async () => {
    const path = join(dir, 'k.db');
    const config = resolveConfig({ store: { url: `sqlite://${path}` }, embeddings: { provider: 'none' }, train: { thread: 'main' }, log: { level: 'silent' } });
    const { engine } = await engineOnStore(config, { logger: silentLogger, clock: fixedClock(Date.parse('2024-02-01T00:00:00Z')) });
    try {
      const { items, events } = shopCatalogue({ items: 30, likes: 8, step: 3 });
      await engine.upsertItems(items);
      await engine.upsertUsers([{ id: PLANTED_ID, attributes: { email: PLANTED_EMAIL } }]);
      await engine.addEvents([
        ...events,
        { userId: PLANTED_ID, itemId: 'i3', type: 'like', timestamp: '2024-01-20T10:00:00.000Z' },
        { userId: PLANTED_ID, itemId: 'i4', type: 'review', value: 2, text: PLANTED_REVIEW, timestamp: '2024-01-21T10:00:00.000Z' },
      ]);
      await engine.setCarePreferences(PLANTED_ID, { diversity: 0.3 });
      const trained = await engine.train({ model: 'itemknn' });
      await engine.recommend(PLANTED_ID, { count: 5 });
      expect(plantedIn(path)).toEqual([PLANTED_ID, PLANTED_EMAIL, PLANTED_REVIEW]); // the check can see them

      const receipt = await engine.eraseUser(PLANTED_ID);
      expect(receipt).toMatchObject({ events: 2, user: true, carePreferences: true, freedSpace: 'overwritten', models: { deletedVersions: [trained.version], replacedBy: trained.version + 1 } });
      // The served version was replaced by one that does not list the id, and the old one deleted before the WAL was
      // truncated: nothing of the user is left in the file or the WAL.
      expect(plantedIn(path)).toEqual([]);
      expect((await engine.models()).serving).toBe(trained.version + 1);
    } finally {
      await engine.close();
    }
  });
});
