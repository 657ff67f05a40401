import type { RouteOptions } from 'fastify';
import { describe, expect, it } from 'vitest';
import { itemSchema } from '../core/schemas.js';
import { buildOpenApi, routeRecords, type RouteRecord } from './openapi.js';
import { idParams, itemsBody, recommendQuery } from './request-schemas.js';
import { errorResponseSchema } from './response-schemas.js';

const routes: RouteRecord[] = [
  { method: 'GET', url: '/healthz', public: true, schema: { operationId: 'health', tags: ['system'], response: { 200: { type: 'object' } } } },
  { method: 'POST', url: '/v1/items', public: false, schema: { operationId: 'upsertItems', tags: ['items'], body: itemsBody, response: { 200: { type: 'object' }, 400: { $ref: 'Error' } } } },
  { method: 'GET', url: '/v1/items/:id', public: false, schema: { operationId: 'getItem', params: idParams, response: { 200: { $ref: 'Item' }, 404: { $ref: 'Error' } } } },
  { method: 'DELETE', url: '/v1/items/:id', public: false, schema: { params: idParams, response: { 204: { description: 'Deleted', type: 'null' } } } },
  { method: 'GET', url: '/v1/users/:id/recommendations', public: false, schema: { params: idParams, querystring: recommendQuery } },
];
const shared = { Item: itemSchema, Error: errorResponseSchema };

describe('buildOpenApi', () => {
  const doc = buildOpenApi(routes, shared, { title: 'Kindred', version: '1.2.3', authEnabled: false });

  it('turns route patterns into OpenAPI paths with one operation per method', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toEqual({ title: 'Kindred', version: '1.2.3' });
    expect(Object.keys(doc.paths)).toEqual(['/healthz', '/v1/items', '/v1/items/{id}', '/v1/users/{id}/recommendations']);
    expect(Object.keys(doc.paths['/v1/items/{id}'])).toEqual(['get', 'delete']);
    expect(doc.tags).toEqual([{ name: 'system' }, { name: 'items' }]);
  });

  it('points $refs at components built from the shared schemas, without $id', () => {
    expect(doc.components.schemas.Item).not.toHaveProperty('$id');
    expect(doc.components.schemas.Item.properties).toEqual(itemSchema.properties);
    const body = doc.paths['/v1/items'].post.requestBody as { required: boolean; content: Record<string, { schema: { properties: { items: { items: unknown } } } }> };
    expect(body.required).toBe(true);
    expect(body.content['application/json'].schema.properties.items.items).toEqual({ $ref: '#/components/schemas/Item' });
    const got = doc.paths['/v1/items/{id}'].get.responses as Record<string, { content: Record<string, { schema: unknown }> }>;
    expect(got[200].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Item' });
    expect(got[404].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
  });

  it('lists path and query parameters, lists as comma-separated', () => {
    const params = doc.paths['/v1/users/{id}/recommendations'].get.parameters as Record<string, unknown>[];
    expect(params.map((p) => [p.name, p.in, p.required])).toEqual([
      ['id', 'path', true],
      ['count', 'query', false],
      ['exclude', 'query', false],
      ['query', 'query', false],
      ['includeConsumed', 'query', false],
      ['filter', 'query', false],
      ['scenario', 'query', false],
      ['diversity', 'query', false],
      ['calibration', 'query', false],
      ['qualityFloor', 'query', false],
      ['novelty', 'query', false],
      ['gentle', 'query', false],
      ['fatigueAfter', 'query', false],
      ['fatigueDecay', 'query', false],
      ['impressionCap', 'query', false],
      ['cooldownHours', 'query', false],
      ['repeatAfterDays', 'query', false],
      ['explain', 'query', false],
      ['moves', 'query', false],
    ]);
    const exclude = params.find((p) => p.name === 'exclude');
    expect(exclude).toMatchObject({ style: 'form', explode: false, schema: { type: 'array' } });
    expect(exclude?.description).toMatch(/comma-separated/);
  });

  it('gives 204 answers no content', () => {
    const responses = doc.paths['/v1/items/{id}'].delete.responses as Record<string, unknown>;
    expect(responses[204]).toEqual({ description: 'Deleted' });
  });

  it('declares no security without API keys', () => {
    expect(doc.components.securitySchemes).toBeUndefined();
    expect(doc.paths['/v1/items'].post).not.toHaveProperty('security');
  });

  it('with API keys, protects /v1 routes with bearer auth (naming the scope), 401 and 403 answers but leaves public routes open', () => {
    const secured = buildOpenApi(routes, shared, { title: 'Kindred', version: '1.2.3', authEnabled: true });
    expect(secured.components.securitySchemes).toEqual({ bearerAuth: expect.objectContaining({ type: 'http', scheme: 'bearer' }) });
    expect(secured.paths['/v1/items'].post.security).toEqual([{ bearerAuth: ['write'] }]);
    expect(secured.paths['/v1/items'].post.responses).toHaveProperty('401');
    expect(secured.paths['/v1/items'].post.responses).toHaveProperty('403');
    expect(secured.paths['/v1/items'].post.responses).not.toHaveProperty('429');
    expect(secured.paths['/healthz'].get.security).toEqual([]);
    expect(secured.paths['/healthz'].get.responses).not.toHaveProperty('401');
  });
});

describe('routeRecords', () => {
  it('keeps every method but the HEAD twin and reads the public flag', () => {
    const route = { method: ['GET', 'HEAD'], url: '/healthz', config: { public: true }, handler: async () => ({}) } as unknown as RouteOptions;
    expect(routeRecords(route)).toEqual([{ method: 'GET', url: '/healthz', schema: undefined, public: true }]);
  });
});
