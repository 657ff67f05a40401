/**
 * A small shop for filter and scenario tests: items priced by their index (`i7` costs 7), even ones in stock,
 * category 'low' for the cheaper half and 'high' for the rest; users u0..u9 each like `likes` neighbouring items.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Event, Item } from '../core/types.js';

export interface ShopSize {
  items: number;
  /** Likes per user, over neighbouring items. */
  likes: number;
  /** How far apart neighbouring users' first likes are. */
  step: number;
}

/**
 * @example const { items, events } = shopCatalogue({ items: 30, likes: 8, step: 3 })
 */
export function shopCatalogue(size: ShopSize): { items: Item[]; events: Event[] } {
  const items: Item[] = Array.from({ length: size.items }, (_, i) => ({
    id: `i${i}`, title: `Item ${i}`, categories: [i < size.items / 2 ? 'low' : 'high'], attributes: { price: i, in_stock: i % 2 === 0 },
  }));
  const events: Event[] = [];
  for (let u = 0; u < 10; u++) {
    for (let j = 0; j < size.likes; j++) {
      events.push({ userId: `u${u}`, itemId: `i${(u * size.step + j) % size.items}`, type: 'like', timestamp: new Date(Date.UTC(2024, 0, 1, u, j)).toISOString() });
    }
  }
  return { items, events };
}

/**
 * Writes the shop as items.jsonl and events.jsonl into `folder` (for `kindred import --format jsonl`).
 *
 * @example await kindred('import', writeShopJsonl(join(dir, 'shop'), { items: 20, likes: 6, step: 2 }), '--format', 'jsonl')
 */
export function writeShopJsonl(folder: string, size: ShopSize): string {
  const { items, events } = shopCatalogue(size);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'items.jsonl'), items.map((it) => JSON.stringify(it)).join('\n') + '\n');
  writeFileSync(join(folder, 'events.jsonl'), events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  return folder;
}
