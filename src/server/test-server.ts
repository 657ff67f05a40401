import { resolveConfig, type ConfigInput } from '../config/config.js';
import { createLogger, silentLogger } from '../core/logger.js';
import type { Engine } from '../engine-types.js';
import type { Store } from '../storage/store.js';
import { engineOnStore } from '../testkit/engine-on-store.js';
import { startServer, type RunningServer } from './app.js';
import { shopCatalogue } from '../testkit/shop-catalogue.js';
import { createClient, KindredHttpError, type KindredClient } from './client.js';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../testkit/fake-openai-server.js';

export interface TestServer {
  engine: Engine;
  /** The engine's store, for checking what a request stored. */
  store: Store;
  server: RunningServer;
  client: KindredClient;
  /** Every line the server logged (JSON). */
  logLines: string[];
  close(): Promise<void>;
}

/**
 * For tests: a real engine on an in-memory SQLite store, served on a free port, with a client and captured logs.
 *
 * @example const t = await startTestServer({ server: { apiKeys: ['k'] } }); await t.client.health(); await t.close()
 */
export async function startTestServer(input: ConfigInput = {}, clientKey?: string): Promise<TestServer> {
  const config = resolveConfig({ ...input, store: { url: 'sqlite://:memory:' }, log: { level: 'silent' } });
  const { engine, store } = await engineOnStore(config, { logger: silentLogger });
  const logLines: string[] = [];
  const server = await startServer(engine, { host: '127.0.0.1', port: 0, logger: createLogger('debug', (line) => logLines.push(line)) });
  const client = createClient({ baseUrl: server.url, apiKey: clientKey });
  return {
    engine,
    store,
    server,
    client,
    logLines,
    close: async () => {
      await server.close();
      await engine.close();
    },
  };
}

/**
 * For tests: the KindredHttpError a client call fails with (anything else, or success, fails the test).
 *
 * @example expect((await httpRejection(t.client.getItem('nope'))).status).toBe(404)
 */
export async function httpRejection(p: Promise<unknown>): Promise<KindredHttpError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  if (!(err instanceof KindredHttpError)) throw new Error(`expected a KindredHttpError, got ${String(err)}`);
  return err;
}

/**
 * For tests: a test server holding the small shop of testkit/shop-catalogue.ts (30 items), trained with item-kNN.
 *
 * @example const t = await startShopServer(); await t.client.recommend('u0', { filter: 'in_stock = true' })
 */
export async function startShopServer(): Promise<TestServer> {
  const t = await startTestServer();
  const { items, events } = shopCatalogue({ items: 30, likes: 8, step: 3 });
  await t.client.upsertItems(items);
  await t.client.addEvents(events);
  await t.client.train({ model: 'itemknn' });
  return t;
}

/**
 * For tests: a test server whose embedder and LLM are a fake OpenAI-compatible server (16 dimensions), with the LLM
 * re-rank and the LLM sentiment turned on and training on the main thread. Close both.
 *
 * @example const { t, fake } = await startServerWithFakeLlm(); ...; await t.close(); await fake.close();
 */
export async function startServerWithFakeLlm(): Promise<{ t: TestServer; fake: FakeOpenAiServer }> {
  const fake = await startFakeOpenAiServer({ dimensions: 16 });
  const base = encodeURIComponent(fake.baseUrl);
  const t = await startTestServer({
    embeddings: { provider: `openai://fake-embedder?dimensions=16&baseUrl=${base}` },
    llm: { provider: `openai://fake-chat?baseUrl=${base}`, rerank: true, deadlineMs: 2000 },
    care: { llmSentiment: true },
    train: { thread: 'main' },
  });
  return { t, fake };
}
