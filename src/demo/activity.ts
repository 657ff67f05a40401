/**
 * Synthetic reading activity: each interaction picks a book (mostly from a reader's favourite genres and preferred
 * sub-theme, by Zipf popularity) and walks a funnel of events: view, click, cart, purchase, like, rating, review.
 * Books from a disliked genre draw not_interested / dislike instead.
 */
import type { Event } from '../core/types.js';
import type { Random } from '../eval/random.js';
import type { DemoReader } from './audience.js';
import type { DemoBook } from './catalogue.js';
import { chance, pick, weightedIndex, zipfSampler } from './sampling.js';
import { GENRES, REVIEW_PHRASES, TONES } from './vocabulary.js';

const DAY_MS = 86_400_000;
/** Mean events per interaction under the funnel below (measured), to turn an event target into interactions. */
const EVENTS_PER_INTERACTION = 2.3;
const TASTE_SHARE = 0.85;
const PREFERRED_SUBTHEME_SHARE = 0.7;
const DISLIKED_SHARE_OF_EXPLORATION = 0.35;
const ZIPF_EXPONENT = 1.0;
const TASTE_RATINGS = [3.5, 4, 4, 4.5, 5, 5];
const OTHER_RATINGS = [1.5, 2, 2.5, 3, 3, 3.5];

interface Shelf {
  books: number[];
  draw: (rng: Random) => number;
}

function shelf(books: number[]): Shelf {
  return { books, draw: zipfSampler(books.length, ZIPF_EXPONENT) };
}

/** Per genre, its books in a fixed popularity order, whole and split by sub-theme. */
function shelves(rng: Random, books: DemoBook[]): { genre: Shelf[]; theme: Shelf[][] } {
  const order = books.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return {
    genre: GENRES.map((_, g) => shelf(order.filter((b) => books[b].genre === g))),
    theme: GENRES.map((v, g) => v.subThemes.map((_, s) => shelf(order.filter((b) => books[b].genre === g && books[b].subTheme === s)))),
  };
}

type Kind = 'taste' | 'explore' | 'disliked';

function review(rng: Random, kind: Kind, book: DemoBook): string {
  const v = GENRES[book.genre];
  const mood = kind === 'taste' ? (chance(rng, 0.8) ? 'positive' : 'mixed') : chance(rng, 0.5) ? 'mixed' : 'negative';
  return pick(rng, REVIEW_PHRASES[mood]).replace('{tone}', pick(rng, TONES)).replace('{theme}', pick(rng, v.themes));
}

/** The events of one interaction, starting at `startMs`. */
function funnel(rng: Random, userId: string, book: DemoBook, kind: Kind, startMs: number): Event[] {
  let t = startMs;
  const at = (type: string, extra: Partial<Event> = {}): Event => {
    const e: Event = { userId, itemId: book.item.id, type, timestamp: new Date(t).toISOString(), ...extra };
    t += 5_000 + rng.int(120_000);
    return e;
  };
  const out = [at('view')];
  if (kind === 'disliked') {
    if (chance(rng, 0.5)) out.push(at('not_interested'));
    else if (chance(rng, 0.2)) out.push(at('dislike'));
    return out;
  }
  const taste = kind === 'taste';
  if (!chance(rng, taste ? 0.75 : 0.35)) return out;
  out.push(at('click'));
  if (chance(rng, taste ? 0.25 : 0.04)) {
    out.push(at('cart'));
    if (chance(rng, 0.7)) out.push(at('purchase', { value: 1 }));
  }
  if (chance(rng, taste ? 0.35 : 0.05)) out.push(at('like'));
  if (chance(rng, taste ? 0.3 : 0.15)) {
    out.push(at('rating', { value: pick(rng, taste ? TASTE_RATINGS : OTHER_RATINGS) }));
    if (chance(rng, 0.1)) out.push(at('review', { text: review(rng, kind, book) }));
  }
  return out;
}

/**
 * About `targetEvents` events over the `days` before `nowMs`, sorted by time; never before a book's publication.
 *
 * @example generateActivity(rng, books, readers, { nowMs, days: 90, targetEvents: 30_000 })
 */
export function generateActivity(
  rng: Random, books: DemoBook[], readers: DemoReader[], opts: { nowMs: number; days: number; targetEvents: number },
): Event[] {
  const { genre: genreShelves, theme: themeShelves } = shelves(rng, books);
  const totalActivity = readers.reduce((s, r) => s + r.activity, 0);
  const interactions = opts.targetEvents / EVENTS_PER_INTERACTION;
  const windowStart = opts.nowMs - opts.days * DAY_MS;
  // Leave room for an interaction's follow-up events (at most ~15 minutes) before "now".
  const latestStart = opts.nowMs - 3_600_000;
  const events: Event[] = [];
  for (const reader of readers) {
    const n = Math.max(3, Math.round((interactions * reader.activity) / totalActivity));
    const seen = new Set<number>();
    const others = GENRES.map((_, g) => g).filter((g) => g !== reader.disliked && !reader.tastes.some((t) => t.genre === g));
    for (let k = 0; k < n; k++) {
      let kind: Kind;
      let from: Shelf;
      if (chance(rng, TASTE_SHARE)) {
        const taste = reader.tastes[weightedIndex(rng, reader.tastes.map((t) => t.weight))];
        kind = 'taste';
        from = chance(rng, PREFERRED_SUBTHEME_SHARE) ? themeShelves[taste.genre][taste.subTheme] : genreShelves[taste.genre];
      } else {
        kind = chance(rng, DISLIKED_SHARE_OF_EXPLORATION) ? 'disliked' : 'explore';
        from = genreShelves[kind === 'disliked' ? reader.disliked : pick(rng, others)];
      }
      if (from.books.length === 0) continue;
      let b = from.books[from.draw(rng)];
      for (let retry = 0; seen.has(b) && retry < 3; retry++) b = from.books[from.draw(rng)];
      seen.add(b);
      const book = books[b];
      const earliest = Math.max(windowStart, book.publishedMs);
      const start = Math.round(earliest + rng.next() * Math.max(0, latestStart - earliest));
      events.push(...funnel(rng, reader.user.id, book, kind, start));
    }
  }
  return events.sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0));
}
