import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Event, Item } from '../core/types.js';
import type { FakeOpenAiServer } from '../testkit/fake-openai-server.js';
import { httpRejection, startServerWithFakeLlm, type TestServer } from './test-server.js';

/** What each user's own text is: a history title only they chose, a review (Japanese: the LLM sentiment path) and a query. */
const PLANTED = {
  quiet: { item: 'quiet-diary', title: 'Quietude Ledger Of Harbours', review: '静かな港の秘密の日記がとても好き', query: 'lighthouse keepers whispering secrets' },
  open: { item: 'open-diary', title: 'Openhearted Ledger Of Meadows', review: '広い草原の公開の感想文がとても好き', query: 'meadow shepherds singing openly' },
} as const;
type Who = keyof typeof PLANTED;

/** 6 space films and 6 romances liked by 24 users, one genre each; `quiet` and `open` rated 3 of each and one item of their own. */
function catalogue(): { items: Item[]; events: Event[] } {
  const items: Item[] = [
    ...Array.from({ length: 6 }, (_, i) => ({ id: `sf${i}`, title: `Space film ${i}`, text: `rockets and stars ${i}`, categories: ['Sci-Fi'], tags: ['space'] })),
    ...Array.from({ length: 6 }, (_, i) => ({ id: `ro${i}`, title: `Love film ${i}`, text: `weddings and letters ${i}`, categories: ['Romance'], tags: ['wedding'] })),
    ...Object.values(PLANTED).map((p) => ({ id: p.item, title: p.title, categories: ['Sci-Fi'], tags: ['space'] })),
  ];
  const events: Event[] = [];
  const at = (u: number, i: number) => new Date(Date.UTC(2024, 0, 1, u, i)).toISOString();
  for (let u = 0; u < 24; u++) {
    for (let i = 0; i < 6; i++) events.push({ userId: `u${u}`, itemId: `${u % 2 === 0 ? 'sf' : 'ro'}${i}`, type: 'rating', value: 5, timestamp: at(u, i) });
  }
  for (const [n, who] of (['quiet', 'open'] as const).entries()) {
    for (let i = 0; i < 12; i++) if (i % 6 < 3) events.push({ userId: who, itemId: items[i].id, type: 'rating', value: 5, timestamp: at(30 + n, i) });
  }
  return { items, events };
}

const bodiesOf = (fake: FakeOpenAiServer, from: number): string[] => fake.requests.slice(from).map((r) => JSON.stringify(r.body));

describe('consent.llm over HTTP, with a remote (fake OpenAI) LLM and embedder', () => {
  let t: TestServer;
  let fake: FakeOpenAiServer;
  beforeAll(async () => {
    ({ t, fake } = await startServerWithFakeLlm());
    const { items, events } = catalogue();
    await t.client.upsertItems(items);
    await t.client.upsertUsers([{ id: 'quiet', consent: { llm: false } }, { id: 'open', consent: { llm: true } }, { id: 'private', consent: { personalisation: false } }]);
    await t.client.addEvents(events);
    // The consenters' history is also given to `private`, who refused personalisation.
    await t.client.addEvents(events.filter((e) => e.userId === 'open').map((e) => ({ ...e, userId: 'private' })));
    await t.client.train({ model: 'als', params: { factors: 8, iterations: 10 } });
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  /** The user's review of their own item, a list (LLM re-rank, LLM sentiment), a list with sentences, a query and their profile. */
  async function touchEverything(who: Who): Promise<{ explainTraced: boolean; query: 'answered' | number }> {
    const p = PLANTED[who];
    await t.client.addEvents([{ userId: who, itemId: p.item, type: 'rating', value: 5, timestamp: '2024-01-03T00:00:00.000Z', text: p.review }]);
    await t.client.recommend(who, { count: 5 });
    const explained = await t.client.recommend(who, { count: 5, explain: true });
    const query = await t.client.recommend(who, { count: 5, query: p.query }).then(() => 'answered' as const, async (e: unknown) => (await httpRejection(Promise.reject(e))).status);
    await t.client.profile(who);
    return { explainTraced: explained.trace.some((s) => s.stage === 'llm-explain'), query };
  }

  it('sends none of a non-consenting user\'s text, and refuses their query rather than embed it remotely', async () => {
    const from = fake.requests.length;
    const { explainTraced, query } = await touchEverything('quiet');
    const bodies = bodiesOf(fake, from);
    for (const planted of [PLANTED.quiet.title, PLANTED.quiet.review, PLANTED.quiet.query]) {
      expect(bodies.filter((b) => b.includes(planted))).toEqual([]);
    }
    expect(fake.requests.slice(from).filter((r) => r.path.endsWith('/chat/completions'))).toEqual([]);
    expect(explainTraced).toBe(false);
    expect(query).toBe(501);
    // Still a personalised list: consent.llm is not consent.personalisation.
    expect((await t.client.recommend('quiet', { count: 5 })).personalised).toBe(true);
  });

  it('sends a consenting user\'s text on every path (so the check above is not vacuous)', async () => {
    const from = fake.requests.length;
    const { explainTraced, query } = await touchEverything('open');
    const bodies = bodiesOf(fake, from);
    for (const planted of [PLANTED.open.title, PLANTED.open.review, PLANTED.open.query]) {
      expect(bodies.some((b) => b.includes(planted))).toBe(true);
    }
    // Each LLM use called the provider: interest labels, review sentiment, re-rank and sentences (by their system prompts).
    const systems = fake.requests.slice(from).flatMap((r) => (r.body as { messages?: { role: string; content: string }[] }).messages?.[0]?.content ?? []);
    for (const task of [/name a user's tastes/, /sentiment/, /re-rank/, /why it was recommended/]) expect(systems.some((c) => task.test(c))).toBe(true);
    expect(explainTraced).toBe(true);
    expect(query).toBe('answered');
  });

  it('gives a user who refused personalisation a non-personalised list over HTTP', async () => {
    const [priv, open] = await Promise.all([t.client.recommend('private', { count: 5 }), t.client.recommend('open', { count: 5 })]);
    expect(open.personalised).toBe(true);
    expect(priv.personalised).toBe(false);
    for (const r of priv.items) expect(r.reasons.map((x) => x.kind).join(' ')).toMatch(/popular|cold-start/);
  });
});
