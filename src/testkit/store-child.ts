/**
 * A store in another process, for tests that kill a writer mid-work (SIGKILL during an import or API writes): a
 * script run through tsx whose body finds `store` already open (the real openStore) on the URL it is given.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REGISTRY = pathToFileURL(fileURLToPath(new URL('../storage/registry.ts', import.meta.url))).href;

/** The running child, what it wrote to stderr so far, and its exit signal (null when it exits by itself). */
export interface StoreChild {
  child: ChildProcessByStdio<null, Readable, Readable>;
  stderr: () => string;
  exited: Promise<NodeJS.Signals | null>;
}

/**
 * Writes `body` as `<dir>/<name>.mts` after `const store = await openStore(process.argv[2])`, and runs it on `url`.
 *
 * @example const { child, exited } = spawnStoreChild(dir, 'writer', "process.stdout.write('READY\\n');", url);
 */
export function spawnStoreChild(dir: string, name: string, body: string, url: string): StoreChild {
  const script = join(dir, `${name}.mts`);
  writeFileSync(script, `
    import { openStore } from ${JSON.stringify(REGISTRY)};
    const store = await openStore(process.argv[2]);
    ${body}
  `);
  const child = spawn(process.execPath, ['--import', 'tsx', script, url], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  return { child, stderr: () => stderr, exited };
}
