import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashApiKey } from '../config/api-keys.js';
import { createClient } from './client.js';
import type { OpenApiDocument } from './openapi.js';
import { httpRejection, startTestServer, type TestServer } from './test-server.js';

const READ = 'read-key-71c0';
const WRITE = 'write-key-9e3d';
const ADMIN = 'admin-key-2b8a';
const LEGACY = 'legacy-key-5f10';
const AT = '2026-01-01T00:00:00Z';

describe('API-key scopes', () => {
  let t: TestServer;
  const as = (apiKey: string) => createClient({ baseUrl: t.server.url, apiKey });
  beforeAll(async () => {
    // The admin key is configured only as its hash, the way a deployment keeps keys out of its config.
    t = await startTestServer({ server: { apiKeys: [`read:${READ}`, `write:${WRITE}`, `admin:${hashApiKey(ADMIN)}`, LEGACY] } }, ADMIN);
    await t.client.upsertItems([{ id: 'i1' }, { id: 'i2' }, { id: 'i3' }]);
    await t.client.addEvents(['u1', 'u2', 'u3'].flatMap((userId) => ['i1', 'i2'].map((itemId) => ({ userId, itemId, type: 'view', timestamp: AT }))));
  });
  afterAll(async () => t.close());

  it('lets a read key read, and refuses its writes with 403 FORBIDDEN naming the scope needed', async () => {
    expect((await as(READ).status()).counts.items).toBe(3);
    expect((await as(READ).getItem('i1')).id).toBe('i1');
    const err = await httpRejection(as(READ).addEvents([{ userId: 'u9', itemId: 'i3', type: 'view', timestamp: AT }]));
    expect(err).toMatchObject({ status: 403, code: 'FORBIDDEN', details: { scope: 'write' } });
    expect((await httpRejection(as(READ).upsertItems([{ id: 'x' }]))).status).toBe(403);
    expect((await t.client.status()).counts.events).toBe(6);
  });

  it('lets a write key write, and refuses train, erase and scenario writes (admin)', async () => {
    expect(await as(WRITE).addEvents([{ userId: 'u4', itemId: 'i3', type: 'view', timestamp: AT }])).toMatchObject({ accepted: 1 });
    const writer = as(WRITE);
    for (const call of [() => writer.train({ model: 'itemknn' }), () => writer.eraseUser('u4'), () => writer.putScenario({ name: 'home', count: 3 }), () => writer.deleteScenario('home')]) {
      expect(await httpRejection(call())).toMatchObject({ status: 403, code: 'FORBIDDEN', details: { scope: 'admin' } });
    }
    expect((await t.client.status()).counts.events).toBe(7);
  });

  it('lets an admin key (configured hashed) and an unscoped key do everything', async () => {
    expect((await t.client.train({ model: 'itemknn' })).model).toBe('itemknn');
    expect(await t.client.eraseUser('u4')).toMatchObject({ userId: 'u4', events: 1 });
    expect((await as(LEGACY).putScenario({ name: 'home', count: 3 })).name).toBe('home');
    // u4 was the only user of i3, the one item u1 has not seen: erased exactly from the model, nothing is left to recommend.
    expect(await as(LEGACY).recommend('u1')).toMatchObject({ userId: 'u1', items: [] });
  });

  it('answers 401 to no key, an unknown key and the configured hash presented as a key', async () => {
    for (const apiKey of [undefined, 'nope', hashApiKey(ADMIN), `read:${READ}`]) {
      expect(await httpRejection(createClient({ baseUrl: t.server.url, apiKey }).status())).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    }
  });

  it('documents the scope of every operation and the 401/403 answers', async () => {
    const doc = (await (await fetch(`${t.server.url}/openapi.json`)).json()) as OpenApiDocument;
    expect(doc.components.securitySchemes?.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.paths['/v1/status'].get.security).toEqual([{ bearerAuth: ['read'] }]);
    expect(doc.paths['/v1/events'].post.security).toEqual([{ bearerAuth: ['write'] }]);
    expect(doc.paths['/v1/train'].post.security).toEqual([{ bearerAuth: ['admin'] }]);
    expect(doc.paths['/v1/users/{id}'].delete.security).toEqual([{ bearerAuth: ['admin'] }]);
    expect(Object.keys(doc.paths['/v1/train'].post.responses as object)).toEqual(expect.arrayContaining(['401', '403']));
    expect(Object.keys(doc.paths['/v1/status'].get.responses as object)).not.toContain('403');
    expect(Object.keys(doc.paths['/v1/status'].get.responses as object)).not.toContain('429');
  });
});

