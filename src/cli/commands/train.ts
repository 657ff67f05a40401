import type { Command } from 'commander';
import { EngineError } from '../../core/errors.js';
import { output, withEngine, type GlobalOptions } from '../context.js';
import { createProgress } from '../progress.js';

export function trainCommand(program: Command): void {
  program
    .command('train')
    .description('Fit the models on every event in the store and publish a new model version (Ctrl-C cancels)')
    .option('--model <name>', 'main model (default: config train.model)')
    .option('--params <json>', 'model parameters as JSON, e.g. \'{"neighbors":200}\'')
    .option('--json', 'print JSON')
    .action(async (opts: { model?: string; params?: string; json?: boolean }, cmd: Command) => {
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
          const report = await engine.train({ model: opts.model, params, signal: abort.signal, onProgress: (d, t) => progress.update(d, t) });
          progress.stop();
          output(!!opts.json, report, () =>
            `trained ${report.model} v${report.version} in ${report.seconds.toFixed(2)} s: ${report.users} users, ${report.items} items, ${report.interactions} interactions`);
        });
      } finally {
        progress.stop();
        process.off('SIGINT', onSigint);
      }
    });
}
