import type { Event, Item } from '../core/types.js';

/**
 * For tests of interests: 10 space films and 10 romances; 24 users who each like every film of one genre, and `fan`
 * who rated the first 5 of each (so the other 5 of each genre are left to recommend). Timestamps are minutes apart.
 *
 * @example const { items, events } = twoGenres(); await engine.upsertItems(items); await engine.addEvents(events)
 */
export function twoGenres(): { items: Item[]; events: Event[] } {
  const items: Item[] = [
    ...Array.from({ length: 10 }, (_, i) => ({ id: `sf${i}`, title: `Space film ${i}`, categories: ['Sci-Fi'], tags: ['space'] })),
    ...Array.from({ length: 10 }, (_, i) => ({ id: `ro${i}`, title: `Love film ${i}`, categories: ['Romance'], tags: ['wedding'] })),
  ];
  const events: Event[] = [];
  const at = (u: number, i: number) => new Date(Date.UTC(2024, 0, 1, u, i)).toISOString();
  for (let u = 0; u < 24; u++) {
    for (let i = 0; i < 10; i++) events.push({ userId: `u${u}`, itemId: `${u % 2 === 0 ? 'sf' : 'ro'}${i}`, type: 'rating', value: 5, timestamp: at(u, i) });
  }
  for (let i = 0; i < 5; i++) {
    events.push({ userId: 'fan', itemId: `sf${i}`, type: 'rating', value: 5, timestamp: at(30, 2 * i) });
    events.push({ userId: 'fan', itemId: `ro${i}`, type: 'rating', value: 5, timestamp: at(30, 2 * i + 1) });
  }
  return { items, events };
}

/** The genre of an item of twoGenres(): 'sf' or 'ro'. */
export const genreOf = (itemId: string): string => itemId.slice(0, 2);
