import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRejection, startShopServer, type TestServer } from './test-server.js';

const priceOf = (id: string) => Number(id.slice(1));

describe('scenarios over HTTP', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startShopServer();
  });
  afterAll(async () => t.close());

  it('a scenario stored with PUT is used by ?scenario= on recommendations, search-free lists and similar', async () => {
    const stored = await t.client.putScenario({ name: 'home', filter: 'in_stock = true', count: 4, description: 'Front page' });
    expect(stored).toEqual({ name: 'home', filter: 'in_stock = true', count: 4, description: 'Front page' });
    expect(await t.client.getScenario('home')).toEqual(stored);
    const res = await t.client.recommend('u0', { scenario: 'home' });
    expect(res.items).toHaveLength(4);
    expect(res.items.every((r) => priceOf(r.itemId) % 2 === 0)).toBe(true);
    const both = await t.client.recommend('u0', { scenario: 'home', filter: 'price >= 15' });
    expect(both.items.every((r) => priceOf(r.itemId) % 2 === 0 && priceOf(r.itemId) >= 15)).toBe(true);
    const similar = await t.client.similar('i3', { scenario: 'home' });
    expect(similar.items.length).toBeGreaterThan(0);
    expect(similar.items.length).toBeLessThanOrEqual(4);
    expect(similar.items.every((r) => priceOf(r.itemId) % 2 === 0)).toBe(true);
  });

  it('a PUT replaces the scenario for the very next request; DELETE removes it', async () => {
    await t.client.putScenario({ name: 'email', count: 2 });
    expect((await t.client.recommend('u1', { scenario: 'email' })).items).toHaveLength(2);
    await t.client.putScenario({ name: 'email', count: 3, filter: '"high" in categories' });
    const next = await t.client.recommend('u1', { scenario: 'email' });
    expect(next.items).toHaveLength(3);
    expect(next.items.every((r) => priceOf(r.itemId) >= 15)).toBe(true);
    expect((await t.client.listScenarios()).map((s) => s.name)).toContain('email');
    await t.client.deleteScenario('email');
    const gone = await httpRejection(t.client.recommend('u1', { scenario: 'email' }));
    expect(gone.status).toBe(404);
    expect(gone.details).toEqual({ field: 'scenario' });
    expect((await httpRejection(t.client.getScenario('email'))).status).toBe(404);
    expect((await httpRejection(t.client.deleteScenario('email'))).status).toBe(404);
  });

  it('a bad filter on PUT answers 400 pointing at the bad token, and nothing is stored', async () => {
    const err = await httpRejection(t.client.putScenario({ name: 'item-page', filter: 'price < and in_stock = true' }));
    expect(err.status).toBe(400);
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toBe('filter: expected a value after "<" at position 8');
    expect(err.details).toMatchObject({ field: 'filter', position: 8, length: 3 });
    expect((await httpRejection(t.client.getScenario('item-page'))).status).toBe(404);
  });

  it('an unknown ?scenario= is a 404 naming the field, without echoing a long value', async () => {
    const res = await fetch(`${t.server.url}/v1/recommendations?query=x&scenario=${'z'.repeat(3000)}`);
    expect(res.status).toBe(404);
    const text = await res.text();
    expect(text).not.toContain('zzzzzzzzzz');
    expect(JSON.parse(text)).toMatchObject({ error: { code: 'NOT_FOUND', details: { field: 'scenario' } } });
  });

  it('round-trips recall overrides and lists scenarios in name order', async () => {
    const narrow = { name: 'a-narrow', recall: { cf: { quota: 1, pad: 0 }, popular: { quota: 0 } } };
    expect(await t.client.putScenario(narrow)).toEqual(narrow);
    const list = await t.client.listScenarios();
    expect(list[0]).toEqual(narrow);
    expect(list.map((s) => s.name)).toEqual([...list.map((s) => s.name)].sort());
    const res = await t.client.recommend('u2', { scenario: 'a-narrow', count: 3 });
    expect(res.trace.find((s) => s.stage.startsWith('cf'))?.candidatesOut).toBeLessThanOrEqual(3);
  });

  it('rejects a bad name, an unknown channel and an out-of-range count with 400', async () => {
    const put = (name: string, body: unknown) => fetch(`${t.server.url}/v1/scenarios/${name}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await put('Bad%20Name', {})).status).toBe(400);
    const channel = await put('home', { recall: { nearest: { quota: 1 } } });
    expect(channel.status).toBe(400);
    expect(((await channel.json()) as { error: { details: unknown } }).error.details).toMatchObject({ field: 'recall' });
    expect((await put('home', { count: 1001 })).status).toBe(400);
    expect((await put('home', { recall: { cf: { quota: 2, speed: 1 } } })).status).toBe(400);
  });
});
