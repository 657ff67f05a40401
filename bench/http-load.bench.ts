/**
 * Throughput over HTTP (issue 11): a `kindred serve` process (bench/http-server-process.ts) over ml-100k imported
 * into SQLite and trained with the defaults, loaded by autocannon on loopback from this process:
 * - recommendations for random known users at 1, 8, 32 and 128 connections (after a warm-up pass over every user);
 * - event ingestion, 1 and 100 events per POST;
 * - a 70/30 read/write mix (reads: recommendations; writes: one event of a random user).
 *
 * `npm run bench -- http-load`. Environment: KINDRED_BENCH_SECONDS (per run, default 10), KINDRED_BENCH_MIXED_SECONDS
 * (default 60), KINDRED_BENCH_CONNECTIONS (comma list, default 1,8,32,128), and those of http-server-process.ts
 * (KINDRED_BENCH_SERVE_ARGS for e.g. `--workers 2`, KINDRED_BENCH_DB, KINDRED_BENCH_CPU_PROF).
 */
import { datasetPath } from '../src/testkit/datasets.js';
import type { BenchResult } from './harness.js';
import { describe, eventRequests, load, mixedRequests, ml100kIds, recommendRequests, type LoadSummary } from './http-load-requests.js';
import { buildDist, prepareStore, startServerProcess } from './http-server-process.js';

const DATASET = 'ml-100k';

function seconds(env: string | undefined, fallback: number): number {
  const n = Number(env);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

export async function run(): Promise<BenchResult[]> {
  const dir = datasetPath(DATASET);
  if (!dir) {
    console.warn(`skipping http-load bench: ${DATASET} not found`);
    return [];
  }
  const runSeconds = seconds(process.env.KINDRED_BENCH_SECONDS, 10);
  const mixedSeconds = seconds(process.env.KINDRED_BENCH_MIXED_SECONDS, 60);
  const connections = (process.env.KINDRED_BENCH_CONNECTIONS ?? '1,8,32,128').split(',').map(Number).filter((n) => n > 0);
  await buildDist();
  const store = await prepareStore(dir);
  const server = await startServerProcess(store.url);
  const ids = ml100kIds(dir);
  const out: BenchResult[] = [];
  const serveArgs = server.serveArgs.join(' ');
  const result = (name: string, s: LoadSummary, extra: Record<string, number | string> = {}) => {
    console.log(describe(name, s));
    out.push({
      name: `http-load.${name}`, dataset: DATASET, metric: 'req_per_s', value: s.reqPerSec, unit: 'req/s',
      extra: { connections: s.connections, seconds: s.seconds, requests: s.requests, p50_ms: s.p50Ms, p90_ms: s.p90Ms, p99_ms: s.p99Ms, max_ms: s.maxMs,
        errors: s.errors, timeouts: s.timeouts, non2xx: s.non2xx, serve_args: serveArgs, ...extra },
    });
  };
  try {
    const reads = recommendRequests(ids);
    // Warm-up: every user's list once (the first request of a user computes it; later ones are served from the
    // list cache while the user has no new events), then a few seconds for the JIT.
    await load(server.url, reads, { connections: 8, amount: ids.users.length });
    await load(server.url, reads, { connections: 8, seconds: 3 });
    for (const c of connections) result(`recommend.c${c}`, await load(server.url, reads, { connections: c, seconds: runSeconds }));

    for (const perRequest of [1, 100]) {
      const s = await load(server.url, eventRequests(ids, perRequest), { connections: 8, seconds: runSeconds });
      result(`events.${perRequest}-per-request`, s, { events_per_s: s.reqPerSec * perRequest });
    }

    result('mixed-70-30', await load(server.url, mixedRequests(ids, 0.7), { connections: 8, seconds: mixedSeconds }), { read_share: 0.7 });
  } finally {
    await server.stop();
    store.remove();
  }
  return out;
}
