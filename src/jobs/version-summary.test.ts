import { describe, expect, it } from 'vitest';
import { versionSummary } from './version-summary.js';

describe('versionSummary', () => {
  it('reads the typed fields of a tuned version, marking the tuned params', () => {
    const meta = {
      model: 'ease', params: { lambda: 250, normalize: true }, paramSources: { lambda: 'tuned', normalize: 'default' }, trainedAt: '2026-01-02T03:04:05.000Z',
      seconds: 1.5, users: 10, items: 20, interactions: 99, tuning: { metric: 'ndcg@10', validMetrics: { 'ndcg@10': 0.31, 'recall@10': 0.4 }, trials: 7 },
    };
    expect(versionSummary(meta)).toEqual({
      model: 'ease', params: { lambda: 250, normalize: true }, tunedParams: ['lambda'], trainedAt: '2026-01-02T03:04:05.000Z', trainingSeconds: 1.5,
      metrics: { 'ndcg@10': 0.31, 'recall@10': 0.4 }, metricUsed: 'ndcg@10', users: 10, items: 20, interactions: 99,
    });
  });

  it('leaves out what an untuned or older version did not record, and fields of another shape', () => {
    expect(versionSummary({ model: 'itemknn', params: { k: 50 }, paramSources: { k: 'explicit' }, seconds: 0.2 })).toEqual({ model: 'itemknn', params: { k: 50 }, trainingSeconds: 0.2 });
    expect(versionSummary({})).toEqual({});
    expect(versionSummary({ model: 3, seconds: 'slow', params: [1], tuning: { validMetrics: { x: 'high' } } })).toEqual({});
  });
});
