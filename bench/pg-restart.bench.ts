/**
 * PostgreSQL restarted under load (issue 11's fault item): `kindred serve --role api --workers 2` on a postgres://
 * store (ml-100k imported and trained in a fresh schema, dropped after), 8 clients in this process each POSTing one
 * new event and GETting one user's recommendations in a loop. After LOAD_BEFORE_S the server is restarted with env
 * KINDRED_PG_RESTART_CMD (default `pg_ctlcluster 15 main restart`; see `pg_lsclusters`), and the load goes on for
 * LOAD_AFTER_S. It counts answers per status, 503s without Retry-After (must be 0), other 5xx and transport errors
 * (must be 0; a request unanswered after 10 s counts as one), the slowest answer, when the 503s came, the time from
 * the restart command's return to the first 2xx of a request sent after it (the servers recover by themselves:
 * kindred is not restarted), and how many acknowledged (2xx) event ids the store holds afterwards (must be all; it
 * also counts the events answered otherwise that were stored all the same: a COMMIT cut off leaves its outcome
 * unknown). When the restart command fails (not allowed, a managed server) it SKIPS.
 *
 * It restarts the shared server: run it alone, `npm run bench -- pg-restart` (KINDRED_TEST_POSTGRES_URL picks the
 * server; KINDRED_BENCH_NO_BUILD=1 uses dist/ as it is).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { openStore } from '../src/storage/registry.js';
import { datasetPath } from '../src/testkit/datasets.js';
import { postgresAvailable, postgresTestUrl, withAdminClient } from '../src/testkit/postgres.js';
import type { BenchResult } from './harness.js';
import { ml100kIds, type LoadIds } from './http-load-requests.js';
import { buildDist, prepareStore, startServerProcess } from './http-server-process.js';

const DATASET = 'ml-100k';
const CLIENTS = 8;
const LOAD_BEFORE_S = 5;
const LOAD_AFTER_S = 15;
const REQUEST_TIMEOUT_MS = 10_000;
/** Pause of a client after a failed answer, so a down store is not hammered in a tight loop. */
const PAUSE_AFTER_FAILURE_MS = 100;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every answer of the load, counted. */
interface Tally {
  ok: number;
  unavailable: number;
  /** 503s without a Retry-After header. */
  unavailableWithoutRetryAfter: number;
  otherServerErrors: number;
  /** 4xx and anything else that is neither 2xx nor 5xx. */
  otherStatuses: number;
  /** No answer: connection refused or reset, or no answer within REQUEST_TIMEOUT_MS. */
  transportErrors: number;
  acknowledged: string[];
  /** Ids of events whose POST was answered otherwise (or not at all). */
  unacknowledged: string[];
  /** performance.now() at send, of every 2xx answer. */
  okSentAt: number[];
  /** performance.now() at answer, of every 503. */
  unavailableAt: number[];
  /** The slowest answer of any status, in ms (a request hung by the restart shows here). */
  slowestMs: number;
}

async function request(tally: Tally, url: string, init: RequestInit, onOk?: () => void): Promise<boolean> {
  const sentAt = performance.now();
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    await res.arrayBuffer();
  } catch {
    tally.transportErrors++;
    return false;
  } finally {
    tally.slowestMs = Math.max(tally.slowestMs, performance.now() - sentAt);
  }
  if (res.status >= 200 && res.status < 300) {
    tally.ok++;
    tally.okSentAt.push(sentAt);
    onOk?.();
    return true;
  }
  if (res.status === 503) {
    tally.unavailable++;
    tally.unavailableAt.push(performance.now());
    if (!res.headers.get('retry-after')) tally.unavailableWithoutRetryAfter++;
  } else if (res.status >= 500) tally.otherServerErrors++;
  else tally.otherStatuses++;
  return false;
}

/** One client: a new event (unique id), then a random user's recommendations, until `stop()` says so. */
async function client(base: string, ids: LoadIds, c: number, tally: Tally, stop: () => boolean): Promise<void> {
  const pick = (xs: string[]) => xs[Math.floor(Math.random() * xs.length)];
  for (let n = 0; !stop(); n++) {
    const id = `restart-${c}-${n}`;
    const event = { id, userId: pick(ids.users), itemId: pick(ids.items), type: 'view', timestamp: new Date().toISOString() };
    const wrote = await request(tally, `${base}/v1/events`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ events: [event] }),
    }, () => tally.acknowledged.push(id));
    if (!wrote) tally.unacknowledged.push(id);
    const read = await request(tally, `${base}/v1/users/${encodeURIComponent(pick(ids.users))}/recommendations`, { method: 'GET' });
    if (!wrote || !read) await sleep(PAUSE_AFTER_FAILURE_MS);
  }
}

/** Runs the restart command; its error text when it fails (then the bench skips). */
async function restartPostgres(command: string): Promise<string | undefined> {
  try {
    await promisify(execFile)('sh', ['-c', command], { timeout: 120_000 });
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message.split('\n').slice(0, 3).join(' ') : String(e);
  }
}

/** How many of `ids` the store holds (one scan of its events). */
async function storedCount(url: string, ids: string[]): Promise<number> {
  const wanted = new Set(ids);
  const store = await openStore(url);
  let found = 0;
  try {
    for await (const batch of store.scanEvents({ batchSize: 5000 })) for (const e of batch) if (e.id !== undefined && wanted.has(e.id)) found++;
  } finally {
    await store.close();
  }
  return found;
}

