/**
 * Bad input as a property (issue 11): for every HTTP route, arbitrary bodies, path parameters and query strings never
 * get a 5xx, every rejection has the documented error shape with a catalogue code and does not repeat what was sent
 * (except an id in `details.id`, docs/http-api.md "Errors"), and a rejected request leaves the store as it was.
 * Replay a failure with the KINDRED_PROPERTY_SEED its message names.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/config.js';
import { ERROR_CODES, type ErrorCode } from '../core/errors.js';
import { silentLogger } from '../core/logger.js';
import { engineOnStore } from '../testkit/engine-on-store.js';
import type { Store } from '../storage/store.js';
import { createNgramEncoder } from '../providers/builtin/ngram-encoder.js';
import type { Engine } from '../engine-types.js';
import {
  applyEdits, bodyEdit, hostileJson, isJsonObject, isRaw, hostilePathSegment, hostileQueryPair, MARKER, oddBody, toJsonText, writeJson, type JsonText, type RawBody,
} from '../testkit/http-arbitraries.js';
import { shopCatalogue } from '../testkit/shop-catalogue.js';
import { storeDigest } from '../testkit/store-digest.js';
import { buildApp } from './app.js';
import type { OpenApiDocument } from './openapi.js';

/** A valid request for a route: path parameters, query string and body, so generated requests can break one part. */
interface Template {
  params?: Record<string, string>;
  query?: string;
  body?: unknown;
  /** Other valid bodies of the route (another form it accepts), edited like `body`. */
  otherBodies?: unknown[];
}

const AT = '2024-02-01T00:00:00Z';
const API_KEY = 'property-test-key';
/** One valid request per operation of the OpenAPI document (a route missing here fails the test). Ids from the shop fixture. */
const TEMPLATES: Record<string, Template> = {
  health: {},
  status: {},
  openapi: {},
  upsertItems: { body: { items: [{ id: 'new-item', title: 'Lamp', text: 'A lamp', categories: ['low'], tags: ['home'], attributes: { price: 3, in_stock: true, sizes: ['s'] }, createdAt: AT, hidden: false }, { id: 'i2', expiresAt: '2099-01-01T00:00:00Z' }] } },
  listItems: { query: 'limit=5' },
  getItem: { params: { id: 'i3' } },
  deleteItem: { params: { id: 'spare-item' } },
  upsertUsers: { body: { users: [{ id: 'new-user', attributes: { age: 30 }, consent: { personalisation: true } }, { id: 'u3', consent: { personalisation: false } }] } },
  listUsers: { query: 'limit=5' },
  getUser: { params: { id: 'u3' } },
  eraseUser: { params: { id: 'spare-user' } },
  exportUser: { params: { id: 'u3' } },
  addEvents: { body: { events: [{ id: 'e-new', userId: 'u4', itemId: 'i5', type: 'like', value: 1, timestamp: AT, text: 'nice lamp' }, { userId: 'new-user', itemId: 'i6', type: 'rating', value: 4, timestamp: AT }, { userId: 'u4', itemId: 'i6', type: 'not_interested', timestamp: AT }] } },
  recordImpressions: { body: { userId: 'u5', itemIds: ['i1', 'i2'], timestamp: AT }, otherBodies: [[{ userId: 'u5', itemIds: ['i3'] }, { userId: 'u6', itemIds: ['i4', 'i5'], timestamp: AT }]] },
  recommend: { params: { id: 'u0' }, query: 'count=5&filter=price%20%3C%2020&diversity=0.5&moves=true&exclude=i1,i2' },
  why: { params: { id: 'u0', item: 'i3' }, query: 'count=5&scenario=home' },
  search: { query: 'query=cheap%20lamp&count=3' },
  similar: { params: { id: 'i3' }, query: 'count=5&filter=in_stock%20%3D%20true' },
  train: { body: { model: 'itemknn', params: { neighbors: 10 } }, otherBodies: [{ model: 'popular' }, { tune: true, model: 'itemknn', budgetSeconds: 0.01 }] },
  listModels: {},
  modelSnapshot: {},
  rollbackModel: { body: { version: 1 }, otherBodies: [{ version: 'latest' }] },
  getProfile: { params: { id: 'u0' } },
  updateProfile: { params: { id: 'u0' }, body: { reset: true, interests: [{ id: '0', mute: false, boost: 1.5 }] } },
  giveFeedback: { params: { id: 'u1' }, body: { kind: 'show-less', itemId: 'i7', at: AT } },
  listFeedback: { params: { id: 'u1' } },
  deleteFeedback: { params: { id: 'u1', itemId: 'i20' } },
  getCarePreferences: { params: { id: 'u2' } },
  putCarePreferences: { params: { id: 'u2' }, body: { diversity: 0.3, gentle: true }, otherBodies: [{ calibration: 0.2, novelty: 0.5, qualityFloor: 0.1, fatigueAfter: 2, fatigueDecay: 0.5, impressionCap: 4, cooldownHours: 24, repeatAfterDays: 7, dailyBudget: 20 }] },
  updateCarePreferences: { params: { id: 'u2' }, body: { diversity: null, novelty: 0.2 } },
  putScenario: { params: { name: 'home' }, body: { filter: 'in_stock = true', count: 4, recall: { popular: { quota: 1 }, cf: { pad: 5 }, 'item-to-item': { deadlineMs: 50 } }, care: { diversity: 0.2, impressionCap: 3 }, description: 'Front page' } },
  getScenario: { params: { name: 'home' } },
  deleteScenario: { params: { name: 'spare' } },
  listScenarios: {},
  eventStats: { query: 'bucket=week' },
  itemExposure: { params: { id: 'i3' }, query: 'bucket=day' },
  userEvents: { params: { id: 'u0' }, query: 'limit=3&types=like,view' },
  servingStats: {},
  listEvalReports: {},
  getEvalReport: { params: { name: 'saved-run' } },
  getEvalReportHtml: { params: { name: 'saved-run' } },
};

