import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { listReports } from '../../eval/report/saved-reports.js';
import type { EvalResult } from '../../eval/result.js';
import { evalCommand } from './eval.js';

/** 30 users x 40 items; user u likes items u..u+11 (mod 40), so popularity is a weak but real signal. */
function writeRatings(dir: string): string {
  const lines = ['user_id,item_id,rating,timestamp'];
  for (let u = 0; u < 30; u++) for (let j = 0; j < 12; j++) lines.push(`u${u},i${(u + j) % 40},${1 + ((u + j) % 5)},${1_000_000 + u * 100 + j}`);
  const file = join(dir, 'ratings.csv');
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

function program(): Command {
  const p = new Command('kindred').exitOverride().option('--log-level <level>');
  evalCommand(p);
  for (const sub of p.commands) sub.exitOverride();
  return p;
}

/** Collects what is written to stdout until vi.restoreAllMocks(). */
function captureStdout(): { text: () => string } {
  let printed = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    printed += String(chunk);
    return true;
  });
  return { text: () => printed };
}

describe('kindred eval', () => {
  afterEach(() => vi.restoreAllMocks());

  it('evaluates a CSV, accepts the pop alias, writes JSON and HTML and prints a table', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kindred-eval-cli-'));
    const data = writeRatings(dir);
    const out = captureStdout();
    await program().parseAsync(
      ['eval', '--data', data, '--protocol', 'ratio', '--models', 'pop', '--params', '{"pop":{"measure":"users"}}', '--k', '3,5', '--seed', '7', '--no-progress', '--json', join(dir, 'out.json'), '--report', join(dir, 'out.html')],
      { from: 'user' },
    );
    const json = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) as EvalResult;
    expect(json.dataset).toBe('ratings');
    expect(json.protocol).toBe('ratio');
    expect(json.split).toMatchObject({ method: 'ratio', seed: 7, users: 30, items: 40, rows: 360 });
    expect(json.results[0].model).toBe('popular');
    expect(json.results[0].params).toMatchObject({ measure: 'users' });
    expect(Object.keys(json.results[0].metrics)).toEqual(expect.arrayContaining(['ndcg@3', 'ndcg@5', 'recall@5', 'coverage@5']));
    expect(readFileSync(join(dir, 'out.html'), 'utf8')).toMatch(/^<!doctype html>/);
    expect(out.text()).toContain('ratings · ratio · 30 users × 40 items');
    expect(out.text()).toMatch(/\npopular\s+\d\.\d{4}/);
    expect(json.split.refit).toBe(false);
  });

  it('--refit fits the chosen params on train + valid before test and says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kindred-eval-cli-'));
    const data = writeRatings(dir);
    const out = captureStdout();
    await program().parseAsync(['eval', '--data', data, '--protocol', 'ratio', '--models', 'pop', '--k', '5', '--refit', '--no-progress', '--json', join(dir, 'out.json')], { from: 'user' });
    const json = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) as EvalResult;
    expect(json.split.refit).toBe(true);
    expect(out.text()).toContain('REFIT on train + valid');
  });

  it('rejects bad flags with a clear message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kindred-eval-cli-'));
    const data = writeRatings(dir);
    await expect(program().parseAsync(['eval', '--data', data, '--models', 'pop', '--k', 'ten'], { from: 'user' })).rejects.toThrow(/--k must be/);
    await expect(program().parseAsync(['eval', '--data', data, '--models', 'pop', '--params', '{nope'], { from: 'user' })).rejects.toThrow(/--params/);
  });
  it('--pipeline adds the pipeline rows with per-channel recall to the JSON and the HTML report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kindred-eval-cli-'));
    const data = writeRatings(dir);
    captureStdout();
    await program().parseAsync(
      ['eval', '--data', data, '--protocol', 'ratio', '--models', 'itemknn,pop', '--k', '5', '--seed', '7', '--no-progress', '--pipeline', '--pipeline-fuse', 'learned,rrf', '--json', join(dir, 'out.json'), '--report', join(dir, 'out.html')],
      { from: 'user' },
    );
    const json = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) as EvalResult;
    expect(json.results.map((r) => r.model)).toEqual(['itemknn', 'popular', 'pipeline', 'pipeline:rrf']);
    expect(Object.keys(json.results[2].channelRecall ?? {}).sort()).toEqual(['any', 'cf', 'popular']);
    expect(readFileSync(join(dir, 'out.html'), 'utf8')).toContain('Pipeline: recall per channel');
    await expect(program().parseAsync(['eval', '--data', data, '--models', 'itemknn', '--pipeline', '--pipeline-fuse', 'weighted', '--no-progress'], { from: 'user' })).rejects.toThrow(/--pipeline-fuse/);
  });

  it('--care adds one pipeline+care:<preset> result per preset and --care-curves the trade-off curves', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kindred-eval-cli-'));
    const data = writeRatings(dir);
    captureStdout();
    await program().parseAsync(
      ['eval', '--data', data, '--protocol', 'ratio', '--models', 'itemknn', '--k', '5', '--seed', '7', '--no-progress', '--pipeline', '--care', 'off,default,strong', '--care-curves', '--care-svg', join(dir, 'curves.svg'), '--json', join(dir, 'out.json'), '--report', join(dir, 'out.html')],
      { from: 'user' },
    );
    const json = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) as EvalResult;
    expect(json.results.map((r) => r.model)).toEqual(['itemknn', 'pipeline', 'pipeline+care:off', 'pipeline+care:default', 'pipeline+care:strong']);
    const byName = new Map(json.results.map((r) => [r.model, r]));
    for (const r of json.results.slice(1)) expect(Object.keys(r.metrics)).toEqual(expect.arrayContaining(['ndcg@5', 'coverage@5', 'novelty@5', 'longtail@5']));
    // no config file: the configured path is what the engine ships, so `default` scores exactly as `pipeline`
    expect(byName.get('pipeline+care:default')?.metrics).toEqual(byName.get('pipeline')?.metrics);
    expect(json.careCurves?.map((c) => [c.stage, c.key, c.points.map((p) => p.strength)])).toEqual([
      ['diversity', 'care.diversity', [0, 0.1, 0.2, 0.3, 0.5, 0.8]],
      ['long-tail', 'care.novelty', [0, 0.1, 0.2, 0.3, 0.5, 0.8]],
      ['calibration', 'care.calibration', [0, 0.1, 0.2, 0.3, 0.5, 0.8]],
    ]);
    // strength 0 of every curve is care off
    for (const c of json.careCurves ?? []) expect(c.points[0].metrics).toEqual(byName.get('pipeline+care:off')?.metrics);
    expect(readFileSync(join(dir, 'out.html'), 'utf8')).toContain('Care trade-off: NDCG@5 vs catalogue coverage @5');
    const svg = readFileSync(join(dir, 'curves.svg'), 'utf8');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    // no genres in this data, so no ILD or calibration chart: coverage, novelty and long-tail share, a line per stage
    expect(svg.match(/aria-label="Care trade-off/g)).toHaveLength(3);
    expect(svg.match(/<polyline/g)).toHaveLength(9);
    await expect(program().parseAsync(['eval', '--data', data, '--models', 'itemknn', '--pipeline', '--care', 'gentle', '--no-progress'], { from: 'user' })).rejects.toThrow(/--care must list care presets \(off, default, strong\)/);
    await expect(program().parseAsync(['eval', '--data', data, '--models', 'itemknn', '--care', 'off', '--no-progress'], { from: 'user' })).rejects.toThrow(/--care needs --pipeline/);
    await expect(program().parseAsync(['eval', '--data', data, '--models', 'itemknn', '--care-curves', '--no-progress'], { from: 'user' })).rejects.toThrow(/--care-curves needs --pipeline/);
  });

  it('--save writes <name>.json and <name>.html into eval.reportsDir, and refuses a name that is not a plain file name before running', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kindred-eval-cli-'));
    const data = writeRatings(dir);
    const reports = join(dir, 'reports');
    vi.stubEnv('KINDRED_EVAL_REPORTS_DIR', reports);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    captureStdout();
    try {
      await program().parseAsync(['eval', '--data', data, '--protocol', 'ratio', '--models', 'pop', '--k', '5', '--no-progress', '--save', 'small-run'], { from: 'user' });
      const listed = await listReports(reports);
      expect(listed).toEqual([{ name: 'small-run', createdAt: expect.any(String), dataset: 'ratings', models: ['popular'], protocol: 'ratio', html: true }]);
      expect(readFileSync(join(reports, 'small-run.html'), 'utf8')).toMatch(/^<!doctype html>/);
      for (const bad of ['../escape', 'a/b', '.hidden', '']) {
        const err: unknown = await program().parseAsync(['eval', '--data', data, '--models', 'pop', '--no-progress', '--save', bad], { from: 'user' }).catch((e: unknown) => e);
        expect(err, bad).toMatchObject({ code: 'INVALID_INPUT', details: { field: 'name' } });
      }
      expect(readdirSync(reports).sort()).toEqual(['small-run.html', 'small-run.json']);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
