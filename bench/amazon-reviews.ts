import { readFileSync } from 'node:fs';
import { RatingsTableBuilder, type RatingsTable } from '../src/eval/dataset.js';

/**
 * The Amazon musical-instruments 5-core reviews as a ratings log for the eval harness: every review is a row
 * (reviewer, asin, stars, review time).
 *
 * @example amazonReviews(join(datasetPath('amazon-musical-instruments-5core'), 'Musical_Instruments.json'))
 */
export function amazonReviews(file: string): RatingsTable {
  const b = new RatingsTableBuilder();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as { reviewerID: string; asin: string; overall: number; unixReviewTime: number };
    b.push(r.reviewerID, r.asin, r.overall, r.unixReviewTime);
  }
  return b.build('amazon-musical-instruments-5core');
}
