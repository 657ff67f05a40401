import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/config.js';
import { fixedClock } from '../core/clock.js';
import { silentLogger } from '../core/logger.js';
import type { Engine } from '../engine-types.js';
import { engineOnStore, type EngineOnStore } from '../testkit/engine-on-store.js';
import { shopCatalogue } from '../testkit/shop-catalogue.js';

const START = Date.parse('2024-02-01T00:00:00Z');
const PLANTED = 'planted-user-41';
const REVIEW = 'The walnut lamp arrived scratched but the seller was kind.';
const ATTRIBUTES = { email: 'planted41@example.org', city: 'Ghent' };
const PROFILE_STATE = { version: 1, note: 'stored as given', mutes: ['c2'] };

let open: Engine[] = [];
afterEach(async () => {
  await Promise.all(open.map((e) => e.close()));
  open = [];
});

/** The shop (users u0..u9) plus one planted user with a record, a review, feedback, impressions, a profile and preferences. */
async function planted(input: { train?: Record<string, unknown>; popular?: { halfLifeDays: number } } = {}): Promise<EngineOnStore> {
  const config = resolveConfig({ store: { url: 'memory://' }, embeddings: { provider: 'none' }, train: { thread: 'main', ...input.train }, ...(input.popular ? { popular: input.popular } : {}), log: { level: 'silent' } });
  const opened = await engineOnStore(config, { logger: silentLogger, clock: fixedClock(START) });
  open.push(opened.engine);
  const { engine, store } = opened;
  const { items, events } = shopCatalogue({ items: 30, likes: 8, step: 3 });
  await engine.upsertItems(items);
  await engine.upsertUsers([{ id: PLANTED, attributes: ATTRIBUTES }, { id: 'u1', attributes: { email: 'other@example.org' } }]);
  await engine.addEvents([
    ...events,
    { userId: PLANTED, itemId: 'i3', type: 'like', timestamp: '2024-01-20T10:00:00.000Z' },
    { userId: PLANTED, itemId: 'i4', type: 'like', timestamp: '2024-01-20T11:00:00.000Z' },
    { userId: PLANTED, itemId: 'i5', type: 'review', value: 2, text: REVIEW, timestamp: '2024-01-21T09:00:00.000Z' },
  ]);
  await engine.feedback(PLANTED, { kind: 'not-interested', itemId: 'i9', at: '2024-01-22T00:00:00.000Z' });
  await engine.recordImpressions(PLANTED, ['i10', 'i11'], '2024-01-23T00:00:00.000Z');
  await store.putProfile({ userId: PLANTED, state: PROFILE_STATE });
  await engine.setCarePreferences(PLANTED, { diversity: 0.4 });
  return opened;
}

