/**
 * The built CLI (`node bin/kindred.js`, compiled by `npm run build`) in a child process, for tests of roles and
 * faults: every line it prints (stdout and its JSON log lines on stderr) is kept, a test waits for a line, reads the
 * URL a server listens on, and kills it like an operator or the kernel would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

/** A running `kindred` child process. */
export interface KindredProcess {
  readonly child: ChildProcess;
  /** Every line printed so far, stdout and stderr interleaved in arrival order. */
  readonly lines: string[];
  /** Resolves with the first line (already printed or to come) matching `pattern`; rejects when the process exits first. */
  waitFor(pattern: RegExp): Promise<RegExpExecArray>;
  /** Resolves with the exit code or signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends the signal unless the process already exited. */
  kill(signal: NodeJS.Signals): void;
}

/** A `kindred serve` child with an HTTP API, and its base URL. */
export interface KindredServer extends KindredProcess {
  readonly url: string;
}

const BIN = resolve('bin/kindred.js');

/**
 * Starts `kindred <args>` with `env` added to this process's environment, in `cwd` (a directory without a
 * kindred.config.json, so only args and env configure it).
 *
 * @example const p = spawnKindred(['--db', url, 'serve', '--role', 'trainer'], { KINDRED_LOG_LEVEL: 'info' }, dir);
 */
export function spawnKindred(args: string[], env: Record<string, string>, cwd: string): KindredProcess {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters: Array<{ pattern: RegExp; resolve: (m: RegExpExecArray) => void; reject: (e: Error) => void }> = [];
  let ended = false;
  const onLine = (line: string) => {
    lines.push(line);
    for (const w of [...waiters]) {
      const m = w.pattern.exec(line);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  };
  createInterface({ input: child.stdout as NonNullable<typeof child.stdout> }).on('line', onLine);
  createInterface({ input: child.stderr as NonNullable<typeof child.stderr> }).on('line', onLine);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => {
    child.on('exit', (code, signal) => {
      ended = true;
      for (const w of waiters.splice(0)) w.reject(new Error(`kindred ${args.join(' ')} exited (${signal ?? code}) before printing ${w.pattern}:\n${lines.slice(-20).join('\n')}`));
      done({ code, signal });
    });
  });
  return {
    child,
    lines,
    exited,
    waitFor(pattern: RegExp) {
      for (const line of lines) {
        const m = pattern.exec(line);
        if (m) return Promise.resolve(m);
      }
      if (ended) return Promise.reject(new Error(`kindred ${args.join(' ')} exited before printing ${pattern}:\n${lines.slice(-20).join('\n')}`));
      return new Promise((res, rej) => waiters.push({ pattern, resolve: res, reject: rej }));
    },
    kill(signal: NodeJS.Signals) {
      if (!ended && child.pid !== undefined) process.kill(child.pid, signal);
    },
  };
}

/**
 * Starts `kindred --db <storeUrl> serve --port 0 <args>` and resolves once it listens.
 *
 * @example const api = await startKindredServer(url, ['--role', 'api'], { KINDRED_MODELS_POLL_SECONDS: '1' }, dir);
 */
export async function startKindredServer(storeUrl: string, args: string[], env: Record<string, string>, cwd: string): Promise<KindredServer> {
  const p = spawnKindred(['--db', storeUrl, 'serve', '--port', '0', ...args], env, cwd);
  const [, url] = await p.waitFor(/listening on (http:\/\/\S+)/);
  return { ...p, url };
}
