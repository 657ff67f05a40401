import { describe, expect, it } from 'vitest';
import type { EvalResult, ModelResult } from '../result.js';
import { renderHtmlReport } from './html.js';
import { escapeXml } from './svg.js';
import { resultTable } from './table.js';

function modelResult(model: string, ndcg: number, coverage: number): ModelResult {
  return {
    model,
    params: { lambda: 500 },
    fitSeconds: 1.25,
    scoreSeconds: 0.5,
    metrics: { 'ndcg@10': ndcg, 'recall@10': ndcg * 1.2, 'precision@10': ndcg / 2, 'map@10': ndcg / 3, 'mrr@10': ndcg * 1.5, 'hit@10': 0.8, 'coverage@10': coverage, 'gini@10': 0.9, 'ild@10': 0.7, 'novelty@10': 9.5, 'arp@10': 120 },
    validMetrics: { 'ndcg@10': ndcg * 0.8 },
    longTail: [0.5, 0.8, 0.95, 1],
  };
}

const result: EvalResult = {
  dataset: 'ml-100k',
  protocol: 'recbole',
  split: {
    method: 'ratio', seed: 42, ratios: [0.8, 0.1, 0.1],
    filters: { dedup: false, minRating: 3, kcore: { user: 10, item: 10 }, kcoreRounds: 4 },
    rowsIn: 100_000, rows: 80_000, users: 900, items: 1200, train: 64_000, valid: 8000, test: 8000, testUsers: 900, coldTestUsers: 0, refit: false, testHistory: 'train',
  },
  ranking: { mode: 'full' },
  ks: [10],
  mainK: 10,
  results: [
    modelResult('ease', 0.3, 0.25),
    { ...modelResult('pop<script>', 0.13, 0.02), search: { method: 'random', metric: 'ndcg@10', best: 1, trials: [{ params: { a: 1 }, value: 0.1, fitSeconds: 1 }, { params: { a: 2 }, value: 0.2, fitSeconds: 1 }] } },
  ],
  longTail: { bins: 4, train: [0.4, 0.7, 0.9, 1] },
};

/** Checks every non-void element is closed in order (a small well-formedness check, no parser needed). */
function unbalancedTags(html: string): string[] {
  const voids = new Set(['meta', 'br', 'img', 'input', 'link', 'hr']);
  const stack: string[] = [];
  const problems: string[] = [];
  for (const m of html.matchAll(/<(\/?)([a-zA-Z][\w-]*)([^>]*?)(\/?)>/g)) {
    const [, close, name, , selfClose] = m;
    const tag = name.toLowerCase();
    if (voids.has(tag) || selfClose) continue;
    if (!close) stack.push(tag);
    else if (stack.pop() !== tag) problems.push(tag);
  }
  return [...problems, ...stack];
}

describe('renderHtmlReport', () => {
  const html = renderHtmlReport(result);

  it('is one well-formed, self-contained HTML document', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(unbalancedTags(html.replace('<!doctype html>', ''))).toEqual([]);
    expect(html).not.toMatch(/https?:|<script|<link|src=/i);
  });

  it('has the bar, scatter and long-tail charts', () => {
    const svgs = html.match(/<svg /g) ?? [];
    // accuracy + exposure + novelty + arp bars, coverage/ild/novelty scatters, long tail
    expect(svgs.length).toBe(8);
    expect(html).toContain('NDCG@10 vs coverage@10');
    expect(html).toContain('Long tail');
    expect((html.match(/<polyline /g) ?? []).length).toBe(3);
  });

  it('escapes model names and shows split, search and validation sections', () => {
    expect(html).toContain(escapeXml('pop<script>'));
    expect(html).toContain('iterative 10/10-core (4 passes)');
    expect(html).toContain('Hyper-parameter search');
    expect(html).toContain('Validation metrics');
  });

  it('flags sampled metrics', () => {
    expect(renderHtmlReport({ ...result, ranking: { mode: 'sampled', negatives: 99 } })).toContain('Sampled metrics (99 negatives per positive)');
  });

  it('says whether the test model was refitted on train + valid', () => {
    expect(html).toContain('fitted on train (RecBole protocol)');
    const refit = { ...result, split: { ...result.split, refit: true } };
    expect(renderHtmlReport(refit)).toContain('REFIT: chosen params fitted again on train + valid');
    expect(resultTable(refit).split('\n')[0]).toContain('REFIT on train + valid');
    expect(resultTable(result)).not.toContain('REFIT');
  });
});

