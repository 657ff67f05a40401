import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, KindredHttpError } from './client.js';
import type { OpenApiDocument } from './openapi.js';
import { startTestServer, type TestServer } from './test-server.js';

const KEY = 'test-key-4f2a';

describe('API-key auth', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ server: { apiKeys: ['other-key', KEY] } }, KEY);
  });
  afterAll(async () => t.close());

  it('serves /v1 with a configured key', async () => {
    expect((await t.client.status()).counts).toEqual({ items: 0, users: 0, events: 0 });
  });

  it('answers 401 UNAUTHORIZED without a key or with a wrong one, and writes nothing', async () => {
    for (const apiKey of [undefined, 'wrong-key', KEY.slice(0, -1)]) {
      const anonymous = createClient({ baseUrl: t.server.url, apiKey });
      const err = await anonymous.upsertItems([{ id: 'x' }]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(KindredHttpError);
      expect(err).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    }
    const raw = await fetch(`${t.server.url}/v1/status`, { headers: { authorization: `Basic ${KEY}` } });
    expect(raw.status).toBe(401);
    expect(raw.headers.get('www-authenticate')).toBe('Bearer');
    expect((await t.client.status()).counts.items).toBe(0);
  });

  it('leaves /healthz and /openapi.json open', async () => {
    const anonymous = createClient({ baseUrl: t.server.url });
    expect(await anonymous.health()).toEqual({ status: 'ok' });
    const doc = (await (await fetch(`${t.server.url}/openapi.json`)).json()) as OpenApiDocument;
    expect(doc.paths['/v1/status'].get.security).toEqual([{ bearerAuth: ['read'] }]);
    expect(doc.paths['/healthz'].get.security).toEqual([]);
  });
});

describe('GET /openapi.json', () => {
  let t: TestServer;
  let doc: OpenApiDocument;
  beforeAll(async () => {
    t = await startTestServer();
    const res = await fetch(`${t.server.url}/openapi.json`);
    expect(res.status).toBe(200);
    doc = (await res.json()) as OpenApiDocument;
  });
  afterAll(async () => t.close());

  it('lists every route of the API', () => {
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(operations.sort()).toEqual([
      'DELETE /v1/items/{id}',
      'DELETE /v1/scenarios/{name}',
      'DELETE /v1/users/{id}',
      'DELETE /v1/users/{id}/feedback/{itemId}',
      'GET /healthz',
      'GET /openapi.json',
      'GET /v1/eval/reports',
      'GET /v1/eval/reports/{name}',
      'GET /v1/eval/reports/{name}/html',
      'GET /v1/items',
      'GET /v1/items/{id}',
      'GET /v1/items/{id}/exposure',
      'GET /v1/items/{id}/similar',
      'GET /v1/models',
      'GET /v1/models/snapshot',
      'GET /v1/recommendations',
      'GET /v1/scenarios',
      'GET /v1/scenarios/{name}',
      'GET /v1/stats/events',
      'GET /v1/stats/serving',
      'GET /v1/status',
      'GET /v1/users',
      'GET /v1/users/{id}',
      'GET /v1/users/{id}/events',
      'GET /v1/users/{id}/export',
      'GET /v1/users/{id}/feedback',
      'GET /v1/users/{id}/preferences',
      'GET /v1/users/{id}/profile',
      'GET /v1/users/{id}/recommendations',
      'GET /v1/users/{id}/recommendations/{item}/why',
      'PATCH /v1/users/{id}/preferences',
      'PATCH /v1/users/{id}/profile',
      'POST /v1/events',
      'POST /v1/impressions',
      'POST /v1/items',
      'POST /v1/models/rollback',
      'POST /v1/train',
      'POST /v1/users',
      'POST /v1/users/{id}/feedback',
      'PUT /v1/scenarios/{name}',
      'PUT /v1/users/{id}/preferences',
    ]);
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes).toBeUndefined();
  });

  it('references the Item, User and Event schemas that validate the bodies', () => {
    const bodyItems = (method: string, path: string, key: string) => {
      const op = doc.paths[path][method] as { requestBody: { content: Record<string, { schema: { properties: Record<string, { items: unknown }> } }> } };
      return op.requestBody.content['application/json'].schema.properties[key].items;
    };
    expect(bodyItems('post', '/v1/items', 'items')).toEqual({ $ref: '#/components/schemas/Item' });
    expect(bodyItems('post', '/v1/users', 'users')).toEqual({ $ref: '#/components/schemas/User' });
    expect(bodyItems('post', '/v1/events', 'events')).toEqual({ $ref: '#/components/schemas/Event' });
    expect(doc.components.schemas.Event).toMatchObject({ required: ['userId', 'itemId', 'type', 'timestamp'], properties: { timestamp: { format: 'date-time' } } });
    expect(doc.components.schemas.Item.additionalProperties).toBe(false);
  });

  it('documents every $ref it uses', () => {
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of new Set(refs)) {
      const name = /#\/components\/schemas\/(\w+)/.exec(ref)?.[1];
      expect(name, ref).toBeDefined();
      expect(doc.components.schemas, ref).toHaveProperty(name as string);
    }
  });
});
