import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from './config/config.js';
import { fixedClock } from './core/clock.js';
import { silentLogger } from './core/logger.js';
import type { Event, Item } from './core/types.js';
import { createEngine } from './engine.js';
import type { Engine } from './engine-types.js';

const T0 = Date.parse('2024-03-01T00:00:00Z');
const iso = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

const SPACE = [
  'A starship crew travels to a distant galaxy to stop an alien invasion.',
  'Astronauts stranded on Mars fight to survive and signal Earth.',
  'A space station falls silent and a rescue ship finds a monster aboard.',
  'Rebel pilots fly fighter ships against an evil galactic empire.',
  'A rocket engineer builds a spaceship to reach the moon.',
  'Robots and humans wage war among the planets of a far solar system.',
];
const LOVE = [
  'Two strangers fall in love during one summer in Paris.',
  'A bride has second thoughts and falls for the wedding planner.',
  'Childhood sweethearts meet again years later and rekindle their romance.',
  'A shy baker and a grumpy florist fall in love in a small town.',
  'A love letter sent to the wrong address starts a romance between two lonely people.',
  'A couple on the verge of divorce rediscover why they married.',
];

function catalogue(): { items: Item[]; events: Event[] } {
  const items: Item[] = [
    ...SPACE.map((text, i) => ({ id: `sf${i}`, title: `Space film ${i}`, text, categories: ['sci-fi'] })),
    ...LOVE.map((text, i) => ({ id: `ro${i}`, title: `Love film ${i}`, text, categories: ['romance'] })),
  ];
  const events: Event[] = [];
  let t = 0;
  for (let u = 0; u < 12; u++) {
    const group = u < 6 ? 'sf' : 'ro';
    for (let i = 0; i < 6; i++) if ((u + i) % 6 !== 5) events.push({ userId: `u${u}`, itemId: `${group}${i}`, type: 'like', timestamp: iso(t++) });
  }
  return { items, events };
}

describe('engine with the builtin text encoder', () => {
  let engine: Engine | undefined;
  afterEach(async () => {
    await engine?.close();
    engine = undefined;
  });

  async function trained(): Promise<Engine> {
    engine = await createEngine(resolveConfig({ store: { url: 'sqlite://:memory:' }, embeddings: { provider: 'builtin' } }), {
      logger: silentLogger,
      clock: fixedClock(T0 + 86_400_000),
    });
    const { items, events } = catalogue();
    await engine.upsertItems(items);
    await engine.addEvents(events);
    await engine.train({ model: 'itemknn' });
    return engine;
  }

  it('answers an anonymous text query with items about it', async () => {
    const e = await trained();
    const res = await e.recommend(undefined, { query: 'a space adventure with starships and aliens', count: 4 });
    expect(res.items.filter((r) => r.itemId.startsWith('sf')).length).toBeGreaterThanOrEqual(3);
    expect(res.items[0].reasons[0].kind).toBe('query');
  });

  it('blends a query with the user: a romance fan asking for space still gets space first', async () => {
    const e = await trained();
    const res = await e.recommend('u7', { query: 'astronauts on a spaceship', count: 3 });
    expect(res.items[0].itemId.startsWith('sf')).toBe(true);
  });

  it('recommends items added through the API at once, before retraining, to the users they suit', async () => {
    const e = await trained();
    await e.upsertItems([
      { id: 'sf-new', title: 'Galaxy Rangers', text: 'A starship crew explores alien planets at the edge of the galaxy.' },
      { id: 'ro-new', title: 'Paris Hearts', text: 'Two lonely people fall in love over letters in Paris.' },
    ]);
    const forFan = (await e.recommend('u0', { count: 5 })).items;
    expect(forFan.find((r) => r.itemId === 'sf-new')?.reasons[0].kind).toBe('new-item');
    expect(forFan.map((r) => r.itemId)).not.toContain('ro-new');
    const forRomance = (await e.recommend('u6', { count: 5 })).items.map((r) => r.itemId);
    expect(forRomance).toContain('ro-new');
    expect(forRomance).not.toContain('sf-new');
    const similar = await e.similar('sf-new', { count: 3 });
    expect(similar.items.every((r) => r.itemId.startsWith('sf'))).toBe(true);
    expect(similar.items[0].reasons[0].kind).toBe('similar-content');
    expect(similar.trace[0].stage).toBe('similar:semantic');
  });

  it('serves a user whose only history is a new item, by content', async () => {
    const e = await trained();
    await e.upsertItems([{ id: 'ro-new', title: 'Paris Hearts', text: 'Two lonely people fall in love over letters in Paris.' }]);
    await e.addEvents([{ userId: 'late', itemId: 'ro-new', type: 'like', timestamp: iso(5000) }]);
    const res = await e.recommend('late', { count: 3 });
    expect(res.personalised).toBe(true);
    expect(res.items.every((r) => r.itemId.startsWith('ro'))).toBe(true);
  });
});
