import type { Event, Item } from '../core/types.js';

/**
 * Two taste groups of 20 items ('sf0'..'sf19', 'ro0'..'ro19'); users u0–u5 like 12 sf items each, u6–u11 12 ro items,
 * one like a minute from `startMs` on.
 *
 * @example const { items, events } = tasteGroups(Date.parse('2024-03-01T00:00:00Z'))
 */
export function tasteGroups(startMs: number): { items: Item[]; events: Event[] } {
  const items: Item[] = [];
  for (const g of ['sf', 'ro']) for (let i = 0; i < 20; i++) items.push({ id: `${g}${i}`, title: `${g} ${i}` });
  const events: Event[] = [];
  let t = 0;
  for (let u = 0; u < 12; u++) {
    const g = u < 6 ? 'sf' : 'ro';
    for (let i = 0; i < 12; i++) events.push({ userId: `u${u}`, itemId: `${g}${(u + i) % 20}`, type: 'like', timestamp: new Date(startMs + 60_000 * t++).toISOString() });
  }
  return { items, events };
}