export async function run(): Promise<BenchResult[]> {
  const dir = datasetPath(DATASET);
  if (!dir) {
    console.log(`pg-restart: SKIPPED, dataset ${DATASET} not found (KINDRED_DATA_DIR)`);
    return [];
  }
  if (!(await postgresAvailable())) return [];
  const command = process.env.KINDRED_PG_RESTART_CMD ?? 'pg_ctlcluster 15 main restart';
  const schema = `kindred_restart_${randomBytes(6).toString('hex')}`;
  const url = new URL(postgresTestUrl());
  url.searchParams.set('schema', schema);
  const storeUrl = url.toString();
  await buildDist();
  try {
    await prepareStore(dir, storeUrl);
    const server = await startServerProcess(storeUrl, ['--role', 'api', '--workers', '2']);
    const ids = ml100kIds(dir);
    const tally: Tally = {
      ok: 0, unavailable: 0, unavailableWithoutRetryAfter: 0, otherServerErrors: 0, otherStatuses: 0, transportErrors: 0,
      acknowledged: [], unacknowledged: [], okSentAt: [], unavailableAt: [], slowestMs: 0,
    };
    let stopping = false;
    let restartFailure: string | undefined;
    let restartSeconds = NaN;
    let restartStart = NaN;
    let restartedAt = NaN;
    try {
      const clients = Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(server.url, ids, c, tally, () => stopping)));
      await sleep(LOAD_BEFORE_S * 1000);
      restartStart = performance.now();
      restartFailure = await restartPostgres(command);
      restartedAt = performance.now();
      restartSeconds = (restartedAt - restartStart) / 1000;
      if (!restartFailure) await sleep(LOAD_AFTER_S * 1000);
      stopping = true;
      await clients;
    } finally {
      await server.stop();
    }
    if (restartFailure) {
      console.log(`pg-restart: SKIPPED, the restart command failed or is not allowed (${command}): ${restartFailure}`);
      return [];
    }
    const firstOkAfter = tally.okSentAt.filter((t) => t >= restartedAt).sort((a, b) => a - b)[0];
    const recoverySeconds = firstOkAfter === undefined ? NaN : (firstOkAfter - restartedAt) / 1000;
    // When the 503s came, in seconds after the restart command started (NaN: none came).
    const first503 = tally.unavailableAt.length === 0 ? NaN : (Math.min(...tally.unavailableAt) - restartStart) / 1000;
    const last503 = tally.unavailableAt.length === 0 ? NaN : (Math.max(...tally.unavailableAt) - restartStart) / 1000;
    const workerRestarts = (server.stderrTail().match(/worker exited/g) ?? []).length;
    const stored = await storedCount(storeUrl, tally.acknowledged);
    const lost = tally.acknowledged.length - stored;
    const storedAnyway = await storedCount(storeUrl, tally.unacknowledged);
    const okDuringRestart = tally.okSentAt.filter((t) => t >= restartStart && t < restartedAt).length;
    console.log(`pg-restart: ${tally.ok} 2xx, ${tally.unavailable} 503 (${tally.unavailableWithoutRetryAfter} without Retry-After), ` +
      `${tally.otherServerErrors} other 5xx, ${tally.otherStatuses} other, ${tally.transportErrors} transport errors; restart took ${restartSeconds.toFixed(1)} s, ` +
      `first 2xx ${recoverySeconds.toFixed(2)} s after it, 503s from ${first503.toFixed(2)} to ${last503.toFixed(2)} s after it started; ` +
      `slowest answer ${tally.slowestMs.toFixed(0)} ms; ${workerRestarts} worker restarts; ` +
      `${tally.acknowledged.length} events acknowledged, ${stored} stored, ${lost} lost; ${okDuringRestart} 2xx sent during the restart; ` +
      `${storedAnyway} of ${tally.unacknowledged.length} unacknowledged events stored anyway`);
    const row = (metric: string, value: number, unit: string): BenchResult =>
      ({ name: 'pg-restart.api-workers-2', dataset: DATASET, metric, value, unit, extra: { clients: CLIENTS, command } });
    return [
      row('answers_2xx', tally.ok, 'requests'),
      row('answers_503', tally.unavailable, 'requests'),
      row('503_without_retry_after', tally.unavailableWithoutRetryAfter, 'requests'),
      row('answers_other_5xx', tally.otherServerErrors, 'requests'),
      row('answers_other', tally.otherStatuses, 'requests'),
      row('transport_errors', tally.transportErrors, 'requests'),
      row('restart_command', restartSeconds, 's'),
      row('first_2xx_after', recoverySeconds, 's'),
      row('first_503_after_start', first503, 's'),
      row('last_503_after_start', last503, 's'),
      row('slowest_answer', tally.slowestMs, 'ms'),
      row('worker_restarts', workerRestarts, 'restarts'),
      row('events_acknowledged', tally.acknowledged.length, 'events'),
      row('events_lost', lost, 'events'),
      row('answers_2xx_sent_during_restart', okDuringRestart, 'requests'),
      row('events_unacknowledged', tally.unacknowledged.length, 'events'),
      row('unacknowledged_stored_anyway', storedAnyway, 'events'),
    ];
  } finally {
    await withAdminClient((c) => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
  }
}