describe('exportUser', () => {
  it('returns every planted field and nothing of other users', async () => {
    const { engine } = await planted();
    const data = await engine.exportUser(PLANTED);
    expect(data.userId).toBe(PLANTED);
    expect(data.exportedAt).toBe(new Date(START).toISOString());
    expect(data.user).toEqual({ id: PLANTED, attributes: ATTRIBUTES });
    expect(data.profile).toEqual(PROFILE_STATE);
    expect(data.carePreferences).toEqual({ diversity: 0.4 });
    const byType = (type: string) => data.events.filter((e) => e.type === type).map((e) => e.itemId).sort();
    expect(byType('like')).toEqual(['i3', 'i4']);
    expect(byType('not_interested')).toEqual(['i9']);
    expect(byType('impression')).toEqual(['i10', 'i11']);
    const [review] = data.events.filter((e) => e.type === 'review');
    expect(review).toMatchObject({ itemId: 'i5', value: 2, text: REVIEW, timestamp: '2024-01-21T09:00:00.000Z' });
    expect(review.sentiment).toBeGreaterThan(0); // "kind" outweighs "scratched" in the builtin lexicon: the stored score comes back
    expect(data.events.every((e) => e.userId === PLANTED && typeof e.id === 'string')).toBe(true);
    const text = JSON.stringify(data);
    for (let u = 0; u < 10; u++) expect(text).not.toContain(`"u${u}"`);
    expect(text).not.toContain('other@example.org');
  });

  it('is NOT_FOUND for an id the store holds nothing about', async () => {
    const { engine } = await planted();
    await expect(engine.exportUser('nobody')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('eraseUser receipt', () => {
  it('says what went, leaves other users alone, and export then finds nothing', async () => {
    const { engine, store } = await planted();
    const before = await engine.exportUser('u1');
    const receipt = await engine.eraseUser(PLANTED);
    expect(receipt).toEqual({
      userId: PLANTED, events: 6, user: true, profile: true, carePreferences: true, cachedLists: 0, freedSpace: 'released',
      cacheInvalidated: expect.any(Number) as number, models: NOTHING_HELD, embeddings: 0, at: new Date(START).toISOString(),
    });
    await expect(engine.exportUser(PLANTED)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await store.getProfile(PLANTED)).toBeUndefined();
    expect(await engine.exportUser('u1')).toEqual(before);
  });

  it('replaces the served version by one without the user and deletes every version that named them', async () => {
    const { engine } = await planted({ train: { channels: {}, fusion: false } });
    const first = await engine.train({ model: 'itemknn' });
    const second = await engine.train({ model: 'itemknn' });
    const receipt = await engine.eraseUser(PLANTED);
    const replacement = second.version + 1;
    expect(receipt.models).toEqual({
      deletedVersions: [second.version, first.version], keptVersions: [], replacedBy: replacement, influenceGone: 'now', retrainJobId: null,
      roles: [{ role: 'main', model: 'itemknn', removal: 'exact' }, { role: 'popular', model: 'popular', removal: 'exact' }],
    });
    expect((await engine.models()).versions.map((v) => v.version)).toEqual([replacement]);
    expect((await engine.models()).versions[0].meta).toMatchObject({ erasedFrom: second.version, users: 10 });

    // Erasing again finds nothing left to replace or delete.
    const again = await engine.eraseUser(PLANTED);
    expect(again.models).toEqual(NOTHING_HELD);
    expect(again).toMatchObject({ events: 0, user: false });
  });

  it('two erases at once each build on the other: the version left names neither user', async () => {
    const { engine } = await planted({ train: { channels: {}, fusion: false } });
    await engine.train({ model: 'itemknn' });
    const [a, b] = await Promise.all([engine.eraseUser(PLANTED), engine.eraseUser('u1')]);
    expect([a.models.influenceGone, b.models.influenceGone]).toEqual(['now', 'now']);
    const { versions } = await engine.models();
    expect(versions.map((v) => v.version)).toEqual([b.models.replacedBy]);
    expect(versions[0].meta).toMatchObject({ users: 9, erasedFrom: a.models.replacedBy });
  });

  it('decayed popularity is updated exactly from the stored event times, unless the user has events the training did not see', async () => {
    for (const late of [false, true]) {
      const { engine } = await planted({ train: { channels: {}, fusion: false }, popular: { halfLifeDays: 30 } });
      await engine.train({ model: 'itemknn' });
      if (late) await engine.addEvents([{ userId: PLANTED, itemId: 'i7', type: 'like', timestamp: '2024-01-25T00:00:00.000Z' }]);
      const { models } = await engine.eraseUser(PLANTED);
      const popular = models.roles.find((r) => r.role === 'popular');
      if (late) expect(popular).toEqual({ role: 'popular', model: 'popular', removal: 'retrain', reason: "decayed popularity needs the times of the user's trained events" });
      else expect(popular).toEqual({ role: 'popular', model: 'popular', removal: 'exact' });
      expect(models.influenceGone).toBe(late ? 'after-retrain' : 'now');
    }
  });

  it('keeps a role without exact removal until a background retraining, then deletes the version holding the user', async () => {
    const { engine } = await planted({ train: { channels: { als: { factors: 8, iterations: 2 } }, fusion: false } });
    const trained = await engine.train({ model: 'itemknn' });
    const receipt = await engine.eraseUser(PLANTED);
    const replacement = trained.version + 1;
    expect(receipt.models).toMatchObject({ deletedVersions: [trained.version], keptVersions: [replacement], replacedBy: replacement, influenceGone: 'after-retrain' });
    expect(receipt.models.roles).toContainEqual({ role: 'channel:als', model: 'als', removal: 'retrain', reason: 'als has no exact removal' });
    expect((await engine.models()).versions.find((v) => v.version === replacement)?.meta.holdsErased).toBe(1);
    const retrained = await servedJob(engine, receipt.models.retrainJobId);
    expect(retrained).toBeGreaterThan(replacement);
    expect((await engine.models()).versions.map((v) => v.version)).toEqual([retrained]);
  });
});

const NOTHING_HELD = { deletedVersions: [], keptVersions: [], replacedBy: null, roles: [], influenceGone: 'now', retrainJobId: null };

/** Waits (up to 30 s) until the version of a training job is served and no version holds an erased user; answers it. */
async function servedJob(engine: Engine, jobId: string | null): Promise<number | undefined> {
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 25))) {
    const { versions } = await engine.models();
    const served = versions.find((v) => v.meta.jobId === jobId && v.serving);
    if (served && !versions.some((v) => typeof v.meta.holdsErased === 'number')) return served.version;
  }
  return undefined;
}
