import { describe, expect, it } from 'vitest';
import { fixedClock } from '../core/clock.js';
import { silentLogger } from '../core/logger.js';
import { chooseMainModel } from '../jobs/main-model-choice.js';
import { InteractionsBuilder } from './interactions-builder.js';
import { DENSE_EASE_MAX_ITEMS, linearModelForSize } from './linear-model-choice.js';

describe('linear model chosen by catalogue size', () => {
  it('keeps dense EASE up to the threshold and takes sparse EASE above it', () => {
    expect(linearModelForSize('ease', {}, { items: DENSE_EASE_MAX_ITEMS })).toEqual({ model: 'ease', params: {} });
    expect(linearModelForSize('ease', { lambda: 300 }, { items: 98_612 })).toEqual({
      model: 'sparse-ease', params: { lambda: 300 }, bySize: { asked: 'ease', items: 98_612, denseMaxItems: DENSE_EASE_MAX_ITEMS },
    });
  });

  it('keeps dense EASE when an explicit param only dense EASE has asks for it, and leaves other models alone', () => {
    expect(linearModelForSize('ease', { maxItems: 20_000 }, { items: 98_612 }).model).toBe('ease');
    expect(linearModelForSize('ease', { dropout: 0.2 }, { items: 98_612 }).model).toBe('ease');
    expect(linearModelForSize('knn', {}, { items: 98_612 }).model).toBe('itemknn');
  });

  it('makes a training of EASE on a large catalogue fit sparse EASE and record why', async () => {
    // 10,050 items with events: just past the threshold, one event each plus a few shared ones
    const items = DENSE_EASE_MAX_ITEMS + 50;
    const builder = new InteractionsBuilder({ items: Array.from({ length: items }, (_, i) => `i${i}`) });
    for (let i = 0; i < items; i++) builder.add(`u${i % 500}`, `i${i}`, 1, i);
    const { model, record } = await chooseMainModel(builder.build(), { model: 'ease', params: {} }, { clock: fixedClock(0), logger: silentLogger });
    expect(model.name).toBe('sparse-ease');
    expect(record).toMatchObject({ model: 'sparse-ease', bySize: { asked: 'ease', items, denseMaxItems: DENSE_EASE_MAX_ITEMS } });
    expect(record.paramSources.lambda).toBe('scaled');
  });
});
