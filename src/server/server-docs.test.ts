import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './test-server.js';

describe('Swagger UI at /docs', () => {
  let t: TestServer;
  beforeAll(async () => {
    // With API keys configured: the documentation stays open, like /openapi.json.
    t = await startTestServer({ server: { apiKeys: ['docs-key'] } }, 'docs-key');
  });
  afterAll(async () => t.close());

  it('serves the page and every script and stylesheet it loads from this server (no CDN)', async () => {
    const page = await fetch(`${t.server.url}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(assets.filter((a) => /\.(js|css)$/.test(a)).length).toBeGreaterThanOrEqual(4);
    for (const asset of assets) {
      expect(asset, 'assets are served locally').toMatch(/^\/docs\//);
      const res = await fetch(`${t.server.url}${asset}`);
      expect(res.status, asset).toBe(200);
      expect((await res.arrayBuffer()).byteLength, asset).toBeGreaterThan(0);
    }
  });

  it("points the UI at a spec URL that answers our OpenAPI document", async () => {
    const init = await (await fetch(`${t.server.url}/docs/static/swagger-initializer.js`)).text();
    const specPath = /resolveUrl\('\.\/(\w+)'\)/.exec(init)?.[1];
    expect(specPath).toBe('json');
    const spec = await fetch(`${t.server.url}/docs/${specPath}`);
    expect(spec.status).toBe(200);
    const ours = await (await fetch(`${t.server.url}/openapi.json`)).json();
    expect(await spec.json()).toEqual(ours);
    expect(Object.keys((ours as { paths: object }).paths)).not.toContain('/docs/json');
  });
});