describe('resultTable', () => {
  it('prints one row per model with aligned metric columns', () => {
    const lines = resultTable(result).trimEnd().split('\n');
    expect(lines[0]).toContain('ml-100k · recbole · 900 users × 1200 items');
    expect(lines[1].split(/\s+/).slice(0, 3)).toEqual(['model', 'ndcg@10', 'recall@10']);
    expect(lines[3]).toMatch(/^ease\s+0\.3000\s+0\.3600/);
    expect(lines).toHaveLength(5);
  });
});

describe('care trade-off curves in the report', () => {
  const point = (strength: number, ndcg: number, coverage: number) => ({
    strength, metrics: { 'ndcg@10': ndcg, 'ild@10': 0.8 + strength / 10, 'coverage@10': coverage, 'novelty@10': 2.2 + strength, 'calibration@10': 0.6, 'longtail@10': strength / 20 },
  });
  const withCurves: EvalResult = {
    ...result,
    careCurves: [
      { stage: 'diversity', key: 'care.diversity', points: [point(0, 0.293, 0.364), point(0.2, 0.286, 0.375), point(0.5, 0.276, 0.39)] },
      { stage: 'long-tail', key: 'care.novelty', points: [point(0, 0.293, 0.364), point(0.3, 0.295, 0.439)] },
    ],
  };
  const html = renderHtmlReport(withCurves);
  const svgs = [...html.matchAll(/<svg[^>]*aria-label="Care trade-off: NDCG@10 vs ([^"]+)"[^>]*>([\s\S]*?)<\/svg>/g)].map((m) => ({ axis: m[1], body: m[2] }));

  it('draws NDCG@10 against diversity, coverage, novelty, calibration and long-tail share, one line per stage', () => {
    expect(svgs.map((s) => s.axis)).toEqual([
      'intra-list diversity @10', 'catalogue coverage @10', 'novelty @10', 'miscalibration (KL, lower is closer) @10', 'long-tail share @10',
    ]);
    for (const s of svgs) {
      expect(s.body.match(/<polyline/g)).toHaveLength(2);
      expect(s.body.match(/<circle/g)).toHaveLength(5);
    }
  });

  it('puts each point where its metrics are: titled with stage, strength, x and y, higher NDCG drawn higher', () => {
    const coverage = svgs[1].body;
    expect(coverage).toContain('<title>long-tail 0.3: 0.439, 0.295</title>');
    expect(coverage).toContain('<title>diversity 0.5: 0.390, 0.276</title>');
    const cy = (label: string) => Number(new RegExp(`cy="([\\d.]+)"[^>]*><title>${label}:`).exec(coverage)?.[1]);
    const cx = (label: string) => Number(new RegExp(`cx="([\\d.]+)"[^>]*><title>${label}:`).exec(coverage)?.[1]);
    expect(cy('long-tail 0.3')).toBeLessThan(cy('diversity 0.5'));
    expect(cx('long-tail 0.3')).toBeGreaterThan(cx('diversity 0.5'));
    expect(cx('diversity 0')).toBeLessThan(cx('diversity 0.2'));
  });

  it('lists the points in a table and is left out without curves', () => {
    expect(html).toContain('<td>long-tail (care.novelty) 0.3</td><td>0.2950</td>');
    expect(unbalancedTags(html.replace('<!doctype html>', ''))).toEqual([]);
    expect(renderHtmlReport(result)).not.toContain('Care trade-off curves');
  });
});