/** Runs per route: writes get more (they must also leave the store alone), the documentation routes fewer. */
const RUNS = { read: 120, write: 200, docs: 30 } as const;
/** KINDRED_PROPERTY_RUNS=10 runs each route ten times as often (a longer hunt than the default test). */
const SCALE = Number(process.env.KINDRED_PROPERTY_RUNS ?? 1);
/**
 * One seed for the file; route n runs with seed + n. Every route shares the store, so a failure replays only when the
 * routes before it ran the same requests: KINDRED_PROPERTY_SEED=<the seed a failure names> does that.
 */
const SEED = process.env.KINDRED_PROPERTY_SEED === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(process.env.KINDRED_PROPERTY_SEED);

interface Route {
  method: string;
  /** OpenAPI form, /v1/users/{id}. */
  path: string;
  operationId?: string;
  queryNames: string[];
  /** Every method some route serves on this path. */
  methodsOfPath: string[];
}

interface Sent {
  method: string;
  authorization?: string;
  url: string;
  body: RawBody;
  /** Path parameters as the server decodes them, and the ids of the body: one of them may come back in details.id. */
  ids: string[];
  users: string[];
  /** The body as JSON, when it was JSON. */
  tree?: JsonText;
}

const ID_FIELDS = new Set(['id', 'userId', 'itemId', 'itemIds']);

/** The strings a body sends as ids (under id, userId, itemId, itemIds): the only body values an error may name. */
function bodyIds(v: JsonText, underIdField = false, out: string[] = []): string[] {
  if (typeof v === 'string' && underIdField) out.push(v);
  else if (Array.isArray(v)) v.forEach((x) => bodyIds(x, underIdField, out));
  else if (isJsonObject(v)) v.entries.forEach(([k, x]) => bodyIds(x, ID_FIELDS.has(k), out));
  return out;
}

/** Names Object.prototype answers to: a lookup by a client's key must not find them. */
const PROTOTYPE_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));
/** The body's free-form maps, whose keys are the client's own names. */
const FREE_FORM = new Set(['attributes', 'consent']);

