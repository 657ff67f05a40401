import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/config.js';
import { fixedClock } from '../core/clock.js';
import { silentLogger } from '../core/logger.js';
import type { Engine } from '../engine-types.js';
import { textSentiment, winkScoreCount } from './sentiment.js';
import { engineOnStore } from '../testkit/engine-on-store.js';

/** The score of a review is stored with its event, so a second engine (a restart, another server) never re-scores it. */
const dir = mkdtempSync(join(tmpdir(), 'kindred-stored-sentiment-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const T0 = Date.parse('2024-03-01T00:00:00Z');
const COMPLAINT = 'Terrible. It broke after two days, a complete waste of money.';
const items = Array.from({ length: 8 }, (_, i) => ({ id: `i${i}`, title: `Item ${i}` }));
// Eight items liked by overlapping users (as in llm-sentiment.test.ts), so item-kNN gives "me" a list.
const likes = Array.from({ length: 80 }, (_, n) => ({ u: Math.floor(n / 8), i: n % 8 }))
  .filter(({ u, i }) => (u + i) % 3 !== 0)
  .map(({ u, i }) => ({ userId: `u${u}`, itemId: `i${i}`, type: 'like', timestamp: new Date(T0 + u * 100 + i).toISOString() }));

const file = join(dir, 'kindred.db');
const open = async () => (await engineOnStore(
  resolveConfig({ store: { url: `sqlite://${file}` }, embeddings: { provider: 'none' }, log: { level: 'silent' } }),
  { logger: silentLogger, clock: fixedClock(T0 + 86_400_000) },
));
const evidence = async (engine: Engine) =>
  (await engine.recommend('me', { count: 5 })).items.flatMap((r) => r.reasons.flatMap((x) => x.itemIds ?? []));
/** The stored scores of the user's events, read straight from the file. */
function storedScores(userId: string): Array<{ id: string; sentiment: number | null }> {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT id, sentiment FROM events WHERE user_id = ? AND text IS NOT NULL').all(userId) as Array<{ id: string; sentiment: number | null }>;
  } finally {
    db.close();
  }
}

describe('review sentiment stored with the event (SQLite)', () => {
  it('is scored on write, read by a second engine without wink, written back once for old rows, erased with the user', async () => {
    const { engine: first, store: firstStore } = await open();
    await first.upsertItems(items);
    await first.addEvents(likes);
    await first.train({ model: 'itemknn' });
    // "me" liked i2 and rated i1 five stars with a clear complaint.
    await first.addEvents([
      { userId: 'me', itemId: 'i2', type: 'like', timestamp: new Date(T0 + 5000).toISOString() },
      { userId: 'me', itemId: 'i1', type: 'rating', value: 5, timestamp: new Date(T0 + 6000).toISOString(), text: COMPLAINT },
    ]);
    const [review] = (await firstStore.history('me')).filter((e) => e.text);
    expect(review.sentiment).toBe(textSentiment(COMPLAINT));
    expect(review.sentiment).toBeLessThan(-0.3);
    await first.close();

    // A second engine on the same file (a restart, or another API server) reads the score: wink is not called.
    const { engine: second } = await open();
    const before = winkScoreCount();
    const reasons = await evidence(second);
    expect(reasons).toContain('i2'); // the list is personal (the trained model is loaded), and...
    expect(reasons).not.toContain('i1'); // ...the five stars under the complaint are evidence of nothing
    expect(winkScoreCount()).toBe(before);
    await second.close();

    // A row stored before migration 6 (NULL score): scored once on first read, then written back.
    const db = new Database(file);
    db.prepare("UPDATE events SET sentiment = NULL WHERE user_id = 'me'").run();
    db.close();
    const { engine: third } = await open();
    const cold = winkScoreCount();
    expect(await evidence(third)).not.toContain('i1');
    expect(winkScoreCount()).toBe(cold + 1);
    await new Promise((r) => setTimeout(r, 50)); // the write-back does not hold the request
    expect(storedScores('me')).toEqual([{ id: review.id, sentiment: review.sentiment }]);

    expect((await third.eraseUser('me')).events).toBe(2);
    expect(storedScores('me')).toEqual([]);
    await third.close();
  });

  it('ignores a score sent by a client: the API rejects the field (400)', async () => {
    const { engine, store } = await open();
    const forged = { userId: 'x', itemId: 'i1', type: 'rating', value: 5, timestamp: new Date(T0).toISOString(), text: COMPLAINT, sentiment: 1 };
    await expect(engine.addEvents([forged])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(await store.history('x')).toEqual([]);
    await engine.close();
  });
});
