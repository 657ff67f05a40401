/**
 * A Kindred server in its own process for the HTTP load benchmarks, so the load generator never shares its event
 * loop: builds dist/ (`npm run build`), imports ml-100k into a SQLite file in a temp dir, trains with the defaults,
 * then spawns `node bin/kindred.js serve` on a free loopback port.
 *
 * Environment:
 * - KINDRED_BENCH_DB: a store URL to use instead of the temp SQLite file (imported and trained the same way).
 * - KINDRED_BENCH_SERVE_ARGS: extra `kindred serve` arguments, split on spaces (e.g. `--workers 2`).
 * - KINDRED_BENCH_CPU_PROF: a directory; the server runs under `node --cpu-prof` and writes its profile there on exit
 *   (summarise it with `npx tsx bench/cpu-profile-summary.ts <file>`).
 * - KINDRED_BENCH_NO_BUILD=1: use dist/ as it is.
 * - KINDRED_BENCH_LOG_LEVEL: the server's --log-level (default warn); `waitForLog` sees only lines at that level.
 * - KINDRED_BENCH_START_SECONDS: how long the server may take to load its model and listen (default 60; a 300 MB
 *   bundle on a busy machine takes longer).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'bin', 'kindred.js');

/** A store with a dataset imported and a model trained, and how to remove it. */
export interface PreparedStore {
  url: string;
  /** Removes the temp dir (nothing for a KINDRED_BENCH_DB store). */
  remove(): void;
}

/** Builds dist/ unless KINDRED_BENCH_NO_BUILD=1: the server process runs the compiled CLI. */
export async function buildDist(): Promise<void> {
  if (process.env.KINDRED_BENCH_NO_BUILD === '1') return;
  await run('npm', ['run', 'build'], { cwd: root });
}

/**
 * Imports the ml-100k directory and trains with the defaults, through the CLI (what an operator runs), into `storeUrl`
 * (default KINDRED_BENCH_DB, else a temp SQLite file).
 *
 * @example const store = await prepareStore(datasetPath('ml-100k')); ... store.remove()
 */
export async function prepareStore(datasetDir: string, storeUrl = process.env.KINDRED_BENCH_DB): Promise<PreparedStore> {
  const external = storeUrl;
  const dir = external ? undefined : mkdtempSync(join(tmpdir(), 'kindred-load-'));
  const url = external ?? `sqlite://${join(dir ?? '', 'kindred.db')}`;
  const remove = () => { if (dir) rmSync(dir, { recursive: true, force: true }); };
  try {
    await run('node', [cli, '--db', url, '--log-level', 'warn', 'import', datasetDir, '--format', 'movielens-100k'], { cwd: root });
    await run('node', [cli, '--db', url, '--log-level', 'warn', 'train'], { cwd: root, maxBuffer: 16 * 2 ** 20 });
  } catch (err) {
    remove();
    throw err;
  }
  return { url, remove };
}

/** A running server process. */
export interface ServerProcess {
  url: string;
  pid: number;
  /** The extra serve arguments it was started with (default KINDRED_BENCH_SERVE_ARGS). */
  serveArgs: string[];
  /** Resident set size of the server process in MiB (Linux /proc; NaN elsewhere). */
  rssMb(): number;
  /** The last 4,000 characters the server wrote to stderr (its warnings and errors at --log-level warn). */
  stderrTail(): string;
  /** Resolves when the server has written `times` (default 1) stderr lines containing `text` (rejects after `timeoutMs`). */
  waitForLog(text: string, timeoutMs: number, times?: number): Promise<void>;
  /** SIGTERM, then waits for the process to exit (it writes its CPU profile then, when asked for one). */
  stop(): Promise<void>;
}

function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

/**
 * Spawns `kindred serve` over the store on 127.0.0.1 and a free port, with `serveArgs` (default
 * KINDRED_BENCH_SERVE_ARGS); resolves once it says where it listens.
 *
 * @example const server = await startServerProcess(store.url); ... await server.stop()
 */
export async function startServerProcess(
  storeUrl: string,
  serveArgs = (process.env.KINDRED_BENCH_SERVE_ARGS ?? '').split(/\s+/).filter(Boolean),
): Promise<ServerProcess> {
  const profDir = process.env.KINDRED_BENCH_CPU_PROF;
  const nodeArgs = profDir ? ['--cpu-prof', '--cpu-prof-dir', profDir] : [];
  const logLevel = process.env.KINDRED_BENCH_LOG_LEVEL ?? 'warn';
  const child = spawn('node', [...nodeArgs, cli, '--db', storeUrl, '--log-level', logLevel, 'serve', '--host', '127.0.0.1', '--port', '0', ...serveArgs], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  // Every whole stderr line but the per-request ones (`"msg":"http"` at info), so a wait can count a line that each
  // worker of `--workers N` writes once (the serving index built); `partial` is a line still being written.
  const lines: string[] = [];
  let partial = '';
  const count = (text: string) => lines.reduce((n, line) => n + (line.includes(text) ? 1 : 0), 0);
  const logWaits: Array<{ text: string; times: number; resolve: () => void }> = [];
  child.stderr?.on('data', (d: Buffer) => {
    const chunk = d.toString();
    const whole = (partial + chunk).split('\n');
    partial = whole.pop() ?? '';
    for (const line of whole) if (!line.includes('"msg":"http"')) lines.push(line);
    for (const w of logWaits.splice(0)) {
      if (count(w.text) >= w.times) w.resolve();
      else logWaits.push(w);
    }
    stderr = (stderr + chunk).slice(-4000);
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const startSeconds = Number(process.env.KINDRED_BENCH_START_SECONDS) || 60;
    const timer = setTimeout(() => {
      child.kill('SIGKILL'); // not left running behind a failed benchmark
      reject(new Error(`server did not start in ${startSeconds} s: ${stderr}`));
    }, startSeconds * 1000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with code ${code}: ${stderr}`));
    });
  });
  child.stdout?.resume(); // keep draining what it prints later
  const pid = child.pid ?? -1;
  return {
    url,
    pid,
    serveArgs,
    rssMb: () => rssOf(pid),
    stderrTail: () => stderr,
    waitForLog: (text, timeoutMs, times = 1) => new Promise<void>((resolve, reject) => {
      if (count(text) >= times) return resolve();
      const timer = setTimeout(() => reject(new Error(`server did not log "${text}" ${times} times in ${timeoutMs} ms: ${stderr}`)), timeoutMs);
      logWaits.push({ text, times, resolve: () => { clearTimeout(timer); resolve(); } });
    }),
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited(child);
      clearTimeout(timer);
    },
  };
}
