import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isEngineError } from '../core/errors.js';
import type { Engine } from '../engine-types.js';
import { openShopEngine } from '../testkit/shop-engine.js';
// The shipped diversity and long-tail strengths are off here: each test turns on the stage it is about.
const CARE_OFF = { care: { diversity: 0, novelty: 0 } };
import { httpRejection, startShopServer, type TestServer } from '../server/test-server.js';

const T0 = Date.parse('2024-02-01T00:00:00Z');
const hoursAgo = (h: number) => new Date(T0 - h * 3_600_000).toISOString();

describe('engine.why on the shop fixture', () => {
  let engine: Engine;
  beforeAll(async () => {
    ({ engine } = await openShopEngine(CARE_OFF, T0, [{ userId: 'u1', itemId: 'i13', type: 'not_interested', timestamp: hoursAgo(30 * 24) }]));
    await engine.upsertItems([{ id: 'bare', categories: [] }]); // added after training, no text: nothing can recall it
  });
  afterAll(() => engine.close());

  it('an item shown as it was fused: its place, the channels that recalled it, its fused place and reasons, no stage moved it', async () => {
    const list = await engine.recommend('u0', { count: 5 });
    const why = await engine.why('u0', list.items[0].itemId, { count: 5 });
    expect(why).toMatchObject({ verdict: 'shown', position: 1, fused: { position: 1 }, moves: [], count: 5 });
    expect(why.channels.map((c) => c.channel)).toContain('cf');
    expect(why.channels.every((c) => c.rank >= 1)).toBe(true);
    expect(why.reasons).toEqual(list.items[0].reasons);
  });

  it('names diversity as the stage that moved a variety pick up, with what it does', async () => {
    const opts = { count: 5, care: { diversity: 0.8 } };
    const picked = (await engine.recommend('u1', opts)).items.find((r) => r.reasons.some((x) => x.kind === 'variety'));
    if (!picked) throw new Error('diversity 0.8 picked nothing for variety on the shop');
    const why = await engine.why('u1', picked.itemId, opts);
    expect(why.verdict).toBe('shown');
    const move = why.moves.find((m) => m.stage === 'diversity');
    expect(move?.to).toBe(why.position);
    expect(move?.from).toBeGreaterThan(move?.to ?? Infinity);
    expect(move?.does).toMatch(/varies the list/);
  });

  it('names fatigue as the stage that moved the top item below the cut after 4 impressions, and that removed it after 6', async () => {
    const top = (await engine.recommend('u2', { count: 3 })).items[0].itemId;
    await engine.recordImpressions('u2', [top], hoursAgo(3));
    await engine.recordImpressions('u2', [top], hoursAgo(2));
    await engine.recordImpressions('u2', [top], hoursAgo(1));
    await engine.recordImpressions('u2', [top], hoursAgo(0.5));
    const faded = await engine.why('u2', top, { count: 3 });
    expect(faded.verdict).toBe('below-cut');
    expect(faded.moves[0]).toMatchObject({ stage: 'fatigue', from: 1 });
    expect(faded.moves[0].to).toBeGreaterThan(3);
    expect(faded.text).toBe(`Ranked at place ${faded.moves.at(-1)?.to}, below the cut at 3`);
    expect(faded.reasons.length).toBeGreaterThan(0); // the reasons it would have had
    for (const h of [4, 5]) await engine.recordImpressions('u2', [top], hoursAgo(h));
    const capped = await engine.why('u2', top, { count: 3 });
    expect(capped).toMatchObject({ verdict: 'removed', moves: [{ stage: 'fatigue', from: 1, removed: true }] });
    expect(capped.text).toMatch(/^Removed at place 1 by the fatigue stage, which fades items shown/);
  });

  it('says what kept an item out before any stage: consumed, not interested, excluded, filtered', async () => {
    expect((await engine.why('u0', 'i0')).verdict).toBe('consumed');
    expect((await engine.why('u1', 'i13')).verdict).toBe('not-interested');
    expect((await engine.why('u0', 'i9', { exclude: ['i9'] })).verdict).toBe('excluded');
    const filtered = await engine.why('u0', 'i20', { filter: 'price < 10' });
    expect(filtered).toMatchObject({ verdict: 'filtered', channels: [], moves: [] });
  });

  it('an item below the cut says its place; an item nothing recalls says so', async () => {
    const list = await engine.recommend('u0', { count: 6 });
    const fifth = list.items[4].itemId;
    const below = await engine.why('u0', fifth, { count: 2 });
    expect(below).toMatchObject({ verdict: 'below-cut', text: 'Ranked at place 5, below the cut at 2', count: 2 });
    expect((await engine.why('u0', 'bare')).verdict).toBe('not-recalled');
  });

  it('NOT_FOUND for an unknown user or item', async () => {
    for (const [user, item] of [['nobody', 'i1'], ['u0', 'no-such-item']]) {
      const err = await engine.why(user, item).catch((e: unknown) => e);
      expect(isEngineError(err) && err.code).toBe('NOT_FOUND');
    }
  });
});

