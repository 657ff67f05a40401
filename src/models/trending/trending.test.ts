import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { FIXTURE_EPOCH_MS } from '../../testkit/fixtures.js';
import { modelConformanceSuite } from '../../testkit/model-conformance.js';
import { decodeArtifact, encodeArtifact } from '../artifact.js';
import { InteractionsBuilder } from '../interactions-builder.js';
import { trendingDefinition, trendScore, TrendingModel } from './trending.js';

const DAY = 86_400_000;
const ctx = { logger: silentLogger, clock: fixedClock(FIXTURE_EPOCH_MS) };

modelConformanceSuite(trendingDefinition, { windowDays: 7, baselineDays: 7, minRecent: 1 }, { personalised: false });

/** `n` distinct users choosing `item`, each `daysBefore` the newest event (day 100). */
function chosen(b: InteractionsBuilder, item: string, n: number, daysBefore: number, tag: string): void {
  for (let u = 0; u < n; u++) b.add(`${tag}-${item}-${u}`, item, 1, FIXTURE_EPOCH_MS + (100 - daysBefore) * DAY);
}

describe('trending', () => {
  it('scores a rise over the baseline rate in Poisson deviations', () => {
    expect(trendScore(12, 14, 7, 56)).toBeCloseTo((12 - 1.75) / Math.sqrt(2.75), 6);
    expect(trendScore(2, 16, 7, 56)).toBeCloseTo(0, 6); // exactly the baseline rate: no rise
  });

  it('ranks by rise, not by volume, with windows ending at the newest event however old it is', async () => {
    const b = new InteractionsBuilder();
    chosen(b, 'steady', 8, 3, 'r'); // 8 recent people, 64 in the baseline: its usual rate
    chosen(b, 'steady', 64, 30, 'b');
    chosen(b, 'rising', 5, 2, 'r'); // 5 recent, 0 before
    chosen(b, 'small', 2, 1, 'r'); // below minRecent
    chosen(b, 'faded', 20, 40, 'b'); // only in the baseline
    const model = new TrendingModel({ windowDays: 7, baselineDays: 56, minRecent: 3 });
    // the fit clock is years after the data: windows still end at the data's newest event (day 100)
    await model.fit(b.build(), { ...ctx, clock: fixedClock(FIXTURE_EPOCH_MS + 2000 * DAY) });
    const ids = ['steady', 'rising', 'small', 'faded'];
    const list = model.recommend({ user: 0, k: 10 });
    expect(list.map((s) => ids[s.index])).toEqual(['rising']);
    expect(list[0].score).toBeCloseTo(trendScore(5, 0, 7, 56), 5);
    expect(model.recentCount(0)).toBe(8);
    expect(model.reference).toBe(FIXTURE_EPOCH_MS + 99 * DAY);
  });

  it('keeps its reference time and recent counts through save and restore', async () => {
    const b = new InteractionsBuilder();
    chosen(b, 'x', 3, 1, 'r');
    const model = new TrendingModel(trendingDefinition.defaults);
    await model.fit(b.build(), ctx);
    const restored = trendingDefinition.restore(decodeArtifact(encodeArtifact(model.save()))) as TrendingModel;
    expect(restored.reference).toBe(model.reference);
    expect(restored.recentCount(0)).toBe(3);
    expect(restored.recommend({ user: 0, k: 1 })).toEqual(model.recommend({ user: 0, k: 1 }));
  });
});
