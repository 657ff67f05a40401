/**
 * HTTP recommendations at 100k items (issue 15): a `kindred serve` process (bench/http-server-process.ts) over a
 * store holding the items100k synthetic log (bench/synthetic, seed 2) and a trained model, measured twice: with the
 * serving index off (models.annMinItems=0, exact scoring) and on (the default, after the index is built). For each:
 * where one request's time goes (the stage times of the response traces of 200 cold users, summed per stage), then
 * p50/p99 at 8 connections over users not asked before (no list-cache hits) after a warm-up on others.
 *
 * Prepare the store once (minutes): `npx tsx bench/synthetic/write-csv.ts items100k /tmp/items100k`, then
 * `kindred --db sqlite:///tmp/items100k.db import /tmp/items100k --format csv` and
 * `KINDRED_MODEL=als KINDRED_TRAIN_FUSION=false kindred --db sqlite:///tmp/items100k.db train` (fusion off saves
 * minutes of training; the requests are then fused main-first); run with
 * `KINDRED_BENCH_DB=sqlite:///tmp/items100k.db npm run bench -- http-large`. KINDRED_BENCH_SECONDS (default 20),
 * KINDRED_BENCH_VARIANTS (default `exact,ann`; also `ann-workers2`: the index on, `kindred serve --workers 2`, the CPU
 * summed over the primary and its workers; and `ann-cached`: the index on, lists kept in the store (`cache.url`
 * store://), 12,000 users' lists made once and then served again from the cache, as after `kindred precompute` or a
 * user's earlier visit without new events), KINDRED_BENCH_USER_OFFSET (a later run on the same store: users past
 * those asked before, e.g. 25000), and those of http-server-process.ts (KINDRED_BENCH_CPU_PROF).
 */
import { readFileSync } from 'node:fs';
import type { BenchResult } from './harness.js';
import { describe, load, recommendRequests, type LoadIds, type LoadSummary } from './http-load-requests.js';
import { buildDist, startServerProcess, type ServerProcess } from './http-server-process.js';
import { SYNTHETIC_SIZES } from './synthetic/log.js';

const SPEC = SYNTHETIC_SIZES.items100k;
const PROFILED = 200;
const WARM = 2_000;

interface StageTime { stage: string; ms: number }

/** The pids of a process's children (Linux /proc; none elsewhere). */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/**
 * CPU seconds (user + system) a process and its living children (the workers of `serve --workers N`) have used, from
 * /proc (Linux; NaN elsewhere).
 */
function cpuSecondsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    // after the command: state is field 3, utime 14 and stime 15 (1-based), in clock ticks of 1/100 s
    const own = (Number(fields[11]) + Number(fields[12])) / 100;
    return childrenOf(pid).reduce((sum, child) => sum + cpuSecondsOf(child), own);
  } catch {
    return Number.NaN;
  }
}

type Variant = 'exact' | 'ann' | 'ann-workers2' | 'ann-cached';
const VARIANTS: readonly Variant[] = ['exact', 'ann', 'ann-workers2', 'ann-cached'];
/** Users whose lists the ann-cached variant makes first and then serves again from the cache (a 20 s run cycles over them). */
const CACHED_USERS = 12_000;

/**
 * Sums the trace's stage times of `users`' lists, asked one at a time; the slowest stages first. Also the server's CPU
 * per request meanwhile: one request at a time, nothing queues, so on a busy machine this stays close to what a
 * request costs while the wall times stretch.
 */
async function profile(server: ServerProcess, users: string[]): Promise<{ stages: StageTime[]; totalMs: number; cpuMs: number }> {
  const byStage = new Map<string, number>();
  let totalMs = 0;
  const cpu0 = cpuSecondsOf(server.pid);
  for (const u of users) {
    const t0 = performance.now();
    const res = await fetch(`${server.url}/v1/users/${encodeURIComponent(u)}/recommendations`);
    const body = (await res.json()) as { trace?: Array<{ stage: string; ms: number }> };
    totalMs += performance.now() - t0;
    for (const t of body.trace ?? []) byStage.set(t.stage, (byStage.get(t.stage) ?? 0) + t.ms);
  }
  const stages = [...byStage].map(([stage, ms]) => ({ stage, ms: ms / users.length })).sort((a, b) => b.ms - a.ms);
  return { stages, totalMs: totalMs / users.length, cpuMs: ((cpuSecondsOf(server.pid) - cpu0) * 1000) / users.length };
}

