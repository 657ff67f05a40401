import type { Command } from 'commander';
import { EngineError } from '../../core/errors.js';
import { output, withEngine, type GlobalOptions } from '../context.js';
import { createProgress } from '../progress.js';
import type { TrainReport } from '../../engine-types.js';

/**
 * Seconds from `--budget`: a number, optionally with an `s` or `m` unit ("120", "120s", "2m").
 *
 * @example budgetSeconds('2m') // 120
 */
export function budgetSeconds(raw: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(s|m)?\s*$/.exec(raw);
  if (!m) throw new EngineError('INVALID_INPUT', '--budget must be seconds, e.g. 120, 120s or 2m', { field: 'budget' });
  return Number(m[1]) * (m[2] === 'm' ? 60 : 1);
}

/** One line for a finished training; a tuned one also names what the search chose and its validation score. */
export function trainSummary(report: TrainReport): string {
  const line = `trained ${report.model} v${report.version} in ${report.seconds.toFixed(2)} s: ${report.users} users, ${report.items} items, ${report.interactions} interactions`;
  const t = report.tuning;
  if (!t) return line;
  const tried = t.models.map((m) => `${m.model} ${m.trials} (best ${m.best.toFixed(4)})`).join(', ');
  const skipped = t.skipped.length > 0 ? `; skipped ${t.skipped.map((s) => `${s.model}: ${s.reason}`).join('; ')}` : '';
  const kept = t.chosenBy === 'defaults-within-noise' ? ' (its defaults: no draw beat them beyond the noise)' : '';
  return `${line}${kept}\ntuned in ${t.seconds.toFixed(1)} s of a ${t.budgetSeconds} s budget: validation ${t.metric} ${(t.validMetrics[t.metric] ?? NaN).toFixed(4)} over ${t.validUsers} users; trials ${tried}${skipped}`;
}

export function trainCommand(program: Command): void {
  program
    .command('train')
    .description('Fit the models on every event in the store and publish a new model version (Ctrl-C cancels)')
    .option('--model <name>', 'main model (default: config train.model)')
    .option('--params <json>', 'model parameters as JSON, e.g. \'{"neighbors":200}\'')
    .option('--tune', 'choose the main model (ease, als, itemknn; or only --model\'s params) on a validation split, then fit on all data')
    .option('--budget <seconds>', 'tuning time budget, e.g. 120 or 2m (default 120; only with --tune)')
    .option('--json', 'print JSON')
    .action(async (opts: { model?: string; params?: string; tune?: boolean; budget?: string; json?: boolean }, cmd: Command) => {
      if (opts.budget !== undefined && !opts.tune) throw new EngineError('INVALID_INPUT', '--budget applies only with --tune', { field: 'budget' });
      const budget = opts.budget === undefined ? undefined : budgetSeconds(opts.budget);
      let params: Record<string, unknown> | undefined;
      if (opts.params) {
        try {
          params = JSON.parse(opts.params) as Record<string, unknown>;
        } catch {
          throw new EngineError('INVALID_INPUT', '--params must be a JSON object');
        }
      }
      const abort = new AbortController();
      const onSigint = () => abort.abort();
      process.once('SIGINT', onSigint);
      const progress = createProgress('training');
      try {
        await withEngine(cmd.optsWithGlobals<GlobalOptions>(), async (engine) => {
          const report = await engine.train({
            model: opts.model, params, tune: opts.tune, budgetSeconds: budget, signal: abort.signal, onProgress: (d, t) => progress.update(d, t),
          });
          progress.stop();
          output(!!opts.json, report, () => trainSummary(report));
        });
      } finally {
        progress.stop();
        process.off('SIGINT', onSigint);
      }
    });
}
