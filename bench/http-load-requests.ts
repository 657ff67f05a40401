/**
 * The request shapes of the HTTP load benchmarks (autocannon's programmatic API): recommendations for random known
 * users, event batches of random users and items, and a read/write mix; and one load run summarised.
 */
import autocannon, { type Request, type Result } from 'autocannon';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The ids a load run draws from: the dataset's users and items. */
export interface LoadIds {
  users: string[];
  items: string[];
}

/** ml-100k's user and item ids (u.user / u.item), shuffled with a fixed seed so runs are comparable. */
export function ml100kIds(dir: string): LoadIds {
  const ids = (file: string, sep: string) => readFileSync(join(dir, file), 'latin1').split('\n').filter(Boolean).map((l) => l.split(sep)[0]);
  return { users: shuffled(ids('u.user', '|'), 11), items: ids('u.item', '|') };
}

function shuffled<T>(xs: T[], seed: number): T[] {
  const out = [...xs];
  let s = seed >>> 0;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * GET a user's recommendations, cycling over the (shuffled) users: each request, on whichever connection, asks the
 * next user. (A list of one request per user would be walked from its start by every connection: with 8 connections
 * each user was asked 8 times at once, and 7 of the 8 answers came from the list cache or a concurrent twin.)
 */
export function recommendRequests(ids: LoadIds): Request[] {
  let next = 0;
  return [{
    method: 'GET',
    setupRequest: (req) => ({ ...req, path: `/v1/users/${encodeURIComponent(ids.users[next++ % ids.users.length])}/recommendations` }),
  }];
}

/** Makes event batches with ids unique to this process and run, so every event is new (accepted, not a duplicate). */
export function eventBatches(ids: LoadIds, perRequest: number): () => string {
  let n = 0;
  const run = `${process.pid}-${Date.now().toString(36)}`;
  const pick = (xs: string[]) => xs[Math.floor(Math.random() * xs.length)];
  return () => {
    const events = Array.from({ length: perRequest }, () => ({
      id: `load-${run}-${n++}`, userId: pick(ids.users), itemId: pick(ids.items), type: 'view', timestamp: new Date().toISOString(),
    }));
    return JSON.stringify({ events });
  };
}

/** POST /v1/events with `perRequest` new events each. */
export function eventRequests(ids: LoadIds, perRequest: number): Request[] {
  const body = eventBatches(ids, perRequest);
  return [{ method: 'POST', path: '/v1/events', headers: { 'content-type': 'application/json' }, setupRequest: (req) => ({ ...req, body: body() }) }];
}

/** Reads (recommendations of a random user) with probability `readShare`, else a write of one event of a random user. */
export function mixedRequests(ids: LoadIds, readShare: number): Request[] {
  const body = eventBatches(ids, 1);
  return [{
    setupRequest: (req) => {
      if (Math.random() < readShare) {
        const u = ids.users[Math.floor(Math.random() * ids.users.length)];
        return { ...req, method: 'GET', path: `/v1/users/${encodeURIComponent(u)}/recommendations`, body: undefined, headers: {} };
      }
      return { ...req, method: 'POST', path: '/v1/events', headers: { 'content-type': 'application/json' }, body: body() };
    },
  }];
}

/** One load run's summary (latencies in ms as autocannon measures them). */
export interface LoadSummary {
  connections: number;
  seconds: number;
  requests: number;
  reqPerSec: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: number;
  timeouts: number;
  non2xx: number;
}

function summary(r: Result): LoadSummary {
  return {
    connections: r.connections,
    seconds: r.duration,
    requests: r.requests.total,
    reqPerSec: r.requests.total / r.duration,
    p50Ms: r.latency.p50,
    p90Ms: r.latency.p90,
    p99Ms: r.latency.p99,
    maxMs: r.latency.max,
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
  };
}

/**
 * Runs autocannon against `url` with these requests (cycled per connection) for `seconds`, or for `amount` requests.
 *
 * @example const s = await load(server.url, recommendRequests(ids), { connections: 8, seconds: 10 })
 */
export async function load(url: string, requests: Request[], opts: { connections: number; seconds?: number; amount?: number }): Promise<LoadSummary> {
  const result = await autocannon({
    url,
    connections: opts.connections,
    ...(opts.amount !== undefined ? { amount: opts.amount } : { duration: opts.seconds ?? 10 }),
    requests,
    timeout: 10,
  });
  return summary(result);
}

/** One line for the console. */
export function describe(name: string, s: LoadSummary): string {
  return `${name.padEnd(28)} c=${String(s.connections).padStart(3)} ${s.reqPerSec.toFixed(0).padStart(6)} req/s  p50 ${s.p50Ms} ms  p99 ${s.p99Ms} ms  ` +
    `errors ${s.errors} timeouts ${s.timeouts} non2xx ${s.non2xx}`;
}
