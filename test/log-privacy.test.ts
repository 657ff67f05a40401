/**
 * Logs never carry personal data: a planted user (id, email, review sentence) goes through every path that logs —
 * HTTP routes that succeed and fail, LLM calls that fail with the prompt quoted back, the CLI's import, export and
 * erase in child processes — and no line any logger wrote (at any level, via the suite's log tap) holds the planted
 * strings. test/log-tap.global.ts scans the whole suite's lines again at the end of the run.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOG_TAP_ENV } from '../src/core/logger.js';
import type { Event, Item } from '../src/core/types.js';
import { httpRejection, startServerWithFakeLlm, type TestServer } from '../src/server/test-server.js';
import type { FakeOpenAiServer } from '../src/testkit/fake-openai-server.js';
import { spawnKindred } from '../src/testkit/kindred-process.js';
import { PLANTED, plantedIn } from '../src/testkit/planted.js';

const dir = mkdtempSync(join(tmpdir(), 'kindred-log-privacy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Two genres of 8 items liked by 20 users; the planted user likes 3 sci-fi films and reviews one. */
function catalogue(): { items: Item[]; events: Event[] } {
  const items: Item[] = ['sf', 'ro'].flatMap((g) => Array.from({ length: 8 }, (_, i) => ({ id: `${g}${i}`, title: `${g} film ${i}`, text: `${g} story ${i}`, categories: [g], tags: [g] })));
  const at = (u: number, i: number) => new Date(Date.UTC(2024, 0, 1, u, i)).toISOString();
  const events: Event[] = [];
  for (let u = 0; u < 20; u++) for (let i = 0; i < 6; i++) events.push({ userId: `u${u}`, itemId: `${u % 2 ? 'ro' : 'sf'}${(i + u) % 8}`, type: 'rating', value: 5, timestamp: at(u, i) });
  for (let i = 0; i < 3; i++) events.push({ userId: PLANTED.userId, itemId: `sf${i}`, type: 'rating', value: 5, timestamp: at(21, i) });
  events.push({ userId: PLANTED.userId, itemId: 'sf3', type: 'review', value: 5, text: PLANTED.review, timestamp: at(21, 5) });
  return { items, events };
}

/** Every line the loggers of this run have written so far (all test processes and their children). */
function tapLines(): string[] {
  const file = process.env[LOG_TAP_ENV];
  return file && existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0) : [];
}

describe('log lines never hold a user\'s raw id, email or review text', () => {
  let t: TestServer;
  let fake: FakeOpenAiServer;
  beforeAll(async () => {
    ({ t, fake } = await startServerWithFakeLlm());
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  it('runs under the suite\'s log tap', () => {
    expect(process.env[LOG_TAP_ENV], 'vitest.config.ts sets the tap through test/log-tap.global.ts').toBeTruthy();
  });

  it('HTTP: successes, bad input quoting the planted data, and failing LLM calls log no planted string', async () => {
    // Before the user exists: lookups of the planted id answer 404.
    expect((await httpRejection(t.client.exportUser(PLANTED.userId))).status).toBe(404);
    expect((await httpRejection(t.client.eraseUser(PLANTED.userId))).status).toBe(404);
    const { items, events } = catalogue();
    await t.client.upsertItems(items);
    await t.client.upsertUsers([{ id: PLANTED.userId, attributes: { email: PLANTED.email } }]);
    await t.client.addEvents(events);
    // Bad input that carries the planted strings in the offending fields.
    const bad = [
      { userId: PLANTED.userId, itemId: 'sf1', type: PLANTED.review, timestamp: '2024-01-02T00:00:00Z' },
      { userId: PLANTED.userId, itemId: PLANTED.email, type: 'rating', value: PLANTED.review, timestamp: '2024-01-02T00:00:00Z' },
      { userId: PLANTED.userId, itemId: 'sf1', type: 'review', text: PLANTED.review, timestamp: PLANTED.email },
    ];
    for (const event of bad) expect((await httpRejection(t.client.addEvents([event as unknown as Event]))).status).toBe(400);
    expect((await httpRejection(t.client.upsertUsers([{ id: PLANTED.userId, attributes: PLANTED.email } as never]))).status).toBe(400);
    await t.client.train({ model: 'itemknn' });

    await t.client.recommend(PLANTED.userId, { count: 5 });
    await t.client.why(PLANTED.userId, 'ro1');
    // The LLM fails with the prompt quoted in its error body, as some providers do.
    fake.inject(...Array.from({ length: 6 }, () => ({ status: 500, body: JSON.stringify({ error: { message: `bad prompt: ${PLANTED.review} from ${PLANTED.userId}` } }) })));
    await t.client.recommend(PLANTED.userId, { count: 5, explain: true });
    await t.client.recommend(PLANTED.userId, { count: 5, query: PLANTED.review }).catch(() => undefined);
    await t.client.profile(PLANTED.userId);
    await t.client.feedback(PLANTED.userId, { kind: 'not-interested', itemId: 'sf5' });
    await t.client.recordImpressions({ userId: PLANTED.userId, itemIds: ['sf6'] });
    await t.client.putCarePreferences(PLANTED.userId, { diversity: 0.3 });
    const exported = await t.client.exportUser(PLANTED.userId);
    expect(JSON.stringify(exported)).toContain(PLANTED.review); // the export holds it: the answer, not a log line
    await t.client.eraseUser(PLANTED.userId);
    expect((await httpRejection(t.client.exportUser(PLANTED.userId))).status).toBe(404);

    const lines = tapLines();
    for (const route of ['/v1/events', '/v1/users/:id/recommendations', '/v1/users/:id/export', '/v1/users/:id']) {
      expect(lines.some((l) => l.includes(`"route":"${route}"`)), `a request line for ${route} reached the tap`).toBe(true);
    }
    expect(t.logLines.length).toBeGreaterThan(10);
    expect([...t.logLines, ...lines].filter((l) => plantedIn(l).length > 0)).toEqual([]);
  });

  it('CLI: import with bad rows, export and erase in child processes log no planted string', async () => {
    const db = `sqlite://${join(dir, 'cli.db')}`;
    const file = join(dir, 'events.jsonl');
    const { events } = catalogue();
    const rows = [...events, { userId: PLANTED.userId, itemId: 'sf1', type: 'rating', value: PLANTED.review, timestamp: PLANTED.email }];
    writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const env = { KINDRED_LOG_LEVEL: 'debug', KINDRED_EMBEDDINGS_PROVIDER: 'none' };
    const run = async (args: string[]) => {
      const p = spawnKindred(['--db', db, ...args], env, dir);
      const { code } = await p.exited;
      return { code, lines: p.lines };
    };
    const imported = await run(['import', file, '--format', 'jsonl', '--on-error', 'skip']);
    expect(imported.code).toBe(0);
    const exported = await run(['export-user', PLANTED.userId]);
    expect(exported.code).toBe(0);
    expect(exported.lines.join('\n')).toContain(PLANTED.review); // printed on stdout as the answer
    expect((await run(['erase-user', PLANTED.userId])).code).toBe(0);
    const logLines = [...imported.lines, ...exported.lines].filter((l) => l.startsWith('{"level"'));
    expect(logLines.filter((l) => plantedIn(l).length > 0)).toEqual([]);
    expect(tapLines().filter((l) => plantedIn(l).length > 0)).toEqual([]);
  });
});
