import { Option, type Command } from 'commander';
import { EngineError } from '../../core/errors.js';
import type { PrecomputeReport } from '../../jobs/materializer.js';
import { output, withEngine, type GlobalOptions } from '../context.js';
import { createProgress } from '../progress.js';

/** The human line of `kindred precompute`. */
export function describePrecompute(r: PrecomputeReport): string {
  return `precomputed ${r.computed} lists in ${r.seconds.toFixed(1)} s (${r.alreadyCached} already cached, ${r.active} active users left live, ${r.skipped} without a usable history; ${r.users} users)`;
}

function parseDays(raw: string): number {
  const n = Number(raw);
  if (!/^[0-9]+(\.[0-9]+)?$/.test(raw) || !Number.isFinite(n)) throw new EngineError('INVALID_INPUT', '--inactive-days must be a number of days, e.g. 7', { field: 'inactive-days' });
  return n;
}

/** Adds `kindred precompute`: inactive users' lists into a lasting cache (store:// or redis://), so they are served without compute. */
export function precomputeCommand(program: Command): void {
  program
    .command('precompute')
    .description('Compute the default list of every inactive user into the cache (needs cache.url store:// or redis://; Ctrl-C cancels)')
    .addOption(new Option('--inactive-days <days>', 'users with an event in this many days are left to be computed live (default: config pipeline.precomputeInactiveDays)').argParser(parseDays))
    .option('--json', 'print JSON')
    .action(async (opts: { inactiveDays?: number; json?: boolean }, cmd: Command) => {
      const abort = new AbortController();
      const onSigint = () => abort.abort();
      process.once('SIGINT', onSigint);
      const progress = createProgress('precomputing');
      try {
        // The background pass would do the same work twice; this command is the pass.
        await withEngine(cmd.optsWithGlobals<GlobalOptions>(), async (engine) => {
          if (engine.config.cache.url.startsWith('memory:')) {
            throw new EngineError('INVALID_CONFIG', 'cache.url is memory://: precomputed lists would be lost when this command exits; set cache.url to store:// or redis:// (KINDRED_CACHE=store://) for the server and this command', { path: 'cache.url' });
          }
          const report = await engine.precomputeLists({ inactiveDays: opts.inactiveDays, signal: abort.signal, onProgress: (d, t) => progress.update(d, t) });
          progress.stop();
          output(!!opts.json, report, () => describePrecompute(report));
        }, { pipeline: { precompute: false } });
      } finally {
        progress.stop();
        process.off('SIGINT', onSigint);
      }
    });
}
