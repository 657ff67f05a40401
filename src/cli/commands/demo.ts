import type { Command } from 'commander';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { systemClock } from '../../core/clock.js';
import { EngineError } from '../../core/errors.js';
import { createLogger } from '../../core/logger.js';
import { generateDemoData } from '../../demo/generate.js';
import { downloadMovieLens } from '../../demo/movielens-download.js';
import { createEngine } from '../../engine.js';
import type { Engine } from '../../engine-types.js';
import { importDataset } from '../../ingest/importer.js';
import { openStore } from '../../storage/registry.js';
import type { Store } from '../../storage/store.js';
import { loadConfig, type GlobalOptions } from '../context.js';
import { describeImport } from './import.js';
import { waitForShutdown } from './serve.js';
import { userIdMapper } from '../../privacy/pseudonymous-ids.js';

interface DemoFlags {
  movielens?: string;
  download?: boolean;
  port?: string;
  serve: boolean;
}

const DEMO_DIR = '.kindred';

/** The MovieLens variant in a folder, from the files it holds. */
function movieLensFormat(dir: string): string {
  if (existsSync(join(dir, 'u.data'))) return 'movielens-100k';
  if (existsSync(join(dir, 'ratings.csv'))) return 'movielens-latest';
  if (existsSync(join(dir, 'ratings.dat'))) return 'movielens-1m';
  throw new EngineError('INVALID_INPUT', `${dir} holds no MovieLens ratings (u.data, ratings.csv or ratings.dat)`);
}

async function loadSynthetic(engine: Engine): Promise<void> {
  const data = generateDemoData({ seed: 42, clock: systemClock });
  console.log(`Loading SYNTHETIC demo data (generated, not real people): ${data.items.length} items, ${data.users.length} users, ${data.events.length} events`);
  await engine.upsertItems(data.items);
  await engine.upsertUsers(data.users);
  for (let i = 0; i < data.events.length; i += 10_000) await engine.addEvents(data.events.slice(i, i + 10_000));
}

async function sampleIds(store: Store): Promise<{ user: string; item: string }> {
  for await (const batch of store.scanEvents({ batchSize: 1 })) {
    const e = batch[0];
    if (e) return { user: e.userId, item: e.itemId };
  }
  throw new EngineError('NOT_FOUND', 'the demo store has no events');
}

function curlLines(url: string, ids: { user: string; item: string }): string {
  const u = encodeURIComponent(ids.user);
  const it = encodeURIComponent(ids.item);
  const now = new Date().toISOString();
  return [
    `curl -s ${url}/healthz`,
    `curl -s '${url}/v1/users/${u}/recommendations?count=5'`,
    `curl -s '${url}/v1/items/${it}/similar?count=5'`,
    `curl -s -X POST ${url}/v1/events -H 'content-type: application/json' -d '{"events":[{"userId":"newcomer","itemId":"${ids.item}","type":"like","timestamp":"${now}"}]}'`,
    `curl -s '${url}/v1/users/newcomer/recommendations?count=5'`,
    `curl -s ${url}/openapi.json | head -c 300`,
  ].join('\n  ');
}

export function demoCommand(program: Command): void {
  program
    .command('demo')
    .description('Build a fresh demo store (synthetic data by default), train, and serve the HTTP API')
    .option('--movielens <dir>', 'use a local MovieLens folder (100K, latest-small or 1M) instead of synthetic data')
    .option('--download', 'download MovieLens 100K from GroupLens first (needs a network)')
    .option('--port <port>', 'HTTP port (default 8080, or any free port when it is taken)')
    .option('--no-serve', 'stop after training (no HTTP server)')
    .action(async (opts: DemoFlags, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      const dbPath = resolve(DEMO_DIR, 'demo.db');
      if (!globals.db) {
        mkdirSync(DEMO_DIR, { recursive: true });
        for (const suffix of ['', '-wal', '-shm']) rmSync(dbPath + suffix, { force: true });
      }
      const config = loadConfig({ logLevel: 'warn', ...globals, db: globals.db ?? `sqlite://${dbPath}` });
      const logger = createLogger(config.log.level);
      // The demo imports in bulk and reads an event straight from the store: it opens the store and closes it after the engine.
      const store = await openStore(config.store.url, { logger, durability: config.store.durability, lockTimeoutMs: config.store.lockTimeoutMs });
      const engine = await createEngine(config, { logger, store });
      const closeAll = async () => {
        await engine.close();
        await store.close();
      };
      let dir = opts.movielens;
      if (opts.download) dir = await downloadMovieLens('ml-100k', resolve(DEMO_DIR, 'datasets'));
      if (dir) {
        console.log(`Importing MovieLens from ${dir}`);
        console.log(describeImport(await importDataset(store, { path: dir, format: movieLensFormat(dir), onError: 'skip', userIds: userIdMapper(engine.config.privacy.pseudonymousIds, process.env.KINDRED_ID_KEY) })));
      } else {
        await loadSynthetic(engine);
      }
      const report = await engine.train();
      console.log(`Trained ${report.model} v${report.version} in ${report.seconds.toFixed(2)} s (${report.users} users, ${report.items} items)`);
      const ids = await sampleIds(store);
      if (!opts.serve) {
        await closeAll();
        return;
      }
      const { startServer } = await import('../../server/app.js'); // the HTTP stack loads only when a command serves
      const { dashboardNote } = await import('../../server/dashboard.js');
      const port = opts.port !== undefined ? Number(opts.port) : config.server.port;
      const listen = (p: number) => startServer(engine, { host: config.server.host, port: p, logger, apiKeys: config.server.apiKeys });
      const server = await listen(port).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'EADDRINUSE' || opts.port !== undefined) throw err;
        return listen(0);
      });
      console.log(`\nKindred demo serving on ${server.url}  (Ctrl-C to stop)`);
      const dashboard = dashboardNote(config.server.dashboard, server.url);
      if (dashboard) console.log(dashboard);
      console.log(`Try:\n  ${curlLines(server.url, ids)}\n`);
      await waitForShutdown(async () => {
        await server.close();
        await closeAll();
      });
    });
}
