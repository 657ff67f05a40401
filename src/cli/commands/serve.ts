import type { Command } from 'commander';
import { createEngine } from '../../engine.js';
import { createLogger } from '../../core/logger.js';
import { loadConfig, type GlobalOptions } from '../context.js';
import { redactUrl } from './status.js';

export function serveCommand(program: Command): void {
  program
    .command('serve')
    .description('Serve the HTTP API over an existing store (see docs/http-api.md)')
    .option('--port <port>', 'port (0 = any free port)')
    .option('--host <host>', 'listen address')
    .action(async (opts: { port?: string; host?: string }, cmd: Command) => {
      const config = loadConfig(cmd.optsWithGlobals<GlobalOptions>(), {
        server: { ...(opts.port !== undefined ? { port: Number(opts.port) } : {}), ...(opts.host ? { host: opts.host } : {}) },
      });
      const logger = createLogger(config.log.level);
      // A server never creates a store: a mistyped path must fail here, not serve an empty database.
      const engine = await createEngine(config, { logger, createStore: false });
      // Loaded here, not at start-up: every other command (and --version) would pay for the HTTP stack.
      const { startServer } = await import('../../server/app.js');
      const server = await startServer(engine, { host: config.server.host, port: config.server.port, logger, apiKeys: config.server.apiKeys });
      console.log(`Kindred listening on ${server.url} (store ${redactUrl(config.store.url)})`);
      await waitForShutdown(async () => {
        await server.close();
        await engine.close();
      });
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