/** The first key of a body named like an Object.prototype member outside a free-form map, if any. */
function prototypeKey(v: JsonText): string | undefined {
  if (Array.isArray(v)) return v.map(prototypeKey).find((k) => k !== undefined);
  if (!isJsonObject(v)) return undefined;
  for (const [i, [k, x]] of v.entries.entries()) {
    if (v.entries.some(([later], j) => j > i && later === k)) continue; // JSON.parse keeps the last of repeated keys
    if (PROTOTYPE_NAMES.has(k)) return k;
    const inner = FREE_FORM.has(k) ? undefined : prototypeKey(x);
    if (inner !== undefined) return inner;
  }
  return undefined;
}

function keysOf(v: unknown, out = new Set<string>()): string[] {
  if (Array.isArray(v)) v.forEach((x) => keysOf(x, out));
  else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) { out.add(k); keysOf(x, out); }
  return [...out];
}

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** What may be sent to one route: each path parameter, the query and the body broken (or kept), in any combination. */
function requestOf(route: Route): fc.Arbitrary<Sent> {
  const template = (route.operationId && TEMPLATES[route.operationId]) || {};
  const paramNames = [...route.path.matchAll(/\{(\w+)\}|\*/g)].map((m) => m[1] ?? '*');
  const known = keysOf([template.body, template.otherBodies]);
  const hasBody = ['POST', 'PUT', 'PATCH'].includes(route.method);
  const templateBody = fc.constantFrom(...[template.body ?? {}, ...(template.otherBodies ?? [])].map(toJsonText));
  const asJson = (v: JsonText): RawBody => ({ contentType: 'application/json', payload: writeJson(v) });
  const body: fc.Arbitrary<{ raw: RawBody; tree?: JsonText }> = hasBody
    ? fc.oneof(
      { weight: 6, arbitrary: fc.tuple(templateBody, fc.array(bodyEdit(known), { minLength: 1, maxLength: 3 })).map(([base, edits]) => { const tree = applyEdits(base, edits); return { raw: asJson(tree), tree }; }) },
      { weight: 2, arbitrary: hostileJson(known).map((tree) => ({ raw: asJson(tree), tree })) },
      { weight: 2, arbitrary: oddBody.map((raw) => ({ raw })) },
      { weight: 1, arbitrary: templateBody.map((tree) => ({ raw: asJson(tree), tree })) },
    )
    : fc.oneof({ weight: 8, arbitrary: fc.constant({ raw: {} }) }, { weight: 1, arbitrary: oddBody.map((raw) => ({ raw })) });
  // Most requests keep the template's path parameters, so the body and query reach the handler.
  const params = fc.tuple(...paramNames.map(() => fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: hostilePathSegment })));
  const extraQuery = fc.oneof({ weight: 2, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.array(hostileQueryPair(route.queryNames), { minLength: 1, maxLength: 3 }) });
  const query = fc.record({ keep: fc.boolean(), extra: extraQuery });
  // Now and then a method no route of this path has (never another route's: a stray DELETE would erase the fixture).
  const method = fc.oneof(
    { weight: 12, arbitrary: route.method === 'GET' ? fc.constantFrom('GET', 'GET', 'GET', 'HEAD') : fc.constant(route.method) },
    { weight: 1, arbitrary: fc.constantFrom(...['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'].filter((m) => !route.methodsOfPath.includes(m))) },
  );
  const authorization = fc.oneof(
    { weight: 12, arbitrary: fc.constant(`Bearer ${API_KEY}`) },
    { weight: 1, arbitrary: fc.constantFrom(undefined, `Bearer ${MARKER}`, `Basic ${MARKER}`, `Bearer ${API_KEY} ${MARKER}`, 'Bearer', `bearer ${API_KEY}`, `Bearer ${MARKER}${'k'.repeat(8_000)}`) },
  );
  return fc.record({ method, authorization, body, params, query }).map(({ method: m, authorization: auth, body: b, params: p, query: q }) => {
    const segments = paramNames.map((name, i) => p[i] ?? encodeURIComponent(template.params?.[name] ?? 'x'));
    let n = 0;
    const path = route.path.replace(/\{(\w+)\}|\*/g, () => segments[n++]);
    const queryParts = [q.keep ? template.query : undefined, ...q.extra].filter((s): s is string => s !== undefined && s !== '');
    const url = queryParts.length > 0 ? `${path}?${queryParts.join('&')}` : path;
    const pathIds = segments.map(decoded);
    const sent = { method: m, url, authorization: auth, body: b.raw, tree: b.tree, ids: [...pathIds, ...(b.tree === undefined ? [] : bodyIds(b.tree))], users: route.path.startsWith('/v1/users/{id}') ? [pathIds[0]] : [] };
    // Counterexamples print shortened: a body may be megabytes of nesting.
    return Object.assign(sent, { [fc.toStringMethod]: () => JSON.stringify({ method: m, url: url.slice(0, 500), contentType: b.raw.contentType, payload: b.raw.payload?.slice(0, 1_000) }) });
  });
}

