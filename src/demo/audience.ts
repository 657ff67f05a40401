/** Synthetic readers: each has one to three favourite genres (with a preferred sub-theme in each) and one genre they dislike. */
import type { User } from '../core/types.js';
import type { Random } from '../eval/random.js';
import { logNormal, sample, weightedIndex } from './sampling.js';
import { GENRES } from './vocabulary.js';

export interface Taste {
  genre: number;
  /** Share of this reader's taste-driven picks (the weights of a reader sum to 1). */
  weight: number;
  /** Preferred sub-theme within the genre. */
  subTheme: number;
}

export interface DemoReader {
  user: User;
  tastes: Taste[];
  disliked: number;
  /** Relative activity: how much this reader does compared with others (median 1, long tail). */
  activity: number;
}

/** How many favourite genres a reader has: 1, 2 or 3. */
const TASTE_COUNT_WEIGHTS = [0.4, 0.4, 0.2];

/**
 * `count` readers with ids reader-001, reader-002, ...
 *
 * @example generateReaders(createRandom(1), 400)
 */
export function generateReaders(rng: Random, count: number): DemoReader[] {
  const width = Math.max(3, String(count).length);
  const genreIndexes = GENRES.map((_, i) => i);
  const readers: DemoReader[] = [];
  for (let i = 0; i < count; i++) {
    const n = weightedIndex(rng, TASTE_COUNT_WEIGHTS) + 1;
    const genres = sample(rng, genreIndexes, n + 1);
    const disliked = genres.pop() as number;
    const raw = genres.map((_, j) => (j === 0 ? 1 : 0.3 + 0.5 * rng.next()));
    const total = raw.reduce((s, w) => s + w, 0);
    const tastes = genres.map((genre, j) => ({ genre, weight: raw[j] / total, subTheme: rng.int(GENRES[genre].subThemes.length) }));
    readers.push({
      user: { id: `reader-${String(i + 1).padStart(width, '0')}`, attributes: { synthetic: true } },
      tastes,
      disliked,
      activity: logNormal(rng, 1, 0.7),
    });
  }
  return readers;
}
