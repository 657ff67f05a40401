import { describe, expect, it, vi } from 'vitest';
import { resolveConfig, type ConfigInput } from '../config/config.js';
import { fixedClock } from '../core/clock.js';
import { IdIndex } from '../core/ids.js';
import { silentLogger } from '../core/logger.js';
import type { ModelBundle } from '../models/model-bundle.js';
import { buildRecommendContext, type RecommendRequestInput } from '../pipeline/request-context.js';
import { MemoryStore } from '../storage/memory/memory-store.js';
import { checkCareSettings, layeredCare, REQUEST_CARE, storedCare } from './care-settings.js';
import { dailyBudget, fatigueSettingsOf, repeatAfterDays } from './care-strength.js';

const NOW = Date.parse('2026-12-06T12:00:00Z');
const bundle = { items: IdIndex.from(['a', 'b', 'c']), trainedItems: 3 } as unknown as ModelBundle;

/** A store holding u (two likes, stored preferences `prefs`) and `refuser` (no consent); counts its reads. */
async function storeWith(prefs?: Record<string, number | boolean>) {
  const store = new MemoryStore();
  await store.upsertUsers([{ id: 'u' }, { id: 'refuser', consent: { personalisation: false } }]);
  await store.addEvents(['a', 'b'].map((itemId, i) => ({ userId: 'u', itemId, type: 'like', timestamp: new Date(NOW - (i + 1) * 3_600_000).toISOString() })));
  if (prefs) await store.putCarePreferences({ userId: 'u', preferences: prefs });
  return { store, history: vi.spyOn(store, 'history'), preferences: vi.spyOn(store, 'getCarePreferences') };
}

function contextOf(store: MemoryStore, userId: string | undefined, input: RecommendRequestInput = {}, config: ConfigInput = {}) {
  const deps = { config: resolveConfig(config), store, bundle, clock: fixedClock(NOW), logger: silentLogger, embeddings: async () => undefined, llmProvider: async () => undefined };
  return buildRecommendContext(userId, input, deps);
}

describe('ctx.care: request > user preference > scenario > config, key by key', () => {
  it('takes each key from the first place that sets it', async () => {
    const { store } = await storeWith({ diversity: 0.5, gentle: true, novelty: 0.3 });
    const ctx = await contextOf(store, 'u', { care: { diversity: 0 }, scenarioCare: { novelty: 0.9, dailyBudget: 4, cooldownHours: 10 } });
    expect(ctx.care).toEqual({ diversity: 0, gentle: true, novelty: 0.3, dailyBudget: 4, cooldownHours: 10 });
    expect(fatigueSettingsOf(ctx)).toEqual({ after: 3, decay: 0.3, cap: 6, cooldownHours: 10 }); // the rest from config
    expect(dailyBudget(ctx)).toBe(4);
    expect(repeatAfterDays(ctx)).toBe(0);
  });

  it('is undefined when nothing sets a key, and ignores stored preferences for anonymous and non-consenting requests', async () => {
    const { store, preferences } = await storeWith({ diversity: 0.5 });
    expect((await contextOf(store, 'u', { care: { diversity: undefined } })).care).toEqual({ diversity: 0.5 });
    expect((await contextOf(store, 'refuser')).care).toBeUndefined();
    expect((await contextOf(store, undefined, { scenarioCare: { diversity: 0.2 } })).care).toEqual({ diversity: 0.2 });
    expect(preferences).toHaveBeenCalledTimes(1); // only the personal request read them
    const { store: empty } = await storeWith();
    expect((await contextOf(empty, 'u')).care).toBeUndefined();
  });

  it('reads the preferences once per personal request, with the history and impressions; a stored budget without fatigue adds the day\'s impressions', async () => {
    const { store, history, preferences } = await storeWith({ dailyBudget: 5 });
    await contextOf(store, 'u');
    expect(preferences).toHaveBeenCalledTimes(1);
    expect(history).toHaveBeenCalledTimes(2); // history, and the fatigue window's impressions (fatigue is named by default)
    history.mockClear();
    const ctx = await contextOf(store, 'u', {}, { pipeline: { rerank: ['budget'] } });
    expect(history).toHaveBeenCalledTimes(2); // history, then the last 24 h of impressions for the stored budget
    expect(ctx.impressions).toEqual([]);
    history.mockClear();
    expect((await contextOf(store, 'u', { care: { dailyBudget: 0 } }, { pipeline: { rerank: ['budget'] } })).impressions).toBeUndefined();
    expect(history).toHaveBeenCalledTimes(1); // the request turned the budget off: no impression read
  });

  it('rejects a bad request override before reading anything', async () => {
    const { store, history } = await storeWith();
    await expect(contextOf(store, 'u', { care: { impressionCap: 1001 } })).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { path: 'care.impressionCap' } });
    expect(history).not.toHaveBeenCalled();
  });
});

describe('care settings, checked and stored', () => {
  it('names the key, its range and the place in errors; keeps nulls only where clearing is allowed', () => {
    expect(() => checkCareSettings({ fatigueDecay: 1.5 }, REQUEST_CARE)).toThrow(expect.objectContaining({ message: 'care.fatigueDecay must be a number from 0 to 1', details: { path: 'care.fatigueDecay', field: 'fatigueDecay' } }));
    expect(() => checkCareSettings({ cooldownHours: 87601 }, { path: '/care/', field: 'care', message: 'scenario care.' })).toThrow('scenario care.cooldownHours must be a number from 0 to 87600');
    expect(() => checkCareSettings({ nope: 1 }, REQUEST_CARE)).toThrow(/is not a care setting \(known: diversity, calibration, novelty/);
    expect(() => checkCareSettings({ diversity: null }, REQUEST_CARE)).toThrow(/must be a number/);
    expect(checkCareSettings({ diversity: null, gentle: false, dailyBudget: undefined }, REQUEST_CARE, true)).toEqual({ diversity: null, gentle: false });
  });

  it('a stored record keeps only what this version knows, in range', () => {
    expect(storedCare({ diversity: 0.3, retired: 1, gentle: 'yes', impressionCap: 5000 })).toEqual({ diversity: 0.3 });
    expect(layeredCare(undefined, {}, undefined)).toBeUndefined();
  });
});
