import type { Command } from 'commander';
import { createEngine } from '../../engine.js';
import { EngineError } from '../../core/errors.js';
import { createLogger } from '../../core/logger.js';
import { loadConfig, type GlobalOptions } from '../context.js';
import { redactUrl } from './status.js';

interface ServeOptions {
  port?: string;
  host?: string;
  /** `auto`, `0` or a count (parseWorkers in server/workers.ts); undefined: one process, no primary. */
  workers?: string;
}

export function serveCommand(program: Command): void {
  program
    .command('serve')
    .description('Serve the HTTP API over an existing store (see docs/http-api.md)')
    .option('--port <port>', 'port (0 = any free port)')
    .option('--host <host>', 'listen address')
    .option('--workers <n>', 'serve from n processes on one port (auto or 0: one per core); a worker that dies is restarted')
    .action(async (opts: ServeOptions, cmd: Command) => {
      const config = loadConfig(cmd.optsWithGlobals<GlobalOptions>(), {
        server: { ...(opts.port !== undefined ? { port: Number(opts.port) } : {}), ...(opts.host ? { host: opts.host } : {}) },
      });
      let logger = createLogger(config.log.level);
      // Loaded only with --workers: a plain `serve` (and every other command) does not pay for node:cluster.
      const workers = opts.workers === undefined ? undefined : await import('../../server/workers.js');
      if (workers && !workers.isServeWorker()) {
        const count = workers.parseWorkers(opts.workers ?? ''); // a bad count is refused before anything starts
        if (/^memory:|^sqlite:\/\/:memory:$/i.test(config.store.url)) {
          throw new EngineError('INVALID_CONFIG', '--workers needs a store every worker can open: each would get its own empty in-memory store', { path: '/store/url' });
        }
        await workers.runPrimary({ workers: count, logger });
        return;
      }
      const worker = workers?.joinAsWorker(logger);
      if (worker) logger = worker.logger;
      try {
        // A server never creates a store: a mistyped path must fail here, not serve an empty database.
        const engine = await createEngine(config, { logger, createStore: false });
        // Loaded here, not at start-up: every other command (and --version) would pay for the HTTP stack.
        const { startServer } = await import('../../server/app.js');
        const server = await startServer(engine, { host: config.server.host, port: config.server.port, logger, apiKeys: config.server.apiKeys });
        console.log(`Kindred listening on ${server.url} (store ${redactUrl(config.store.url)}${worker ? `, worker pid ${process.pid}` : ''})`);
        await waitForShutdown(async () => {
          await server.close();
          await engine.close();
        });
      } finally {
        worker?.leave(); // a worker exits once its channel to the primary is closed, after serving or failing to start
      }
    });
}

/** Resolves after SIGINT/SIGTERM once `cleanup` has run. */
export function waitForShutdown(cleanup: () => Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void cleanup().finally(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
