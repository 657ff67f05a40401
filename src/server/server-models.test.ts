import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/config.js';
import { silentLogger } from '../core/logger.js';
import type { Event, Item } from '../core/types.js';
import { createEngine } from '../engine.js';
import type { Engine } from '../engine-types.js';
import { startServer, type RunningServer } from './app.js';

function catalogue(): { items: Item[]; events: Event[] } {
  const items: Item[] = Array.from({ length: 10 }, (_, i) => ({ id: `i${i}`, title: `Film ${i}` }));
  const events: Event[] = [];
  for (let u = 0; u < 20; u++) {
    for (let j = 0; j < 4; j++) events.push({ userId: `u${u}`, itemId: `i${(u + j) % 10}`, type: 'view', timestamp: new Date(Date.UTC(2024, 0, 1, u, j)).toISOString() });
  }
  return { items, events };
}

describe('models and training over HTTP (file store, training in a worker thread)', () => {
  let dir: string;
  let engine: Engine;
  let server: RunningServer;
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kindred-models-'));
    const config = resolveConfig({ store: { url: `sqlite://${join(dir, 'k.db')}` }, log: { level: 'silent' }, embeddings: { provider: 'none' } });
    engine = await createEngine(config, { logger: silentLogger });
    const { items, events } = catalogue();
    await engine.upsertItems(items);
    await engine.addEvents(events);
    server = await startServer(engine, { host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await server.close();
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('POST /v1/train: an equal request joins the run, a different one gets 409 with the running job id', async () => {
    const first = call('POST', '/v1/train', { model: 'itemknn' });
    await expect.poll(async () => (await engine.models()).training, { interval: 5 }).not.toBeNull();
    const [joined, other] = await Promise.all([call('POST', '/v1/train', { model: 'itemknn' }), call('POST', '/v1/train', { model: 'ease' })]);
    const done = await first;
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ model: 'itemknn', version: 1, jobId: expect.any(String) });
    expect(joined.body).toStrictEqual(done.body);
    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({ error: { code: 'CONFLICT', details: { jobId: done.body.jobId } } });
  });

  it('GET /v1/models lists versions with their training report and marks the served one; rollback pins and unpins', async () => {
    const second = await call('POST', '/v1/train', { model: 'ease', params: { lambda: 5 } });
    expect(second.body).toMatchObject({ model: 'ease', version: 2 });
    const listed = await call('GET', '/v1/models');
    expect(listed.status).toBe(200);
    expect(listed.body).toMatchObject({ serving: 2, pinned: null, training: null });
    const versions = listed.body.versions as Array<Record<string, unknown>>;
    expect(versions.map((v) => [v.version, v.serving])).toEqual([[2, true], [1, false]]);
    expect(versions[0].meta).toMatchObject({ model: 'ease', params: { lambda: 5 }, users: 20, items: 10, interactions: 80, trainedAt: expect.any(String), seconds: expect.any(Number) });
    // The overview's typed fields, read from the meta; an untuned training has no offline metrics and no tuned params.
    const meta = versions[0].meta as Record<string, unknown>;
    expect(versions[0]).toMatchObject({ model: 'ease', params: meta.params, trainedAt: meta.trainedAt, trainingSeconds: meta.seconds, users: 20, items: 10, interactions: 80 });
    expect(versions[0]).not.toHaveProperty('metrics');
    expect(versions[0]).not.toHaveProperty('tunedParams');

    expect((await call('POST', '/v1/models/rollback', { version: 1 })).body).toMatchObject({ serving: 1, pinned: 1 });
    expect((await call('GET', '/v1/users/u0/recommendations')).body).toMatchObject({ model: { name: 'itemknn', version: 1 } });
    expect((await call('GET', '/v1/status')).body).toMatchObject({ model: { name: 'itemknn', version: 1 } });
    expect((await call('POST', '/v1/models/rollback', { version: 'latest' })).body).toMatchObject({ serving: 2, pinned: null });
    expect(await call('POST', '/v1/models/rollback', { version: 9 })).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
    expect((await call('POST', '/v1/models/rollback', { version: 'oldest' })).status).toBe(400);
  });

  it('POST /v1/train with tune: bad tuning options are 400 naming the field, and nothing trains', async () => {
    const bad = [
      [{ budgetSeconds: 30 }, 'budgetSeconds'],
      [{ tune: true, budgetSeconds: 0 }, '/budgetSeconds'],
      [{ tune: true, budgetSeconds: 'soon' }, '/budgetSeconds'],
      [{ tune: 'yes' }, '/tune'],
      [{ tune: true, params: { lambda: 10 } }, 'params'],
    ] as const;
    for (const [body, path] of bad) {
      const res = await call('POST', '/v1/train', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(res.body.error), JSON.stringify(body)).toContain(path);
    }
    expect(((await call('GET', '/v1/models')).body.versions as unknown[]).length).toBe(2);
  });

  it('POST /v1/train with tune runs in the training worker and GET /v1/models shows the choice', async () => {
    const res = await call('POST', '/v1/train', { tune: true, model: 'itemknn', budgetSeconds: 5 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ model: 'itemknn', version: 3, tuning: { metric: 'ndcg@10', budgetSeconds: 5, models: [{ model: 'itemknn' }] } });
    const versions = (await call('GET', '/v1/models')).body.versions as Array<{ meta: Record<string, unknown> }>;
    expect(versions[0].meta).toMatchObject({ model: 'itemknn', paramSources: expect.any(Object), tuning: { validMetrics: { 'ndcg@10': expect.any(Number) } } });
    expect(versions[0]).toMatchObject({ model: 'itemknn', metricUsed: 'ndcg@10', metrics: (versions[0].meta.tuning as { validMetrics: object }).validMetrics });
  });
});
