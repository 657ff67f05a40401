import { describe, expect, it } from 'vitest';
import { EngineError } from '../core/errors.js';
import { resolveConfig, type ConfigInput } from './config.js';
import { DEFAULT_RECALL_CHANNELS } from './pipeline-section.js';

/** The EngineError resolveConfig throws for this input (fails the test when it does not throw one). */
function rejection(input: ConfigInput, env: NodeJS.ProcessEnv = {}): EngineError {
  try {
    resolveConfig(input, env);
  } catch (err) {
    if (err instanceof EngineError) return err;
    throw err;
  }
  throw new Error('config was accepted');
}

describe('config pipeline section', () => {
  it('defaults to the measured recall channels, learned fusion and the re-rank hooks', () => {
    const c = resolveConfig();
    expect(Object.keys(c.pipeline.recall)).toEqual(['cf', 'semantic', 'cold-items', 'popular', 'query', 'ensemble', 'uncovered']);
    expect(c.pipeline.recall).toEqual(DEFAULT_RECALL_CHANNELS);
    expect(c.pipeline.fuse).toBe('learned');
    expect(c.pipeline.rerank).toEqual(['fatigue', 'negative-feedback', 'long-tail', 'diversity', 'short-term-slot', 'interest-preferences', 'llm-rerank', 'gentle', 'budget']);
  });

  it('accepts a subset of channels with their own budgets, from the file or the environment', () => {
    const c = resolveConfig({ pipeline: { recall: { cf: { quota: 5, pad: 0, deadlineMs: 300 } } } });
    expect(c.pipeline.recall).toEqual({ cf: { quota: 5, pad: 0, deadlineMs: 300 } });
    const e = resolveConfig({}, { KINDRED_PIPELINE_RECALL: '{"popular":{"quota":2,"pad":5,"deadlineMs":100}}' });
    expect(Object.keys(e.pipeline.recall)).toEqual(['popular']);
  });

  it('rejects an unknown recall channel with INVALID_CONFIG naming the key', () => {
    const err = rejection({ pipeline: { recall: { tags: { quota: 1, pad: 0, deadlineMs: 100 } } as never } });
    expect(err.code).toBe('INVALID_CONFIG');
    expect(err.message).toMatch(/^config pipeline.recall.tags is not a recall channel \(known: cf, semantic, cold-items, popular, query, ensemble, item-to-item, category, trending, fresh, next-item, interests, uncovered\)$/);
    expect(err.details).toEqual({ path: 'pipeline.recall.tags' });
  });

  it('accepts minScore on any channel and each channel\'s own settings, both optional', () => {
    const c = resolveConfig({ pipeline: { recall: {
      cf: { quota: 1, pad: 0, deadlineMs: 10, minScore: 0.2 },
      'item-to-item': { quota: 1, pad: 0, deadlineMs: 10, lastEvents: 5 },
      trending: { quota: 1, pad: 0, deadlineMs: 10, windowDays: 1, baselineDays: 28 },
      fresh: { quota: 1, pad: 0, deadlineMs: 10 },
    } } });
    expect(c.pipeline.recall.cf?.minScore).toBe(0.2);
    expect(c.pipeline.recall['item-to-item']?.lastEvents).toBe(5);
    expect(c.pipeline.recall.fresh?.windowDays).toBeUndefined();
  });

  it('rejects an unknown re-rank stage, naming its position', () => {
    const err = rejection({}, { KINDRED_PIPELINE_RERANK: 'llm-rerank,boredom' });
    expect(err.code).toBe('INVALID_CONFIG');
    expect(err.details).toEqual({ path: 'pipeline.rerank[1]' });
    expect(err.message).toMatch(/is not a re-rank stage \(known: short-term-slot, interest-preferences, llm-rerank, diversity, calibration, fatigue, negative-feedback, gentle, budget, long-tail\)/);
  });

  it('rejects an unknown fusion, unknown channel settings and out-of-range budgets', () => {
    expect(rejection({ pipeline: { fuse: 'weighted' as never } }).details).toEqual({ path: 'pipeline.fuse' });
    const extra = rejection({ pipeline: { recall: { cf: { quota: 1, pad: 0, deadlineMs: 10, floor: 0.2 } as never } } });
    expect(extra.details).toEqual({ path: 'pipeline.recall.cf.floor' });
    // a setting of another channel is rejected, not ignored
    const other = rejection({ pipeline: { recall: { cf: { quota: 1, pad: 0, deadlineMs: 10, lastEvents: 5 } } } });
    expect(other.message).toMatch(/pipeline.recall.cf.lastEvents is not a setting of this channel \(known: quota, pad, deadlineMs, minScore\)/);
    expect(rejection({ pipeline: { recall: { 'item-to-item': { quota: 1, pad: 0, deadlineMs: 10, lastEvents: 0 } } } }).details)
      .toEqual({ path: 'pipeline.recall.item-to-item.lastEvents' });
    expect(rejection({ pipeline: { recall: { cf: { quota: 1, pad: 0, deadlineMs: 10, minScore: Number.NaN } } } }).details)
      .toEqual({ path: 'pipeline.recall.cf.minScore' });
    expect(rejection({ pipeline: { recall: { cf: { quota: 1, pad: 0, deadlineMs: 0 } } } }).message).toMatch(/pipeline.recall.cf.deadlineMs must be a number from 1 to 60000/);
    expect(rejection({ pipeline: { recall: { cf: { quota: 1, deadlineMs: 10 } as never } } }).details).toEqual({ path: 'pipeline.recall.cf.pad' });
    expect(rejection({ pipeline: { recall: { cf: 3 } as never } }).details).toEqual({ path: 'pipeline.recall.cf' });
  });
});
