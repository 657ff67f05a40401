/** The synthetic book catalogue: titles, authors, descriptive text, categories, tags and publication dates. */
import type { Item } from '../core/types.js';
import type { Random } from '../eval/random.js';
import { chance, pick, sample } from './sampling.js';
import { FIRST_NAMES, GENERAL_TAGS, GENRES, SURNAMES, TONES, type GenreVocabulary } from './vocabulary.js';

export interface DemoBook {
  item: Item;
  genre: number;
  subTheme: number;
  /** Publication time, ms since the epoch. */
  publishedMs: number;
}

const DAY_MS = 86_400_000;
const BACKLIST_DAYS = 3 * 365;
/** Share of books published during the activity window (new releases). */
const NEW_RELEASE_SHARE = 0.15;

const SMALL_WORDS = new Set(['of', 'the', 'a', 'an', 'in', 'on', 'by', 'to', 'at']);

/** "crown of the northern marshes" -> "Crown of the Northern Marshes". */
function titleCase(s: string): string {
  return s.split(' ').map((w, i) => (i > 0 && SMALL_WORDS.has(w) ? w : w.charAt(0).toUpperCase() + w.slice(1))).join(' ');
}

function makeTitle(rng: Random, v: GenreVocabulary): string {
  switch (rng.int(4)) {
    case 0: return `The ${pick(rng, v.adjectives)} ${pick(rng, v.nouns)}`;
    case 1: {
      const noun = pick(rng, v.nouns);
      const place = pick(rng, v.places).replace(/^an? /, '');
      // "Station of Research Station on Europa" reads badly: fall back to a plainer pattern.
      if (place.toLowerCase().includes(noun.toLowerCase())) return `The ${pick(rng, v.adjectives)} ${noun}`;
      return titleCase(`${noun} of ${place}`);
    }
    case 2: {
      const [a, b] = sample(rng, v.nouns, 2);
      return `The ${a}'s ${b}`;
    }
    default: return `${pick(rng, v.adjectives)} ${pick(rng, v.nouns)}`;
  }
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Two to four sentences in the genre's voice. */
function makeText(rng: Random, v: GenreVocabulary, subTheme: string): string {
  const [themeA, themeB] = sample(rng, v.themes, 2);
  const sentences = [
    `${capitalise(pick(rng, v.people))} ${pick(rng, v.plots)} in ${pick(rng, v.places)}.`,
    `A ${pick(rng, TONES)} book about ${themeA} and ${themeB}.`,
  ];
  if (chance(rng, 0.7)) sentences.push(`Along the way, ${pick(rng, v.people)} ${pick(rng, v.plots)}.`);
  if (chance(rng, 0.5)) sentences.push(`For readers who love ${subTheme}.`);
  return sentences.join(' ');
}

/**
 * `count` books spread over the genres, with unique titles.
 *
 * @example generateCatalogue(createRandom(1), { count: 600, nowMs, days: 90 })
 */
export function generateCatalogue(rng: Random, opts: { count: number; nowMs: number; days: number }): DemoBook[] {
  const books: DemoBook[] = [];
  const titles = new Set<string>();
  const width = String(opts.count).length;
  for (let i = 0; i < opts.count; i++) {
    // Round-robin over genres: every genre gets count / 12 books.
    const genre = i % GENRES.length;
    const v = GENRES[genre];
    const subTheme = rng.int(v.subThemes.length);
    let title = makeTitle(rng, v);
    for (let attempt = 0; titles.has(title) && attempt < 8; attempt++) title = makeTitle(rng, v);
    if (titles.has(title)) title = `${title}, Volume ${i}`;
    titles.add(title);
    const categories = [v.label];
    if (chance(rng, 0.08)) categories.push(pick(rng, GENRES.filter((g) => g !== v)).label);
    const tags = [v.subThemes[subTheme], ...sample(rng, v.tags, 2 + rng.int(2))];
    if (chance(rng, 0.25)) tags.push(pick(rng, GENERAL_TAGS));
    const isNew = chance(rng, NEW_RELEASE_SHARE);
    const ageDays = isNew ? 1 + rng.next() * (opts.days - 1) : opts.days + rng.next() * (BACKLIST_DAYS - opts.days);
    const publishedMs = Math.round(opts.nowMs - ageDays * DAY_MS);
    const item: Item = {
      id: `book-${String(i + 1).padStart(width, '0')}`,
      title,
      text: makeText(rng, v, v.subThemes[subTheme]),
      categories,
      tags,
      attributes: { synthetic: true, author: `${pick(rng, FIRST_NAMES)} ${pick(rng, SURNAMES)}`, pages: 80 + rng.int(520) },
      createdAt: new Date(publishedMs).toISOString(),
    };
    books.push({ item, genre, subTheme, publishedMs });
  }
  return books;
}
