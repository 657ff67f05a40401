/** Examples of the bugs the HTTP property test (http-properties.test.ts) found, one per bug, kept as plain regressions. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/config.js';
import { silentLogger } from '../core/logger.js';
import { createEngine } from '../engine.js';
import type { Engine } from '../engine-types.js';
import { eventWeight } from '../config/event-weight.js';
import { validateRecords } from '../ingest/validate.js';
import { shopCatalogue } from '../testkit/shop-catalogue.js';
import { buildApp } from './app.js';

describe('bad input found by the HTTP property test', () => {
  let engine: Engine;
  let app: FastifyInstance;
  const post = async (url: string, payload: string) => {
    const res = await app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload });
    return { status: res.statusCode, json: res.json<{ error?: { code: string; message: string; details: Record<string, unknown> } }>() };
  };

  beforeAll(async () => {
    engine = await createEngine(resolveConfig({ store: { url: 'sqlite://:memory:' }, log: { level: 'silent' }, train: { thread: 'main' } }), { logger: silentLogger });
    const { items, events } = shopCatalogue({ items: 30, likes: 8, step: 3 });
    await engine.upsertItems(items);
    await engine.addEvents(events);
    app = buildApp(engine);
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await engine.close();
  });

  it('rejects Object.prototype names as model params instead of training with them (a deep value was a 500)', async () => {
    const deep = `${'['.repeat(3000)}1${']'.repeat(3000)}`;
    for (const payload of [`{"model":"itemknn","params":{"constructor":${deep}}}`, '{"model":"itemknn","params":{"toString":1}}']) {
      const res = await post('/v1/train', payload);
      expect(res.status).toBe(400);
      expect(res.json.error).toMatchObject({ code: 'INVALID_CONFIG', details: { path: expect.stringMatching(/^(constructor|toString)$/) } });
    }
    expect((await engine.models()).versions).toEqual([]);
  });

  it('rejects an event value beyond ±1e9, which made every later training fail (a weight of Infinity)', async () => {
    const res = await post('/v1/events', '{"events":[{"userId":"u1","itemId":"i5","type":"rating","value":1e308,"timestamp":"2024-01-02T00:00:00Z"}]}');
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: 'INVALID_INPUT', details: { path: '/events/0/value', row: 0, field: 'value' } });
    expect(() => validateRecords('event', [{ userId: 'u1', itemId: 'i5', type: 'rating', value: -2e9, timestamp: '2024-01-02T00:00:00Z' }])).toThrow(/value/);
    const fine = await post('/v1/events', '{"events":[{"userId":"u1","itemId":"i5","type":"rating","value":1e9,"timestamp":"2024-01-02T00:00:00Z"}]}');
    expect(fine.status).toBe(200);
    expect((await post('/v1/train', '{"model":"itemknn"}')).status).toBe(200);
  });

  it('rejects the event type "constructor" as unknown (Object.prototype answered the type lookup)', async () => {
    const res = await post('/v1/events', '{"events":[{"userId":"u1","itemId":"i5","type":"constructor","timestamp":"2024-01-02T00:00:00Z"}]}');
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: 'INVALID_INPUT', details: { path: '/events/0/type', row: 0, field: 'type' } });
    expect(eventWeight('constructor', undefined, {})).toBe(1);
  });

  it('points an impression error into a single-list body at the field, not at /0', async () => {
    const before = (await engine.status()).counts.events;
    const single = await post('/v1/impressions', '{"userId":"u1","itemIds":["i1"],"timestamp":"2024-12-31T23:59:60Z"}');
    expect(single.status).toBe(400);
    expect(single.json.error).toMatchObject({ code: 'INVALID_INPUT', details: { path: '/timestamp' } });
    const listed = await post('/v1/impressions', '[{"userId":"u1","itemIds":["i1"]},{"userId":"u1","itemIds":["i1"],"timestamp":"2024-12-31T23:59:60Z"}]');
    expect(listed.json.error).toMatchObject({ code: 'INVALID_INPUT', details: { path: '/1/timestamp' } });
    expect((await engine.status()).counts.events).toBe(before);
  });
});