/** Whether the parent of a JSON pointer exists in the body sent: an error's `details.path` names a place in the request. */
function pointsIntoBody(pointer: string, body: JsonText): boolean {
  const segments = pointer.split('/').slice(1, -1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let at: JsonText = body;
  for (const segment of segments) {
    if (segment === '…' || isRaw(at)) return true; // a name not repeated, or JSON written as text: nothing to follow
    // The last of repeated keys wins, as in JSON.parse.
    const next: JsonText | undefined = Array.isArray(at) ? (/^\d+$/.test(segment) ? at[Number(segment)] : undefined) : isJsonObject(at) ? at.entries.filter(([k]) => k === segment).at(-1)?.[1] : undefined;
    if (next === undefined) return false;
    at = next;
  }
  return true;
}

interface ErrorBody { error: { code: ErrorCode; message: string; details: Record<string, unknown> } }

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * The answer's problems (empty when fine): a 5xx, an API answer that is not JSON, a body key named like an
 * Object.prototype member accepted, an error body off the documented shape or with a status its code does not map
 * to, a `details.path` outside the body sent, a value sent echoed back.
 */
function problemsOf(sent: Sent, status: number, payload: string, contentType = ''): string[] {
  if (status >= 500) return [`status ${status}: ${payload.slice(0, 300)}`];
  if (sent.method === 'HEAD' || status === 204) return [];
  if (status < 400) {
    // The saved HTML report is the one /v1 answer documented as text/html.
    if (!sent.url.startsWith('/v1/') || (contentType.startsWith('text/html') && /^\/v1\/eval\/reports\/[^/?]+\/html/.test(sent.url))) return [];
    if (!isJson(payload)) return [`status ${status} with a body that is not JSON: ${payload.slice(0, 200)}`];
    // Bodies name known fields, models params, channels...: a key only Object.prototype knows must not pass as one.
    const key = sent.tree === undefined ? undefined : prototypeKey(sent.tree);
    return key === undefined ? [] : [`accepted the key ${key} (an Object.prototype member) as a known name`];
  }
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    return [`status ${status} with a body that is not JSON: ${payload.slice(0, 200)}`];
  }
  const error = (json as Partial<ErrorBody>).error;
  if (typeof json !== 'object' || json === null || Object.keys(json).join() !== 'error' || typeof error !== 'object' || error === null) return [`not the error shape: ${payload.slice(0, 300)}`];
  const problems: string[] = [];
  if (Object.keys(error).sort().join() !== 'code,details,message') problems.push(`error keys ${Object.keys(error).join()}`);
  if (!(error.code in ERROR_CODES)) problems.push(`code ${String(error.code)} is not in the catalogue`);
  else if (ERROR_CODES[error.code] !== status && !(status === 415 && error.code === 'INVALID_INPUT')) problems.push(`status ${status} for code ${error.code}`);
  if (typeof error.message !== 'string' || error.message.length === 0) problems.push('no message');
  if (typeof error.details !== 'object' || error.details === null || Array.isArray(error.details)) problems.push('details is not an object');
  // An id the request named may come back as details.id (an unknown item or user); nothing else the client sent may.
  const path = error.details?.path;
  if (sent.tree !== undefined && error.details?.in === undefined && typeof path === 'string' && path.startsWith('/') && !pointsIntoBody(path, sent.tree)) problems.push(`details.path ${path} is not in the body sent`);
  const { id, ...rest } = error.details ?? {};
  const idEchoOk = typeof id !== 'string' || !id.includes(MARKER) || sent.ids.includes(id);
  if (!idEchoOk || error.message?.includes(MARKER) || JSON.stringify(rest).includes(MARKER)) problems.push(`echoes a sent value: ${payload.slice(0, 300)}`);
  return problems;
}

