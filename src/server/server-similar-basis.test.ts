import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Event, Item } from '../core/types.js';
import { httpRejection, startTestServer, type TestServer } from './test-server.js';

const SPACE = [
  'A starship crew travels to a distant galaxy to stop an alien invasion.',
  'Astronauts stranded on Mars fight to survive and signal Earth.',
  'A space station falls silent and a rescue ship finds a monster aboard.',
  'Rebel pilots fly fighter ships against an evil galactic empire.',
];
const LOVE = [
  'Two strangers fall in love during one summer in Paris.',
  'A bride has second thoughts and falls for the wedding planner.',
  'Childhood sweethearts meet again years later and rekindle their romance.',
  'A shy baker and a grumpy florist fall in love in a small town.',
];

/** Two taste groups; `twin` has sf0's text word for word but was chosen by the romance group. */
function catalogue(): { items: Item[]; events: Event[] } {
  const items: Item[] = [
    ...SPACE.map((text, i) => ({ id: `sf${i}`, title: `Space film ${i}`, text })),
    ...LOVE.map((text, i) => ({ id: `ro${i}`, title: `Love film ${i}`, text })),
    { id: 'twin', title: 'Twin', text: SPACE[0] },
  ];
  const events: Event[] = [];
  for (let u = 0; u < 8; u++) {
    const liked = u < 4 ? ['sf0', 'sf1', 'sf2', 'sf3'] : ['ro0', 'ro1', 'ro2', 'ro3', 'twin'];
    liked.forEach((itemId, k) => events.push({ userId: `u${u}`, itemId, type: 'like', timestamp: new Date(Date.UTC(2024, 0, 1, u, k)).toISOString() }));
  }
  return { items, events };
}

async function trainedServer(provider: string): Promise<TestServer> {
  const t = await startTestServer({ embeddings: { provider } });
  const { items, events } = catalogue();
  await t.client.upsertItems(items);
  await t.client.addEvents(events);
  await t.client.train({ model: 'itemknn' });
  return t;
}

describe('GET /v1/items/{id}/similar?by=', () => {
  let t: TestServer;
  let plain: TestServer;
  beforeAll(async () => {
    [t, plain] = await Promise.all([trainedServer('ngram'), trainedServer('none')]);
  });
  afterAll(async () => Promise.all([t.close(), plain.close()]));

  it('collaborative: neighbours by who chose them, with their reason', async () => {
    const res = await t.client.similar('sf0', { by: 'collaborative', count: 3 });
    expect(res.items.map((r) => r.itemId).sort()).toEqual(['sf1', 'sf2', 'sf3']);
    expect(res.items[0].reasons[0]).toMatchObject({ kind: 'similar-to' });
    expect(res.trace[0].stage).toBe('similar:itemknn');
    expect((await t.client.similar('twin', { by: 'collaborative', count: 1 })).items[0].itemId).toMatch(/^ro/);
  });

  it('text: neighbours by item text embeddings, so the twin text comes first whoever chose it', async () => {
    const res = await t.client.similar('sf0', { by: 'text', count: 3 });
    expect(res.items[0].itemId).toBe('twin');
    expect(res.items[0].reasons[0]).toMatchObject({ kind: 'similar-content' });
    expect(res.trace[0].stage).toBe('similar:semantic');
  });

  it('without by, answers as before (the collaborative model first)', async () => {
    const res = await t.client.similar('sf0', { count: 3 });
    expect(res.items.map((r) => r.itemId).sort()).toEqual(['sf1', 'sf2', 'sf3']);
  });

  it('409 CONFLICT for an item the collaborative model was not trained on; text still finds its neighbours', async () => {
    await t.client.upsertItems([{ id: 'late', title: 'Late', text: SPACE[1] }]);
    expect(await httpRejection(t.client.similar('late', { by: 'collaborative' }))).toMatchObject({ status: 409, code: 'CONFLICT', details: { id: 'late', by: 'collaborative' } });
    expect((await t.client.similar('late', { by: 'text', count: 1 })).items[0].itemId).toBe('sf1');
  });

  it('501 UNSUPPORTED for text without text embeddings; 400 for an unknown basis; 404 for an unknown item', async () => {
    expect(await httpRejection(plain.client.similar('sf0', { by: 'text' }))).toMatchObject({ status: 501, code: 'UNSUPPORTED', details: { by: 'text' } });
    expect((await plain.client.similar('sf0', { by: 'collaborative', count: 1 })).items).toHaveLength(1);
    const res = await fetch(`${t.server.url}/v1/items/sf0/similar?by=genre`);
    expect(res.status).toBe(400);
    expect(await httpRejection(t.client.similar('nope', { by: 'text' }))).toMatchObject({ status: 404 });
  });

  it("reports the embedding provider's health from the calls training and requests made", async () => {
    const stats = await t.client.servingStats();
    expect(stats.providers.embedding).toMatchObject({ id: expect.stringMatching(/^ngram/), local: true, ok: true, opened: true, failures: 0 });
    expect(stats.providers.embedding?.calls).toBeGreaterThan(0);
    expect(stats.providers.embedding?.lastCallAt).toEqual(expect.any(String));
    expect((await plain.client.servingStats()).providers).toEqual({ embedding: null, llm: null });
  });
});
