import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig, type ConfigInput } from '../config/config.js';
import { silentLogger } from '../core/logger.js';
import { engineOnStore } from '../testkit/engine-on-store.js';
import { startServer, type RunningServer } from './app.js';
import { dashboardNote } from './dashboard.js';
import type { OpenApiDocument } from './openapi.js';

const KEY = 'dash-key-7c1e';
const ASSET = 'console.log("kindred dashboard")';
const INDEX = '<!doctype html><title>Kindred dashboard</title><script type="module" src="/assets/app-1.js"></script>';

/** A stand-in for the vite build: index.html and one hashed asset. */
function fakeBuild(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kindred-web-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), INDEX);
  writeFileSync(join(dir, 'assets', 'app-1.js'), ASSET);
  writeFileSync(join(dir, 'assets', 'app-1.js.br'), brotliCompressSync(ASSET));
  return dir;
}

async function serve(config: ConfigInput, dashboardDir: string): Promise<{ server: RunningServer; close: () => Promise<void> }> {
  const { engine } = await engineOnStore(resolveConfig({ ...config, store: { url: 'sqlite://:memory:' }, log: { level: 'silent' } }));
  const server = await startServer(engine, { host: '127.0.0.1', port: 0, logger: silentLogger, dashboardDir });
  return { server, close: async () => (await server.close(), await engine.close()) };
}

describe('dashboard serving (server.dashboard)', () => {
  let t: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    t = await serve({ server: { apiKeys: [KEY] } }, fakeBuild());
  });
  afterAll(async () => t.close());

  it('serves index.html and the assets at / without a key, while the API still needs one', async () => {
    const index = await fetch(`${t.server.url}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(index.headers.get('content-security-policy')).toMatch(/^default-src 'self';/);
    expect(await index.text()).toBe(INDEX);
    const asset = await fetch(`${t.server.url}/assets/app-1.js`, { headers: { 'accept-encoding': 'br, gzip' } });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    // The build's precompressed copy, for a browser that accepts brotli (fetch decodes it).
    expect(asset.headers.get('content-encoding')).toBe('br');
    expect(await asset.text()).toBe(ASSET);
    expect((await fetch(`${t.server.url}/assets/app-1.js`, { headers: { 'accept-encoding': 'identity' } })).headers.get('content-encoding')).toBeNull();
    expect((await fetch(`${t.server.url}/v1/status`)).status).toBe(401);
    expect((await fetch(`${t.server.url}/v1/status`, { headers: { authorization: `Bearer ${KEY}` } })).status).toBe(200);
  });

  it("answers index.html at the dashboard's page paths; other unknown paths keep the API's answers", async () => {
    for (const path of ['/users/42', '/items/50', '/overview', '/evaluation/ml100k']) {
      const page = await fetch(`${t.server.url}${path}`);
      expect(page.status, path).toBe(200);
      expect(await page.text(), path).toBe(INDEX);
    }
    const withKey = { headers: { authorization: `Bearer ${KEY}` } };
    for (const path of ['/v1/nope', '/somewhere', '/users/42/more']) {
      expect((await fetch(`${t.server.url}${path}`)).status, path).toBe(401);
      const res = await fetch(`${t.server.url}${path}`, withKey);
      expect(res.status, path).toBe(404);
      expect(await res.json(), path).toMatchObject({ error: { code: 'NOT_FOUND' } });
    }
    // A path parameter too long for the router is still the API's 400, not a page.
    const tooLong = await fetch(`${t.server.url}/v1/items/${'z'.repeat(10_000)}/similar`, withKey);
    expect(tooLong.status).toBe(400);
  });

  it('keeps the dashboard out of the OpenAPI document', async () => {
    const doc = (await (await fetch(`${t.server.url}/openapi.json`)).json()) as OpenApiDocument;
    expect(Object.keys(doc.paths).filter((p) => !p.startsWith('/v1/') && p !== '/healthz' && p !== '/openapi.json')).toEqual([]);
  });
});

describe('dashboard not built or turned off', () => {
  it('answers / with a note on how to build it when dist/web is missing', async () => {
    const t = await serve({}, join(tmpdir(), 'kindred-no-such-build'));
    try {
      const res = await fetch(`${t.server.url}/`);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await res.text()).toMatch(/dashboard is not built.*npm run build/s);
      expect((await fetch(`${t.server.url}/v1/status`)).status).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('serves no dashboard with server.dashboard=false', async () => {
    const t = await serve({ server: { dashboard: false } }, fakeBuild());
    try {
      const res = await fetch(`${t.server.url}/`);
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
      expect((await fetch(`${t.server.url}/assets/app-1.js`)).status).toBe(404);
    } finally {
      await t.close();
    }
  });
});

describe('dashboardNote (what serve and demo print)', () => {
  it('gives the address, says when it is not built, and nothing when turned off', () => {
    expect(dashboardNote(true, 'http://127.0.0.1:8080', fakeBuild())).toBe('Dashboard: http://127.0.0.1:8080/');
    expect(dashboardNote(true, 'http://127.0.0.1:8080', join(tmpdir(), 'kindred-no-such-build'))).toMatch(/^Dashboard: not built \(run npm run build\)/);
    expect(dashboardNote(false, 'http://127.0.0.1:8080', fakeBuild())).toBeUndefined();
  });
});
