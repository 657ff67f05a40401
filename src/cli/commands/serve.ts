import { Option, type Command } from 'commander';
import type { KindredConfig, ServerRole } from '../../config/config.js';
import { CONFIG_FIELDS } from '../../config/schema.js';
import { systemClock } from '../../core/clock.js';
import { EngineError } from '../../core/errors.js';
import { createLogger, type Logger } from '../../core/logger.js';
import { createEngine } from '../../engine.js';
import type { Engine } from '../../engine-types.js';
import { TrainerRole } from '../../jobs/trainer-role.js';
import { openStore } from '../../storage/registry.js';
import { sharedStoreUrl } from '../../storage/shared-store-url.js';
import { loadConfig, type GlobalOptions } from '../context.js';
import { redactUrl } from './status.js';

interface ServeOptions {
  port?: string;
  host?: string;
  role?: ServerRole;
  /** `auto`, `0` or a count (parseWorkers in server/workers.ts); undefined: one process, no primary. */
  workers?: string;
}

export function serveCommand(program: Command): void {
  program
    .command('serve')
    .description('Serve the HTTP API over an existing store, run the trainer, or both (see docs/http-api.md, docs/deploy.md)')
    .option('--port <port>', 'port (0 = any free port)')
    .option('--host <host>', 'listen address')
    .addOption(new Option('--role <role>', 'api (HTTP only), trainer (no HTTP) or all (env KINDRED_ROLE, default all)').choices(CONFIG_FIELDS.find((f) => f.key === 'server.role')?.oneOf ?? []))
    .option('--workers <n>', 'serve from n processes on one port (auto or 0: one per core); a worker that dies is restarted')
    .action(async (opts: ServeOptions, cmd: Command) => {
      const config = loadConfig(cmd.optsWithGlobals<GlobalOptions>(), {
        server: { ...(opts.port !== undefined ? { port: Number(opts.port) } : {}), ...(opts.host ? { host: opts.host } : {}), ...(opts.role ? { role: opts.role } : {}) },
      });
      const role = config.server.role;
      if (role !== 'all' && !sharedStoreUrl(config.store.url)) {
        throw new EngineError('INVALID_CONFIG', `role ${role} works with other processes on one store: use a sqlite://<file> or postgres:// store (memory:// and sqlite://:memory: live in one process)`, { path: 'server.role' });
      }
      let logger = createLogger(config.log.level);
      // Loaded only with --workers: a plain `serve` (and every other command) does not pay for node:cluster.
      const workers = opts.workers === undefined ? undefined : await import('../../server/workers.js');
      if (workers && !workers.isServeWorker()) {
        const count = workers.parseWorkers(opts.workers ?? ''); // a bad count is refused before anything starts
        if (!sharedStoreUrl(config.store.url)) {
          throw new EngineError('INVALID_CONFIG', '--workers needs a store every worker can open: each would get its own empty in-memory store', { path: '/store/url' });
        }
        if (role === 'trainer') throw new EngineError('INVALID_CONFIG', '--workers serves HTTP from several processes; a trainer runs alone (drop --workers)', { path: 'server.role' });
        await workers.runPrimary({ workers: count, logger });
        return;
      }
      const worker = workers?.joinAsWorker(logger);
      if (worker) logger = worker.logger;
      try {
        await runRole(config, role, logger, worker ? `, worker pid ${process.pid}` : '');
      } finally {
        worker?.leave(); // a worker exits once its channel to the primary is closed, after serving or failing to start
      }
    });
}

/**
 * Runs one process's role (HTTP API, trainer loop or both) until SIGINT/SIGTERM. One store connection serves the
 * engine and the trainer loop (its queue, notices and leases).
 */
async function runRole(config: KindredConfig, role: ServerRole, logger: Logger, workerNote: string): Promise<void> {
  // A server never creates a store: a mistyped path must fail here, not serve an empty database.
  const store = await openStore(config.store.url, { logger, clock: systemClock, create: false, durability: config.store.durability, lockTimeoutMs: config.store.lockTimeoutMs });
  let engine: Engine;
  try {
    engine = await createEngine(config, { logger, store });
  } catch (err) {
    await store.close();
    throw err;
  }
  // No other process can queue for a store only this one can open (memory://): the trainer then has no queue.
  const trainer = role === 'api' ? undefined : new TrainerRole({ engine, queue: sharedStoreUrl(config.store.url) ? store : undefined, config, logger, clock: systemClock });
  await trainer?.start();
  let closeServer = async () => {};
  if (role === 'trainer') {
    console.log(`Kindred trainer running (store ${redactUrl(config.store.url)})`);
  } else {
    // Loaded here, not at start-up: every other command (and --version) would pay for the HTTP stack.
    const { startServer } = await import('../../server/app.js');
    const { dashboardNote } = await import('../../server/dashboard.js');
    const server = await startServer(engine, { host: config.server.host, port: config.server.port, logger, apiKeys: config.server.apiKeys });
    closeServer = () => server.close();
    console.log(`Kindred ${role === 'api' ? 'API server ' : ''}listening on ${server.url} (store ${redactUrl(config.store.url)}${workerNote})`);
    const dashboard = dashboardNote(config.server.dashboard, server.url);
    if (dashboard) console.log(dashboard);
  }
  await waitForShutdown(async () => {
    await closeServer();
    await trainer?.close();
    await engine.close();
    await store.close();
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