export async function run(): Promise<BenchResult[]> {
  const db = process.env.KINDRED_BENCH_DB;
  if (!db) {
    console.warn('skipping http-large bench: set KINDRED_BENCH_DB to a store with items100k imported and trained (see the file header)');
    return [];
  }
  const seconds = Number(process.env.KINDRED_BENCH_SECONDS) || 20;
  await buildDist();
  // a fixed shuffle of the synthetic users: profiled, warm-up and measured users never overlap
  const users = Array.from({ length: SPEC.users }, (_, u) => `u${(u * 7919) % SPEC.users}`);
  const out: BenchResult[] = [];
  const dataset = SPEC.name;
  const variants = (process.env.KINDRED_BENCH_VARIANTS ?? 'exact,ann').split(',').filter((v): v is Variant => (VARIANTS as readonly string[]).includes(v));
  for (const variant of variants) {
    process.env.KINDRED_MODELS_ANN_MIN_ITEMS = variant === 'exact' ? '0' : '20000';
    process.env.KINDRED_BENCH_LOG_LEVEL = 'info';
    // ann-cached: the lists in a table of the store, as `kindred precompute` needs them (a lasting cache)
    if (variant === 'ann-cached') process.env.KINDRED_CACHE = 'store://';
    else delete process.env.KINDRED_CACHE;
    // ann-workers2: `kindred serve --workers 2`, two processes on the two cores, each with its own model and index
    const workers = variant === 'ann-workers2' ? 2 : 0;
    const server = await startServerProcess(db, workers > 0 ? ['--workers', String(workers)] : undefined);
    try {
      if (variant !== 'exact') await server.waitForLog('serving index built', 600_000, Math.max(1, workers));
      // Each variant (and each run, by KINDRED_BENCH_USER_OFFSET) asks other users, so no live variant is served from a list
      // cached earlier (ann-cached keeps its lists in the store, where they outlive the server).
      const offset = (variant === 'exact' ? 0 : variant === 'ann' ? 50_000 : variant === 'ann-workers2' ? 75_000 : 25_000) + (Number(process.env.KINDRED_BENCH_USER_OFFSET) || 0);
      const pick = (from: number, n: number) => users.slice(offset + from, offset + from + n);
      const ids = (list: string[]): LoadIds => ({ users: list, items: [] });
      if (variant === 'ann-cached') {
        // each user asked once, as a precompute pass (or the user's earlier visit) leaves their list in the cache
        const made = await load(server.url, recommendRequests(ids(pick(0, CACHED_USERS))), { connections: 8, amount: CACHED_USERS });
        console.log(`ann-cached: ${made.requests} lists made and cached, ${made.reqPerSec.toFixed(0)} req/s`);
      }
      const { stages, totalMs, cpuMs } = await profile(server, pick(0, PROFILED));
      console.log(`${variant}: ${totalMs.toFixed(1)} ms per request (server CPU ${cpuMs.toFixed(2)} ms); ${stages.slice(0, 8).map((s) => `${s.stage} ${s.ms.toFixed(2)}`).join(', ')}`);
      out.push({ name: `http-large.${variant}.request-profile`, dataset, metric: 'mean-ms', value: totalMs, unit: 'ms', extra: { server_cpu_ms_per_request: Number(cpuMs.toFixed(2)), ...Object.fromEntries(stages.map((s) => [s.stage, Number(s.ms.toFixed(3))])) } });
      // ann-cached asks its cached users again; the others ask users not asked before (no list-cache hits)
      const warmUsers = variant === 'ann-cached' ? pick(0, CACHED_USERS) : pick(PROFILED, WARM);
      const loadUsers = variant === 'ann-cached' ? pick(0, CACHED_USERS) : pick(PROFILED + WARM, 40_000);
      await load(server.url, recommendRequests(ids(warmUsers)), { connections: 8, seconds: 5 });
      const cpu0 = cpuSecondsOf(server.pid);
      const s: LoadSummary = await load(server.url, recommendRequests(ids(loadUsers)), { connections: 8, seconds });
      const cpuMsPerRequest = ((cpuSecondsOf(server.pid) - cpu0) * 1000) / s.requests;
      console.log(`${describe(`recommend.${variant}.c8`, s)}  server CPU ${cpuMsPerRequest.toFixed(2)} ms/request`);
      out.push({
        name: `http-large.${variant}.recommend.c8`, dataset, metric: 'p99-ms', value: s.p99Ms, unit: 'ms',
        extra: { p50_ms: s.p50Ms, p90_ms: s.p90Ms, req_per_s: Number(s.reqPerSec.toFixed(1)), server_cpu_ms_per_request: Number(cpuMsPerRequest.toFixed(2)), requests: s.requests, errors: s.errors, non2xx: s.non2xx, rss_mb: Math.round(server.rssMb()) },
      });
    } finally {
      await server.stop();
    }
  }
  return out;
}
