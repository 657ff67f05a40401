import { resolveConfig, type ConfigInput } from '../../src/config/config.js';
import { silentLogger } from '../../src/core/logger.js';
import type { Engine } from '../../src/engine-types.js';
import { importDataset } from '../../src/ingest/importer.js';
import { startServer, type RunningServer } from '../../src/server/app.js';
import { engineOnStore } from '../../src/testkit/engine-on-store.js';

export interface DashboardServer {
  engine: Engine;
  server: RunningServer;
  close(): Promise<void>;
}

export interface DashboardServerOptions {
  /** The MovieLens 100K folder (u.data, u.item). */
  movieLens: string;
  /** The built dashboard (vite build output). */
  dashboardDir: string;
  /** Extra config: API keys, eval.reportsDir... */
  config?: ConfigInput;
}

/**
 * For the dashboard's browser tests and bench: ml-100k imported into an in-memory SQLite store, the default model
 * trained, served on a free port with the given dashboard build. Takes a few seconds.
 *
 * @example const d = await startDashboardServer({ movieLens: ml, dashboardDir }); await page.goto(d.server.url)
 */
export async function startDashboardServer(opts: DashboardServerOptions): Promise<DashboardServer> {
  const config = resolveConfig({ ...opts.config, store: { url: 'sqlite://:memory:' }, log: { level: 'silent' } });
  const { engine, store } = await engineOnStore(config, { logger: silentLogger });
  await importDataset(store, { path: opts.movieLens, format: 'movielens-100k', onError: 'abort' });
  await engine.train();
  const server = await startServer(engine, { host: '127.0.0.1', port: 0, logger: silentLogger, dashboardDir: opts.dashboardDir });
  return {
    engine,
    server,
    close: async () => {
      await server.close();
      await engine.close();
    },
  };
}
