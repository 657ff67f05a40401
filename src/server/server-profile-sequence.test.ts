import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Event, Item } from '../core/types.js';
import { startTestServer, type TestServer } from './test-server.js';

const at = (hour: number, minute: number): string => new Date(Date.UTC(2024, 0, 1, hour, minute)).toISOString();

/**
 * 8 space films and 8 romances, each genre watched in a fixed order (sf0 → sf1 → … → sf7 → sf0) by 16 users per genre;
 * `mixed` watched ro0..ro3, then sf0, sf1, sf2.
 */
function cycles(): { items: Item[]; events: Event[] } {
  const items: Item[] = [
    ...Array.from({ length: 8 }, (_, i) => ({ id: `sf${i}`, title: `Space film ${i}`, categories: ['Sci-Fi'], tags: ['space'] })),
    ...Array.from({ length: 8 }, (_, i) => ({ id: `ro${i}`, title: `Love film ${i}`, categories: ['Romance'], tags: ['wedding'] })),
  ];
  const events: Event[] = [];
  for (let u = 0; u < 32; u++) {
    const genre = u % 2 === 0 ? 'sf' : 'ro';
    for (let step = 0; step < 10; step++) events.push({ userId: `u${u}`, itemId: `${genre}${(u + step) % 8}`, type: 'rating', value: 5, timestamp: at(u % 24, step) });
  }
  ['ro0', 'ro1', 'ro2', 'ro3', 'sf0', 'sf1', 'sf2'].forEach((itemId, n) => events.push({ userId: 'mixed', itemId, type: 'rating', value: 5, timestamp: at(23, 30 + n) }));
  return { items, events };
}

// every epoch on every item (no early stopping): the test is about the profile, so training is pinned down
const TINY = { width: 16, heads: 2, blocks: 1, maxLength: 8, epochs: 40, patience: 0, batchSize: 8, learningRate: 0.01, dropout: 0.1, negatives: 0 };

describe('GET /v1/users/{id}/profile with a transformer served: the short-term interest is what the sequence predicts', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ embeddings: { provider: 'builtin' }, train: { thread: 'main' } });
    const { items, events } = cycles();
    await t.engine.upsertItems(items);
    await t.engine.addEvents(events);
    await t.client.train({ model: 'transformer', params: TINY });
  });
  afterAll(() => t.close());

  const nextOf = async (): Promise<string[]> => (await t.client.profile('mixed')).shortTerm.next?.items.map((i) => i.itemId) ?? [];

  it('answers the transformer\'s prediction after the latest items, with its state vector, in the documented schema', async () => {
    const profile = await t.client.profile('mixed');
    expect(profile.model.name).toBe('transformer');
    expect(profile.shortTerm.next).toMatchObject({ model: 'transformer', label: expect.stringContaining('Sci-Fi') });
    expect(profile.shortTerm.next?.items[0]).toMatchObject({ itemId: 'sf3', title: 'Space film 3' });
    expect(profile.shortTerm.next?.items.length).toBeLessThanOrEqual(5);
    expect(profile.shortTerm.vectors.sequence).toHaveLength(16);
    expect(profile.interests.map((i) => i.label).sort()).toEqual(['Romance · wedding', 'Sci-Fi · space']);
  });

  it('keeps the user\'s mutes: muting Sci-Fi takes its items out of the prediction, unmuting brings them back', async () => {
    const sciFi = (await t.client.profile('mixed')).interests.find((i) => i.label.startsWith('Sci-Fi'))?.id ?? '';
    const muted = await t.client.updateProfile('mixed', { interests: [{ id: sciFi, mute: true }] });
    expect(muted.shortTerm.next?.items.map((i) => i.itemId).filter((id) => id.startsWith('sf'))).toEqual([]);
    expect((await nextOf()).filter((id) => id.startsWith('sf'))).toEqual([]);
    await t.client.updateProfile('mixed', { interests: [{ id: sciFi, mute: false }] });
    expect((await nextOf())[0]).toBe('sf3');
  });

  it('moves on with the next event, without waiting for the interests to be clustered again', async () => {
    await t.engine.addEvents([{ userId: 'mixed', itemId: 'sf3', type: 'rating', value: 5, timestamp: at(23, 50) }]);
    expect((await nextOf())[0]).toBe('sf4');
  });
});