describe('every HTTP route under arbitrary input (fast-check)', () => {
  let engine: Engine;
  let store: Store;
  let app: FastifyInstance;
  const embeddings = createNgramEncoder({ dimensions: 32 });
  const docsRoutes: Route[] = [];
  let routes: Route[] = [];

  async function send(sent: Sent): Promise<{ status: number; payload: string; contentType: string }> {
    const headers: Record<string, string> = {};
    if (sent.body.contentType !== undefined) headers['content-type'] = sent.body.contentType;
    if (sent.authorization !== undefined) headers.authorization = sent.authorization;
    const res = await app.inject({ method: sent.method as 'GET', url: sent.url, headers, payload: sent.body.payload });
    return { status: res.statusCode, payload: res.payload, contentType: String(res.headers['content-type'] ?? '') };
  }

  /** The records the destructive templates delete (an item, a user, a scenario, a feedback). */
  async function putSpares(): Promise<void> {
    await engine.upsertItems([{ id: 'spare-item', title: 'Spare' }]);
    await engine.addEvents([{ userId: 'spare-user', itemId: 'i1', type: 'like', timestamp: AT }]);
    await engine.putScenario({ name: 'spare', count: 2 });
    await engine.feedback('u1', { kind: 'not-interested', itemId: 'i20', at: AT });
  }

  beforeAll(async () => {
    // A small text encoder of a known id, so the digest can cover the item embeddings an item write stores.
    // One saved evaluation report for the report routes to serve (the JSON need only look like a result to be listed).
    const reportsDir = mkdtempSync(join(tmpdir(), 'kindred-props-reports-'));
    writeFileSync(join(reportsDir, 'saved-run.json'), JSON.stringify({ dataset: 'shop', protocol: 'loo', results: [{ model: 'itemknn' }] }));
    writeFileSync(join(reportsDir, 'saved-run.html'), '<!doctype html><p>report</p>');
    const config = resolveConfig({ store: { url: 'sqlite://:memory:' }, log: { level: 'silent' }, train: { thread: 'main', keepVersions: 1000 }, eval: { reportsDir } });
    ({ engine, store } = await engineOnStore(config, { logger: silentLogger, embeddings }));
    const { items, events } = shopCatalogue({ items: 30, likes: 8, step: 3 });
    await engine.upsertItems(items);
    await engine.upsertUsers(Array.from({ length: 10 }, (_, u) => ({ id: `u${u}` })));
    await engine.addEvents(events);
    await engine.train({ model: 'itemknn' });
    await engine.putScenario({ name: 'home', filter: 'in_stock = true', count: 4 });
    await putSpares();
    await engine.setCarePreferences('u2', { diversity: 0.4 });
    // A real interest id and impression token, so edits of them reach the engine's checks.
    const interest = (await engine.profile('u0')).interests[0]?.id;
    if (interest !== undefined) TEMPLATES.updateProfile.body = { reset: true, interests: [{ id: interest, mute: false, boost: 1.5 }] };
    const { impressionToken } = await engine.recommend('u0');
    if (impressionToken !== undefined) TEMPLATES.recordImpressions.otherBodies?.push({ token: impressionToken });

    // Small limits, so generated bodies also meet the 413 answers (body size, records per request).
    app = buildApp(engine, { bodyLimitMb: 0.1, maxBatch: 3, apiKeys: [API_KEY] });
    // The documentation plugin registers its routes when the app boots; collect them (the API routes are in the document).
    app.addHook('onRoute', (r) => {
      for (const method of [r.method].flat()) docsRoutes.push({ method, path: r.url, queryNames: [], methodsOfPath: [] });
    });
    await app.ready();
    const doc = JSON.parse((await send({ method: 'GET', url: '/openapi.json', body: {}, ids: [], users: [] })).payload) as OpenApiDocument;
    routes = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      operationId: op.operationId as string,
      queryNames: ((op.parameters ?? []) as { in: string; name: string }[]).filter((p) => p.in === 'query').map((p) => p.name),
      methodsOfPath: Object.keys(methods).map((m) => m.toUpperCase()),
    })));
    for (const route of docsRoutes) route.methodsOfPath = docsRoutes.filter((r) => r.path === route.path).map((r) => r.method);
  });
  afterAll(async () => {
    await app?.close();
    await engine?.close();
  });

  it('has a valid request for every documented operation, and finds the documentation routes', () => {
    expect(routes.length).toBeGreaterThan(30);
    expect(routes.map((r) => r.operationId).filter((id) => id === undefined || !(id in TEMPLATES))).toEqual([]);
    expect(docsRoutes.map((r) => `${r.method} ${r.path}`)).toContain('GET /docs/static/*');
  });

  let runs = 0;
  it('answers every template (each body form) with a 2xx, so generated requests start from valid ones', async () => {
    const refused: string[] = [];
    for (const route of routes) {
      const template = TEMPLATES[route.operationId ?? ''] ?? {};
      const bodies = route.method === 'GET' || route.method === 'DELETE' ? [undefined] : [template.body ?? {}, ...(template.otherBodies ?? [])];
      for (const body of bodies) {
        const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(template.params?.[name] ?? ''));
        const url = template.query === undefined ? path : `${path}?${template.query}`;
        const raw: RawBody = body === undefined ? {} : { contentType: 'application/json', payload: JSON.stringify(body) };
        const res = await send({ method: route.method, url, authorization: `Bearer ${API_KEY}`, body: raw, ids: [], users: [] });
        if (res.status >= 300) refused.push(`${route.method} ${url} ${res.status} ${res.payload.slice(0, 200)}`);
      }
    }
    expect(refused).toEqual([]);
    await putSpares();
  });

  async function checkRoute(route: Route, numRuns: number): Promise<void> {
    const property = fc.asyncProperty(requestOf(route), async (sent) => {
      const before = await storeDigest(store, sent.users, [embeddings.id]);
      const { status, payload, contentType } = await send(sent);
      expect(problemsOf(sent, status, payload, contentType), `${sent.method} ${sent.url.slice(0, 200)}`).toEqual([]);
      if (status >= 400) expect(await storeDigest(store, sent.users, [embeddings.id]), `store changed by a rejected ${sent.method} ${sent.url.slice(0, 200)}`).toBe(before);
    });
    const seed = SEED + runs++;
    try {
      await fc.assert(property, { numRuns: Math.ceil(numRuns * SCALE), seed });
    } catch (err) {
      throw new Error(`${route.method} ${route.path} failed; replay with KINDRED_PROPERTY_SEED=${SEED}${SCALE === 1 ? '' : ` KINDRED_PROPERTY_RUNS=${SCALE}`}\n${err instanceof Error ? err.message : String(err)}`, { cause: err instanceof Error ? err.cause : undefined });
    }
  }

  it('answers arbitrary input on every API route without a 5xx, in the error shape, echoing nothing, writing nothing when rejected', async () => {
    for (const route of routes) await checkRoute(route, route.method === 'GET' ? RUNS.read : RUNS.write);
  }, 120_000 * SCALE);

  it('is still usable after every accepted input: training and a recommendation succeed', async () => {
    const train = await send({ method: 'POST', url: '/v1/train', authorization: `Bearer ${API_KEY}`, body: { contentType: 'application/json', payload: '{"model":"itemknn"}' }, ids: [], users: [] });
    expect(train.status, train.payload.slice(0, 300)).toBe(200);
    const list = await send({ method: 'GET', url: '/v1/users/u0/recommendations', authorization: `Bearer ${API_KEY}`, body: {}, ids: [], users: [] });
    expect(list.status, list.payload.slice(0, 300)).toBe(200);
  });

  it('answers arbitrary paths and queries on the documentation routes without a 5xx', async () => {
    for (const route of docsRoutes.filter((r) => r.method === 'GET' || r.method === 'HEAD')) await checkRoute({ ...route, path: route.path.replace(/:(\w+)/g, '{$1}') }, RUNS.docs);
  });
});
