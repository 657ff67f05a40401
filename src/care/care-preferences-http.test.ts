import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRejection, startShopServer, type TestServer } from '../server/test-server.js';

describe('care preferences over HTTP', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startShopServer();
  });
  afterAll(async () => t.close());

  const send = (method: string, path: string, body?: unknown) =>
    fetch(`${t.server.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

  it('PUT replaces, PATCH sets and clears (null), GET reads; the list follows the stored diversity', async () => {
    const plain = (await t.client.recommend('u0', { count: 5 })).items.map((r) => r.itemId);
    const varied = (await t.client.recommend('u0', { count: 5, care: { diversity: 0.8 } })).items.map((r) => r.itemId);
    expect(await t.client.putCarePreferences('u0', { diversity: 0.8, gentle: true, fatigueAfter: 2 }))
      .toEqual({ userId: 'u0', preferences: { diversity: 0.8, gentle: true, fatigueAfter: 2 }, mutedInterests: [] });
    expect((await t.client.recommend('u0', { count: 5 })).items.map((r) => r.itemId)).toEqual(varied);
    expect((await t.client.updateCarePreferences('u0', { gentle: null, repeatAfterDays: 30 })).preferences).toEqual({ diversity: 0.8, fatigueAfter: 2, repeatAfterDays: 30 });
    expect((await t.client.putCarePreferences('u0', { calibration: 0 })).preferences).toEqual({ calibration: 0 });
    expect((await t.client.carePreferences('u0')).preferences).toEqual({ calibration: 0 });
    expect((await t.client.recommend('u0', { count: 5 })).items.map((r) => r.itemId)).toEqual(plain);
  });

  it('answers 400 naming the field for a value out of range, of the wrong type, or an unknown key', async () => {
    for (const [body, field] of [[{ diversity: 2 }, 'diversity'], [{ gentle: 'yes' }, 'gentle'], [{ impressionCap: -1 }, 'impressionCap'], [{ loud: 1 }, undefined]] as const) {
      for (const method of ['PUT', 'PATCH']) {
        const res = await send(method, '/v1/users/u0/preferences', body);
        expect(res.status).toBe(400);
        const { error } = await res.json() as { error: { code: string; details: { path?: string; field?: string; allowed?: string[] } } };
        expect(error.code).toBe('INVALID_INPUT');
        if (field) expect(error.details).toMatchObject({ path: `/${field}`, field });
        else expect(error.details.allowed).toContain('dailyBudget');
      }
    }
    expect((await send('PUT', '/v1/users/u0/preferences', { diversity: null })).status).toBe(400); // null only clears in a PATCH
    expect((await send('PUT', '/v1/users/u0/preferences', [1])).status).toBe(400);
  });

  it('answers 404 for a user with neither a record nor events', async () => {
    expect((await httpRejection(t.client.carePreferences('nobody'))).status).toBe(404);
    expect((await httpRejection(t.client.updateCarePreferences('nobody', { diversity: 0.2 }))).status).toBe(404);
    expect((await send('PUT', '/v1/users/nobody/preferences', {})).status).toBe(404);
  });

  it('a scenario takes care settings over HTTP and validates them with the same paths', async () => {
    const saved = await t.client.putScenario({ name: 'calm', care: { dailyBudget: 2, cooldownHours: 12 } });
    expect(saved).toEqual({ name: 'calm', care: { dailyBudget: 2, cooldownHours: 12 } });
    expect(await t.client.getScenario('calm')).toEqual(saved);
    expect((await t.client.recommend('u1', { count: 5, scenario: 'calm' })).items).toHaveLength(2);
    const bad = await send('PUT', '/v1/scenarios/calm', { care: { diversity: 3 } });
    expect(bad.status).toBe(400);
    expect((await bad.json() as { error: { details: { path: string } } }).error.details.path).toBe('/care/diversity');
    expect((await send('PUT', '/v1/scenarios/calm', { care: { loud: true } })).status).toBe(400);
  });

  it('takes the fatigue and repeat knobs as query parameters, 400 outside their config range', async () => {
    const res = await t.client.recommend('u2', { count: 5, care: { impressionCap: 1, fatigueAfter: 1, fatigueDecay: 0.5, cooldownHours: 1, repeatAfterDays: 3 } });
    expect(res.items).toHaveLength(5);
    for (const q of ['impressionCap=-1', 'fatigueDecay=2', 'repeatAfterDays=x', 'cooldownHours=1e3']) {
      const r = await fetch(`${t.server.url}/v1/users/u2/recommendations?${q}`);
      expect(r.status).toBe(400);
    }
  });

  it('documents the routes in the OpenAPI document', async () => {
    const doc = await (await fetch(`${t.server.url}/openapi.json`)).json() as { paths: Record<string, Record<string, { operationId: string }>> };
    const ops = Object.values(doc.paths['/v1/users/{id}/preferences'] ?? {}).map((o) => o.operationId).sort();
    expect(ops).toEqual(['getCarePreferences', 'putCarePreferences', 'updateCarePreferences']);
  });
});
