/**
 * Synthetic demo data: a seeded catalogue of books across twelve genres, readers with latent tastes, and a few
 * months of activity with popularity skew. Every item and user carries `attributes.synthetic = true` so nobody
 * mistakes it for real people.
 */
import type { Clock } from '../core/clock.js';
import { EngineError } from '../core/errors.js';
import type { Event, Item, User } from '../core/types.js';
import { createRandom, deriveSeed } from '../eval/random.js';
import { generateActivity } from './activity.js';
import { generateReaders, type Taste } from './audience.js';
import { generateCatalogue } from './catalogue.js';
import { GENRES } from './vocabulary.js';

export interface DemoDataOptions {
  seed: number;
  /** Readers (default 400). */
  users?: number;
  /** Books (default 600). */
  items?: number;
  /** Days of activity before now (default 90). */
  days?: number;
  /** Approximate number of events (default 75 per user: 30,000 for 400 users). */
  events?: number;
  clock: Clock;
}

export interface DemoData {
  items: Item[];
  users: User[];
  /** Sorted by timestamp. */
  events: Event[];
}

/** The hidden truth behind the data, for tests and demos that want to check what a model learnt. */
export interface DemoTruth {
  /** Genre label of each item. */
  genreOf: Map<string, string>;
  /** Favourite genre labels of each user, strongest first. */
  tastesOf: Map<string, string[]>;
  dislikedOf: Map<string, string>;
}

function positiveInt(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) throw new EngineError('INVALID_INPUT', `demo data: ${name} must be an integer >= ${min}`);
  return value;
}

/**
 * Generates the same data for the same seed and clock time.
 *
 * @example const { items, users, events } = generateDemoData({ seed: 42, clock: systemClock });
 */
export function generateDemoData(opts: DemoDataOptions): DemoData {
  const { data } = generateDemoDataWithTruth(opts);
  return data;
}

/** generateDemoData plus the latent tastes and genres that produced it. */
export function generateDemoDataWithTruth(opts: DemoDataOptions): { data: DemoData; truth: DemoTruth } {
  const users = positiveInt('users', opts.users ?? 400, 1);
  const items = positiveInt('items', opts.items ?? 600, GENRES.length);
  const days = positiveInt('days', opts.days ?? 90, 2);
  const targetEvents = positiveInt('events', opts.events ?? users * 75, 0);
  const nowMs = opts.clock.now();
  // Independent streams, so changing the number of users leaves the catalogue unchanged.
  const books = generateCatalogue(createRandom(deriveSeed(opts.seed, 'catalogue')), { count: items, nowMs, days });
  const readers = generateReaders(createRandom(deriveSeed(opts.seed, 'readers')), users);
  const events = generateActivity(createRandom(deriveSeed(opts.seed, 'activity')), books, readers, { nowMs, days, targetEvents });
  const label = (t: Taste) => GENRES[t.genre].label;
  return {
    data: { items: books.map((b) => b.item), users: readers.map((r) => r.user), events },
    truth: {
      genreOf: new Map(books.map((b) => [b.item.id, GENRES[b.genre].label])),
      tastesOf: new Map(readers.map((r) => [r.user.id, [...r.tastes].sort((a, b) => b.weight - a.weight).map(label)])),
      dislikedOf: new Map(readers.map((r) => [r.user.id, GENRES[r.disliked].label])),
    },
  };
}
