import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Item } from '../core/types.js';
import { KindredHttpError } from './client.js';
import { startTestServer, type TestServer } from './test-server.js';

const FILMS: Item[] = [
  { id: 'space1', title: 'Star Voyage', text: 'A starship crew travels to a distant galaxy to stop an alien invasion.' },
  { id: 'space2', title: 'Red Planet', text: 'Astronauts stranded on Mars fight to survive and signal Earth.' },
  { id: 'love1', title: 'Paris Summer', text: 'Two strangers fall in love during one summer in Paris.' },
  { id: 'love2', title: 'The Planner', text: 'A bride has second thoughts and falls for the wedding planner.' },
];

describe('GET /v1/recommendations?query=', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ embeddings: { provider: 'builtin' } });
    await t.client.upsertItems(FILMS);
    const now = Date.parse('2024-01-01T00:00:00Z');
    await t.client.addEvents(FILMS.flatMap((f, i) => [0, 1, 2].map((u) => ({ userId: `u${u}`, itemId: f.id, type: 'view', timestamp: new Date(now + i * 1000 + u).toISOString() }))));
    await t.client.train();
  });
  afterAll(() => t.close());

  it('answers a free-text query for anyone, with a reason naming it', async () => {
    const res = await t.client.search('astronauts in outer space', { count: 2 });
    expect(res.items.map((r) => r.itemId).sort()).toEqual(['space1', 'space2']);
    expect(res.items[0].reasons[0]).toMatchObject({ kind: 'query' });
    expect(res.personalised).toBe(false);
  });

  it('rejects a request without a query, naming the field', async () => {
    const err = await fetch(`${t.server.url}/v1/recommendations?count=2`).then((r) => r.json() as Promise<{ error: { code: string; details: { field?: string } } }>);
    expect(err.error.code).toBe('INVALID_INPUT');
    expect(JSON.stringify(err.error.details)).toContain('query');
  });

  it('is listed in the OpenAPI document', async () => {
    const doc = (await fetch(`${t.server.url}/openapi.json`).then((r) => r.json())) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toContain('/v1/recommendations');
  });

  it('says clearly when the server has no embedding provider', async () => {
    const bare = await startTestServer({ embeddings: { provider: 'none' } });
    try {
      await bare.client.upsertItems(FILMS);
      await bare.client.addEvents([{ userId: 'u', itemId: 'space1', type: 'view', timestamp: '2024-01-01T00:00:00Z' }]);
      await bare.client.train();
      const err = await bare.client.search('space').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(KindredHttpError);
      expect((err as KindredHttpError).status).toBe(501);
    } finally {
      await bare.close();
    }
  });
});
