/**
 * Global setup of the test suite: every Kindred logger in every test process (and the CLI and worker processes they
 * start, which inherit the environment) copies each line it could log, at every level, to one tap file
 * (KINDRED_LOG_TAP). At the end of the run the file is scanned for the planted personal data of
 * src/testkit/planted.ts: a log line holding the planted user id, email or review sentence fails the run.
 */
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOG_TAP_ENV } from '../src/core/logger.js';
import { plantedIn } from '../src/testkit/planted.js';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'kindred-log-tap-'));
  const file = join(dir, 'log-lines.jsonl');
  process.env[LOG_TAP_ENV] = file;
  return () => {
    const lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0) : [];
    rmSync(dir, { recursive: true, force: true });
    const leaks = lines.filter((l) => plantedIn(l).length > 0);
    if (leaks.length > 0) {
      throw new Error(`${leaks.length} of ${lines.length} log lines written during the suite hold planted personal data, e.g.:\n${leaks.slice(0, 5).join('\n')}`);
    }
    process.stderr.write(`log scan: ${lines.length} log lines written during the suite, none holds the planted user id, email or review sentence\n`);
  };
}
