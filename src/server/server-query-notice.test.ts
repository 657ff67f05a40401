import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Item } from '../core/types.js';
import { startTestServer, type TestServer } from './test-server.js';

const SUBJECTS = ['a starship crew', 'two lovers', 'a detective', 'a cowboy', 'a chef', 'a boxer', 'a family of wizards', 'a submarine captain', 'a jazz band', 'a lonely robot', 'a football team'];
const ACTIONS = ['searches for', 'fights over', 'runs away from', 'finds', 'defends', 'loses', 'sings about', 'builds', 'steals', 'protects'];
const OBJECTS = ['a lost treasure', 'a haunted castle', 'an alien planet', 'a small bakery', 'the championship', 'a secret letter'];

/** 660 distinct plot lines: enough items for the similarity floor to apply (it is off below 200). */
function catalogue(): Item[] {
  return SUBJECTS.flatMap((s, a) => ACTIONS.flatMap((v, b) => OBJECTS.map((o, c) => ({ id: `f${a}-${b}-${c}`, title: `Film ${a}-${b}-${c}`, text: `${s} ${v} ${o}.` }))));
}

describe('GET /v1/recommendations?query= below the similarity floor', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ embeddings: { provider: 'builtin' } });
    const items = catalogue();
    await t.client.upsertItems(items);
    const now = Date.parse('2024-01-01T00:00:00Z');
    await t.client.addEvents(items.slice(0, 60).map((f, i) => ({ userId: `u${i % 6}`, itemId: f.id, type: 'view', timestamp: new Date(now + i * 1000).toISOString() })));
    await t.client.train();
  }, 60_000);
  afterAll(() => t.close());

  it('answers with no items and a notice, not a padded list', async () => {
    const res = await fetch(`${t.server.url}/v1/recommendations?query=${encodeURIComponent('quarterly tax return spreadsheet')}&count=5`).then((r) => r.json() as Promise<{ items: unknown[]; notice?: string }>);
    expect(res.items).toEqual([]);
    expect(res.notice).toBe('Nothing matched your search well.');
  });

  it('answers a matching query with its matches first, and counts them in the notice when they are fewer than asked', async () => {
    const res = await fetch(`${t.server.url}/v1/recommendations?query=${encodeURIComponent('a cowboy protects a haunted castle')}&count=3`)
      .then((r) => r.json() as Promise<{ items: Array<{ itemId: string; reasons: Array<{ kind: string }> }>; notice?: string }>);
    expect(res.items[0].itemId).toBe('f3-9-1');
    expect(res.items.every((r) => r.reasons[0].kind === 'query')).toBe(true);
    const n = res.items.length;
    expect(res.notice).toBe(n < 3 ? `Only ${n} ${n === 1 ? 'item' : 'items'} matched your search well.` : undefined);
  });
});
