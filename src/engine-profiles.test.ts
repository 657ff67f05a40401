import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig, type ConfigInput } from './config/config.js';
import { silentLogger } from './core/logger.js';
import { createEngine } from './engine.js';
import type { Engine } from './engine-types.js';
import { genreOf, twoGenres } from './testkit/two-genres.js';

const at = (minute: number) => new Date(Date.UTC(2024, 0, 2, 0, minute)).toISOString();

function open(url: string, extra: ConfigInput = {}): Promise<Engine> {
  return createEngine(resolveConfig({ ...extra, store: { url }, embeddings: { provider: 'none' }, train: { thread: 'main' }, log: { level: 'silent' } }), { logger: silentLogger });
}

describe('stored interest profiles through the engine', () => {
  let dir = '';
  let url = '';
  let engine: Engine;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kindred-profiles-'));
    url = `sqlite://${join(dir, 'k.db')}`;
    engine = await open(url);
    const { items, events } = twoGenres();
    await engine.upsertItems(items);
    await engine.addEvents(events);
    // λ pinned: the data-scaled default (0.36 on this 25 × 20 toy log of density 0.5) blurs its two genres
    await engine.train({ model: 'als', params: { factors: 8, iterations: 10, regularization: 0.02 } });
  });
  afterAll(async () => {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives a brand-new user with three events recommendations related to those items', async () => {
    await engine.addEvents(['sf0', 'sf1', 'sf2'].map((itemId, i) => ({ userId: 'newbie', itemId, type: 'like', timestamp: at(i) })));
    const { items, personalised } = await engine.recommend('newbie', { count: 5 });
    expect(personalised).toBe(true);
    expect(items.map((r) => genreOf(r.itemId))).toEqual(['sf', 'sf', 'sf', 'sf', 'sf']);
    expect((await engine.profile('newbie')).interests.map((i) => i.label)).toEqual(['Sci-Fi · space']);
  });

  it('changes the next response after one event, in the same process, without retraining', async () => {
    const version = (await engine.models()).serving;
    const before = await engine.recommend('newbie', { count: 5 });
    await engine.addEvents([{ userId: 'newbie', itemId: 'ro0', type: 'like', timestamp: at(10) }]);
    const after = await engine.recommend('newbie', { count: 5 });
    expect(before.items.map((r) => genreOf(r.itemId))).not.toContain('ro');
    expect(after.items.map((r) => genreOf(r.itemId))).toContain('ro');
    expect((await engine.models()).serving).toBe(version);
    expect((await engine.profile('newbie')).events).toBe(4);
  });

  it('leaves a muted interest out of the next list, and the mute survives a restart', async () => {
    const profile = await engine.profile('fan');
    const sciFi = profile.interests.find((i) => i.label.startsWith('Sci-Fi'));
    expect(sciFi).toBeDefined();
    await engine.updateProfile('fan', { interests: [{ id: sciFi?.id ?? '', mute: true }] });
    const shown = async (e: Engine) => (await e.recommend('fan', { count: 10 })).items.map((r) => genreOf(r.itemId));
    expect(await shown(engine)).not.toContain('sf');
    await engine.close();
    engine = await open(url);
    const reopened = await engine.profile('fan');
    expect(reopened.interests.find((i) => i.id === sciFi?.id)).toMatchObject({ label: sciFi?.label, muted: true });
    expect(await shown(engine)).not.toContain('sf');
    await engine.updateProfile('fan', { interests: [{ id: sciFi?.id ?? '', mute: false }] });
    expect(await shown(engine)).toContain('sf');
  });

  it('keeps ids, mutes and boosts when a new model version clusters the items again', async () => {
    const before = await engine.profile('fan');
    const romance = before.interests.find((i) => i.label.startsWith('Romance'));
    await engine.updateProfile('fan', { interests: [{ id: romance?.id ?? '', boost: 2 }] });
    await engine.train({ model: 'als', params: { factors: 8, iterations: 10, seed: 7, regularization: 0.02 } });
    const after = await engine.profile('fan');
    expect(after.model.version).toBeGreaterThan(before.model.version);
    // Each old interest keeps its id (newbie's co-likes may split Sci-Fi in two: the new part gets a new id).
    for (const old of before.interests) expect(after.interests.find((i) => i.id === old.id)?.label).toBe(old.label);
    expect(new Set(after.interests.map((i) => i.id)).size).toBe(after.interests.length);
    expect(after.interests.find((i) => i.id === romance?.id)?.boost).toBe(2);
  });

  it('forgets the stored profile with the user (erase)', async () => {
    await engine.eraseUser('newbie');
    await expect(engine.profile('newbie')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('mute and boost without item vectors', () => {
  it('is UNSUPPORTED in the neighbours space (item-kNN, no embeddings); reset still answers', async () => {
    const engine = await open('memory://');
    const { items, events } = twoGenres();
    await engine.upsertItems(items);
    await engine.addEvents(events);
    await engine.train({ model: 'itemknn' });
    const profile = await engine.profile('fan');
    expect(profile.space.kind).toBe('neighbours');
    await expect(engine.updateProfile('fan', { interests: [{ id: profile.interests[0].id, mute: true }] })).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    expect((await engine.updateProfile('fan', { reset: true })).interests.every((i) => !i.muted)).toBe(true);
    await engine.close();
  });
});
