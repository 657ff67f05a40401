import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveReport } from '../eval/report/saved-reports.js';
import type { EvalResult } from '../eval/result.js';
import { createClient } from './client.js';
import { httpRejection, startTestServer, type TestServer } from './test-server.js';

const ADMIN = 'admin-key-e1a9';
const READ = 'read-key-3b6f';

/** A hand-made result: what a listing shows of it is checked field by field. */
function result(dataset: string, models: string[]): EvalResult {
  return {
    dataset,
    protocol: 'recbole',
    split: {
      method: 'ratio', seed: 42, filters: { dedup: true, minRating: null, kcore: null, kcoreRounds: 0 },
      rowsIn: 10, rows: 10, users: 2, items: 5, train: 8, valid: 1, test: 1, testUsers: 1, coldTestUsers: 0, refit: false, testHistory: 'train',
    },
    ranking: { mode: 'full' },
    ks: [10],
    mainK: 10,
    results: models.map((model) => ({ model, params: {}, fitSeconds: 0.1, scoreSeconds: 0.01, metrics: { 'ndcg@10': 0.25 }, validMetrics: { 'ndcg@10': 0.2 }, longTail: [1] })),
    longTail: { bins: 1, train: [1] },
  };
}

describe('saved evaluation reports over HTTP', () => {
  let t: TestServer;
  let outside: string;
  const get = (path: string, key = ADMIN) => fetch(`${t.server.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
  beforeAll(async () => {
    const root = mkdtempSync(join(tmpdir(), 'kindred-reports-'));
    const dir = join(root, 'reports');
    outside = join(root, 'secret');
    writeFileSync(`${outside}.json`, JSON.stringify(result('secret', ['x'])));
    writeFileSync(`${outside}.html`, '<p>secret</p>');
    await saveReport(dir, 'older', result('ml-100k', ['popular', 'ease']), '<!doctype html><p>older</p>');
    utimesSync(join(dir, 'older.json'), new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z'));
    await saveReport(dir, 'newer.v2', result('ml-latest-small', ['als', 'pipeline']), '<!doctype html><p>newer</p>');
    writeFileSync(join(dir, 'notes.json'), '{"not": "a report"}');
    writeFileSync(join(dir, 'broken.json'), '{');
    writeFileSync(join(dir, 'json-only.json'), JSON.stringify(result('tiny', ['itemknn'])));
    utimesSync(join(dir, 'json-only.json'), new Date('2025-06-01T00:00:00Z'), new Date('2025-06-01T00:00:00Z'));
    t = await startTestServer({ server: { apiKeys: [`admin:${ADMIN}`, `read:${READ}`] }, eval: { reportsDir: dir } }, ADMIN);
  });
  afterAll(async () => t.close());

  it('lists the saved reports newest first, leaving out files that are not evaluation results', async () => {
    const res = await get('/v1/eval/reports');
    expect(res.status).toBe(200);
    const { reports } = (await res.json()) as { reports: { name: string }[] };
    expect(reports).toEqual([
      { name: 'newer.v2', createdAt: expect.any(String), dataset: 'ml-latest-small', models: ['als', 'pipeline'], protocol: 'recbole', html: true },
      { name: 'older', createdAt: '2026-01-01T00:00:00.000Z', dataset: 'ml-100k', models: ['popular', 'ease'], protocol: 'recbole', html: true },
      { name: 'json-only', createdAt: '2025-06-01T00:00:00.000Z', dataset: 'tiny', models: ['itemknn'], protocol: 'recbole', html: false },
    ]);
  });

  it('serves one report as JSON and as HTML (text/html with a policy that runs nothing)', async () => {
    const json = await get('/v1/eval/reports/older');
    expect(json.status).toBe(200);
    expect(await json.json()).toEqual(result('ml-100k', ['popular', 'ease']));
    const html = await get('/v1/eval/reports/newer.v2/html');
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html.headers.get('content-security-policy')).toContain('sandbox');
    expect(await html.text()).toBe('<!doctype html><p>newer</p>');
  });

  it('answers 404 for an unknown report or a missing HTML report', async () => {
    for (const path of ['/v1/eval/reports/nope', '/v1/eval/reports/nope/html', '/v1/eval/reports/json-only/html']) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    }
  });

  it('refuses names that would leave the reports folder (400), never serving the file beside it', async () => {
    for (const name of ['..%2Fsecret', '%2E%2E%2Fsecret', '..', '.hidden', 'a%5C..%5Csecret', '%2Fetc%2Fpasswd', 'x'.repeat(65)]) {
      for (const path of [`/v1/eval/reports/${name}`, `/v1/eval/reports/${name}/html`]) {
        const res = await get(path);
        const text = await res.text();
        expect([400, 404], path).toContain(res.status);
        expect(text, path).not.toContain('secret</p>');
        expect(text, path).not.toContain('"dataset":"secret"');
      }
    }
    const res = await get('/v1/eval/reports/..%2Fsecret');
    expect(res.status).toBe(400);
  });

  it('needs the admin scope: a read key gets 403', async () => {
    for (const path of ['/v1/eval/reports', '/v1/eval/reports/older', '/v1/eval/reports/older/html']) {
      expect((await get(path, READ)).status, path).toBe(403);
    }
    expect(await httpRejection(createClient({ baseUrl: t.server.url, apiKey: READ }).evalReports())).toMatchObject({ status: 403, code: 'FORBIDDEN' });
  });

  it('is reachable from the typed client', async () => {
    expect((await t.client.evalReports()).map((r) => r.name)).toEqual(['newer.v2', 'older', 'json-only']);
    expect((await t.client.evalReport('older')).dataset).toBe('ml-100k');
    expect(await t.client.evalReportHtml('older')).toBe('<!doctype html><p>older</p>');
  });
});