describe('rate limit', () => {
  let t: TestServer;
  beforeAll(async () => {
    // 0.01 token per second: nothing refills while the test runs, so the counts below hold on any machine.
    t = await startTestServer({ server: { apiKeys: [READ, WRITE], rateLimit: 0.01, rateBurst: 3 } }, READ);
  });
  afterAll(async () => t.close());

  it('answers 429 RATE_LIMITED with a whole Retry-After after the burst, per key', async () => {
    for (let i = 0; i < 3; i++) await t.client.status();
    const res = await fetch(`${t.server.url}/v1/status`, { headers: { authorization: `Bearer ${READ}` } });
    expect(res.status).toBe(429);
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1).toBe(true);
    expect(await res.json()).toEqual({ error: { code: 'RATE_LIMITED', message: expect.any(String), details: { retryAfter } } });
    // Another key has its own bucket; /healthz is never limited.
    expect((await createClient({ baseUrl: t.server.url, apiKey: WRITE }).status()).counts.items).toBe(0);
    expect(await t.client.health()).toEqual({ status: 'ok' });
  });

  it('limits requests without a known key by client address, before answering 401', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await fetch(`${t.server.url}/v1/status`, { headers: { authorization: 'Bearer guess' } })).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
  });

  it('documents 429 with Retry-After', async () => {
    const doc = (await (await fetch(`${t.server.url}/openapi.json`)).json()) as OpenApiDocument;
    const responses = doc.paths['/v1/status'].get.responses as Record<string, { headers?: Record<string, unknown> }>;
    expect(responses['429'].headers).toHaveProperty('Retry-After');
  });
});

describe('CORS', () => {
  const SHOP = 'https://shop.example';
  let t: TestServer;
  let plain: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ server: { corsOrigins: [SHOP], apiKeys: [READ] } }, READ);
    plain = await startTestServer();
  });
  afterAll(async () => {
    await t.close();
    await plain.close();
  });
  const preflight = (url: string, origin: string) =>
    fetch(`${url}/v1/events`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' } });

  it('answers a preflight from an allowed origin, without a key', async () => {
    const res = await preflight(t.server.url, SHOP);
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-headers')).toContain('authorization');
  });

  it('gives another origin no CORS headers, on preflights and on answers', async () => {
    const res = await preflight(t.server.url, 'https://evil.example');
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('access-control-allow-methods')).toBeNull();
    const get = await fetch(`${t.server.url}/v1/status`, { headers: { origin: 'https://evil.example', authorization: `Bearer ${READ}` } });
    expect(get.status).toBe(200);
    expect(get.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('adds the allowed origin to answers, errors included', async () => {
    const ok = await fetch(`${t.server.url}/v1/status`, { headers: { origin: SHOP, authorization: `Bearer ${READ}` } });
    expect(ok.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(ok.headers.get('vary')).toContain('Origin');
    const denied = await fetch(`${t.server.url}/v1/status`, { headers: { origin: SHOP } });
    expect(denied.status).toBe(401);
    expect(denied.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(denied.headers.get('access-control-expose-headers')).toContain('retry-after');
  });

  it('sends no CORS headers and knows no OPTIONS route without server.corsOrigins', async () => {
    const res = await preflight(plain.server.url, SHOP);
    expect(res.status).toBe(404);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

// node:crypto cannot write X.509 certificates; openssl makes the self-signed one. CI has openssl: missing there fails.
const openssl = hasOpenssl();
if (!openssl && process.env.CI) throw new Error('openssl is needed for the HTTPS test');
if (!openssl) console.warn('server-security.test.ts: openssl not found, HTTPS test skipped');

describe.skipIf(!openssl)('HTTPS', () => {
  let dir: string;
  let t: TestServer;
  let cert: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kindred-tls-'));
    const [certPath, keyPath] = [join(dir, 'cert.pem'), join(dir, 'key.pem')];
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyPath, '-out', certPath], { stdio: 'ignore' });
    cert = execFileSync('cat', [certPath], { encoding: 'utf8' });
    t = await startTestServer({ server: { tlsCert: certPath, tlsKey: keyPath } });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the API over HTTPS with the configured certificate', async () => {
    expect(t.server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${t.server.url}/v1/status`, { ca: cert }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject).end();
    });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ counts: { items: 0 } });
  });

  it('refuses a certificate path that cannot be read, naming the key and not the file content', async () => {
    await expect(startTestServer({ server: { tlsCert: join(dir, 'missing.pem'), tlsKey: join(dir, 'key.pem') } })).rejects.toMatchObject({ code: 'INVALID_CONFIG', details: { path: 'server.tlsCert' } });
  });
});