describe('GET /v1/users/{id}/recommendations/{item}/why', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startShopServer();
  });
  afterAll(async () => t.close());

  it('answers with the stage that moved the item, through the typed client too', async () => {
    const picked = (await t.client.recommend('u1', { count: 5, care: { diversity: 0.8 } })).items.find((r) => r.reasons.some((x) => x.kind === 'variety'));
    if (!picked) throw new Error('no variety pick');
    const res = await fetch(`${t.server.url}/v1/users/u1/recommendations/${picked.itemId}/why?count=5&diversity=0.8`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { verdict: string; moves: Array<{ stage: string }> };
    expect(body.verdict).toBe('shown');
    expect(body.moves.map((m) => m.stage)).toContain('diversity');
    const viaClient = await t.client.why('u1', picked.itemId, { count: 5, care: { diversity: 0.8 } });
    expect(viaClient.moves.map((m) => m.stage)).toContain('diversity');
  });

  it('is in the OpenAPI document with both path parameters, the list options and its response schema', async () => {
    const doc = (await (await fetch(`${t.server.url}/openapi.json`)).json()) as {
      paths: Record<string, { get: { parameters: Array<{ name: string; in: string }>; responses: Record<string, unknown> } }>;
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
    };
    const op = doc.paths['/v1/users/{id}/recommendations/{item}/why'].get;
    expect(op.parameters.filter((p) => p.in === 'path').map((p) => p.name)).toEqual(['id', 'item']);
    expect(op.parameters.map((p) => p.name)).toEqual(expect.arrayContaining(['count', 'query', 'filter', 'scenario', 'diversity']));
    expect(Object.keys(doc.components.schemas.WhyResult.properties)).toEqual(expect.arrayContaining(['verdict', 'channels', 'fused', 'moves', 'reasons']));
    expect(doc.components.schemas.Reason.properties).toHaveProperty('evidence');
  });

  it('?moves=true adds each shown item\'s moves to the list, and the normal response has none', async () => {
    const plain = await t.client.recommend('u0', { count: 5, care: { diversity: 0.8 } });
    expect(plain.moves).toBeUndefined();
    const res = await t.client.recommend('u0', { count: 5, care: { diversity: 0.8 }, moves: true });
    expect(res.items.map((r) => r.itemId)).toEqual(plain.items.map((r) => r.itemId));
    expect(res.moves?.slice(0, 5).map((m) => m.itemId)).toEqual(res.items.map((r) => r.itemId));
    res.moves?.slice(0, 5).forEach((m, i) => expect(m.final).toBe(i + 1));
    const variety = plain.items.filter((r) => r.reasons.some((x) => x.kind === 'variety')).map((r) => r.itemId);
    for (const id of variety) expect(res.moves?.find((m) => m.itemId === id)?.moves.map((x) => x.stage)).toContain('diversity');
  });

  it('404 for an unknown user or item, 400 for bad options', async () => {
    expect((await httpRejection(t.client.why('nobody', 'i1'))).status).toBe(404);
    expect((await httpRejection(t.client.why('u0', 'nope'))).status).toBe(404);
    for (const q of ['diversity=2', 'count=0', 'explain=true', 'colour=red']) {
      const res = await fetch(`${t.server.url}/v1/users/u0/recommendations/i9/why?${q}`);
      expect(res.status, q).toBe(400);
    }
  });
});
