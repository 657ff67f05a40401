import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Event, Item } from '../core/types.js';
import { httpRejection, startTestServer, type TestServer } from './test-server.js';

/** 6 space films and 6 romances; 24 users who like one genre each, and `fan` who rated all 12. */
function catalogue(): { items: Item[]; events: Event[] } {
  const items: Item[] = [
    ...Array.from({ length: 6 }, (_, i) => ({ id: `sf${i}`, title: `Space film ${i}`, categories: ['Sci-Fi'], tags: ['space'] })),
    ...Array.from({ length: 6 }, (_, i) => ({ id: `ro${i}`, title: `Love film ${i}`, categories: ['Romance'], tags: ['wedding'] })),
  ];
  const events: Event[] = [];
  const at = (u: number, i: number) => new Date(Date.UTC(2024, 0, 1, u, i)).toISOString();
  for (let u = 0; u < 24; u++) {
    for (let i = 0; i < 6; i++) events.push({ userId: `u${u}`, itemId: `${u % 2 === 0 ? 'sf' : 'ro'}${i}`, type: 'rating', value: 5, timestamp: at(u, i) });
  }
  for (let i = 0; i < 12; i++) events.push({ userId: 'fan', itemId: items[i].id, type: 'rating', value: 5, timestamp: at(30, i) });
  return { items, events };
}

describe('GET /v1/users/{id}/profile', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ embeddings: { provider: 'none' }, train: { thread: 'main' } });
    const { items, events } = catalogue();
    await t.engine.upsertItems(items);
    await t.engine.addEvents(events);
    await t.client.upsertUsers([{ id: 'newcomer' }, { id: 'private', consent: { personalisation: false } }]);
    await t.engine.addEvents(events.filter((e) => e.userId === 'fan').map((e) => ({ ...e, userId: 'private' })));
  });
  afterAll(() => t.close());

  it('answers 409 NOT_TRAINED before the first training', async () => {
    expect(await httpRejection(t.client.profile('fan'))).toMatchObject({ status: 409, code: 'NOT_TRAINED' });
  });

  it('answers the interests of a user who has events but no record, labelled by genre', async () => {
    await t.client.train({ model: 'als', params: { factors: 8, iterations: 10 } });
    expect((await httpRejection(t.client.getUser('fan'))).status).toBe(404);
    const profile = await t.client.profile('fan');
    expect(profile).toMatchObject({ userId: 'fan', model: { name: 'als' }, space: { kind: 'factors', source: 'als' }, events: 12 });
    expect(profile.interests.map((i) => i.label).sort()).toEqual(['Romance · wedding', 'Sci-Fi · space']);
    for (const i of profile.interests) {
      expect(i.weight).toBeCloseTo(0.5, 4); // minutes apart: the 365-day decay barely tells them apart
      expect(new Set(i.items.map((it) => it.itemId.slice(0, 2))).size).toBe(1);
    }
    expect(profile.longTerm.vectors.factors).toHaveLength(8);
    expect(profile.shortTerm).toMatchObject({ events: 12, window: 20, halfLifeDays: 7 });
  });

  it('answers an empty profile for a known user without events, and 404 for an unknown one', async () => {
    expect(await t.client.profile('newcomer')).toMatchObject({ userId: 'newcomer', events: 0, interests: [], drift: null });
    expect(await httpRejection(t.client.profile('nobody'))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('does not profile a user who refused personalisation, even with events, and stores nothing for them', async () => {
    expect(await t.client.profile('private')).toMatchObject({ userId: 'private', events: 0, interests: [], drift: null });
    expect(await t.client.updateProfile('private', { reset: true })).toMatchObject({ interests: [] });
    expect(await t.store.getProfile('private')).toBeUndefined();
  });

  it('is documented in the OpenAPI document with its response schema', async () => {
    const doc = (await (await fetch(`${t.server.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>>; components: { schemas: Record<string, unknown> } };
    expect(JSON.stringify(doc.paths['/v1/users/{id}/profile'].get.responses['200'])).toContain('InterestProfile');
    expect(doc.components.schemas.InterestProfile).toBeDefined();
  });
});
