import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECALL_CHANNEL_BUDGETS } from '../config/pipeline-section.js';
import { shopCatalogue } from '../testkit/shop-catalogue.js';
import { httpRejection, startTestServer, type TestServer } from '../server/test-server.js';
import { budgetNotice, floorNotice } from './budget.js';

describe('budgets over HTTP', () => {
  let t: TestServer;
  beforeAll(async () => {
    // main-first over cf alone: the fused score is itemknn's own (see budget-simulation.test.ts).
    t = await startTestServer({ pipeline: { fuse: 'main-first', recall: { cf: RECALL_CHANNEL_BUDGETS.cf } }, care: { dailyBudget: 6 } });
    const { items, events } = shopCatalogue({ items: 30, likes: 8, step: 3 });
    await t.client.upsertItems(items);
    await t.client.addEvents([...events, { userId: 'weak', itemId: 'i29', type: 'view', timestamp: '2024-01-20T00:00:00Z' }]);
    await t.client.train({ model: 'itemknn' });
  });
  afterAll(async () => t.close());

  it('returns the rest of the daily budget with its notice once impressions are posted', async () => {
    const first = await t.client.recommend('u0', { count: 4 });
    expect(first.items).toHaveLength(4);
    expect(first.notice).toBeUndefined();
    await t.client.recordImpressions({ userId: 'u0', itemIds: first.items.map((r) => r.itemId) });
    const second = await t.client.recommend('u0', { count: 4 });
    expect(second.items).toHaveLength(2);
    expect(second.notice).toBe(budgetNotice(6, 2));
  });

  it('takes ?qualityFloor= and says so when it shortens the list', async () => {
    const res = await fetch(`${t.server.url}/v1/users/weak/recommendations?count=10&qualityFloor=0.6`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: Array<{ itemId: string }>; notice?: string };
    expect(body.items.map((r) => r.itemId).sort()).toEqual(['i0', 'i1', 'i27', 'i28']);
    expect(body.notice).toBe(floorNotice(4));
    const viaClient = await t.client.recommend('weak', { count: 10, care: { qualityFloor: 0.6 } });
    expect(viaClient.items).toHaveLength(4);
  });

  it('answers 400 on a floor outside 0..1 or not a number', async () => {
    for (const q of ['qualityFloor=2', 'qualityFloor=-0.5', 'qualityFloor=high']) {
      const res = await fetch(`${t.server.url}/v1/users/weak/recommendations?${q}`);
      expect(res.status).toBe(400);
    }
    const err = await httpRejection(t.client.recommend('weak', { care: { qualityFloor: 3 } }));
    expect(err.status).toBe(400);
    expect(err.code).toBe('INVALID_INPUT');
  });
});
