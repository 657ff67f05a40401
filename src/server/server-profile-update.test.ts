import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { genreOf, twoGenres } from '../testkit/two-genres.js';
import { httpRejection, startTestServer, type TestServer } from './test-server.js';

describe('PATCH /v1/users/{id}/profile', () => {
  let t: TestServer;
  let sciFi = '';
  let romance = '';
  beforeAll(async () => {
    t = await startTestServer({ embeddings: { provider: 'none' }, train: { thread: 'main' } });
    const { items, events } = twoGenres();
    await t.engine.upsertItems(items);
    await t.engine.addEvents(events);
    await t.client.train({ model: 'als', params: { factors: 8, iterations: 10 } });
    const profile = await t.client.profile('fan');
    sciFi = profile.interests.find((i) => i.label.startsWith('Sci-Fi'))?.id ?? '';
    romance = profile.interests.find((i) => i.label.startsWith('Romance'))?.id ?? '';
  });
  afterAll(() => t.close());

  const genres = async (): Promise<string[]> => (await t.client.recommend('fan', { count: 10 })).items.map((r) => genreOf(r.itemId));

  it('mutes an interest: its items leave the next list, and come back when unmuted', async () => {
    expect(sciFi).not.toBe('');
    expect(new Set(await genres())).toEqual(new Set(['sf', 'ro']));
    const muted = await t.client.updateProfile('fan', { interests: [{ id: sciFi, mute: true }] });
    expect(muted.interests.find((i) => i.id === sciFi)).toMatchObject({ muted: true, boost: 1 });
    const after = await t.client.recommend('fan', { count: 10 });
    expect(after.items.map((r) => genreOf(r.itemId))).not.toContain('sf');
    expect(after.items.length).toBeGreaterThan(0);
    expect(after.trace.map((s) => s.stage)).toContain('interest-preferences');
    await t.client.updateProfile('fan', { interests: [{ id: sciFi, mute: false }] });
    expect(await genres()).toContain('sf');
  });

  it('boosts an interest: its items move up by the boost (position p placed as p / boost); reset clears it', async () => {
    // Whichever genre leads, boosting the other by 10 brings its items (positions 6-10 -> 0.6-1.0) ahead of the first.
    const led = (await genres())[0];
    const other = led === 'sf' ? romance : sciFi;
    await t.client.updateProfile('fan', { interests: [{ id: other, boost: 10 }] });
    const boosted = await genres();
    expect(boosted.slice(0, 4).every((g) => g !== led)).toBe(true);
    expect(boosted.slice(0, 6).filter((g) => g !== led)).toHaveLength(5);
    const reset = await t.client.updateProfile('fan', { reset: true });
    expect(reset.interests.every((i) => !i.muted && i.boost === 1)).toBe(true);
    expect((await genres())[0]).toBe(led);
  });

  it('keeps interest ids stable while events arrive', async () => {
    const before = await t.client.profile('fan');
    await t.client.addEvents([{ userId: 'fan', itemId: 'sf5', type: 'like', timestamp: new Date(Date.UTC(2024, 0, 2)).toISOString() }]);
    const after = await t.client.profile('fan');
    expect(after.events).toBe(before.events + 1);
    expect(after.interests.map((i) => [i.id, i.label]).sort()).toEqual(before.interests.map((i) => [i.id, i.label]).sort());
    expect(after.interests.find((i) => i.id === sciFi)?.size).toBe((before.interests.find((i) => i.id === sciFi)?.size ?? 0) + 1);
  });

  it('answers 400 naming the path for an unknown interest id, a bad value or an unknown field, and changes nothing', async () => {
    const unknown = await httpRejection(t.client.updateProfile('fan', { interests: [{ id: sciFi, mute: true }, { id: '99', mute: true }] }));
    expect(unknown).toMatchObject({ status: 400, code: 'INVALID_INPUT' });
    expect(JSON.stringify(unknown.details)).toContain('/interests/1/id');
    expect((await t.client.profile('fan')).interests.some((i) => i.muted)).toBe(false);
    for (const body of [{ interests: [{ id: sciFi, boost: 0 }] }, { interests: [{ id: sciFi, mute: 'yes' }] }, { interests: [{ id: sciFi }], colour: 'red' }]) {
      const res = await fetch(`${t.server.url}/v1/users/fan/profile`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(res.status).toBe(400);
    }
    expect(await httpRejection(t.client.updateProfile('nobody', { reset: true }))).toMatchObject({ status: 404 });
  });

  it('is documented in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${t.server.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, { requestBody?: unknown }>> };
    expect(doc.paths['/v1/users/{id}/profile'].patch.requestBody).toBeDefined();
  });
});
