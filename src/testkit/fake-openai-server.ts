/**
 * A local HTTP server speaking the OpenAI API (`/embeddings`, `/chat/completions` under any prefix) for tests:
 * a test double of a remote service, so provider tests run offline and deterministically. It returns
 * deterministic vectors (hashed n-grams of each input, scaled by 3 and returned in reverse order with their
 * indices, so clients must normalise and sort), scripted chat replies, and faults injected per request (status
 * codes with Retry-After, slow answers, malformed bodies, dropped connections).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ngramVector } from '../providers/builtin/ngram-encoder.js';

export interface FakeChatRequest {
  model: string;
  system?: string;
  prompt: string;
  format: 'json' | 'text';
  maxTokens?: number;
}

export type FakeFault =
  | { status: number; retryAfter?: string; retryAfterMs?: number; body?: string }
  | { delayMs: number }
  | { malformed: 'not-json' | 'no-data' | 'wrong-count' | 'wrong-dimensions' | 'no-content' }
  | { drop: true };

export interface FakeOpenAiServerOptions {
  /** Vector size when a request does not ask for one (default 64). */
  dimensions?: number;
  /** Chat replies (default: a deterministic echo; JSON when the request asks for JSON). */
  chat?: (req: FakeChatRequest) => string;
  /** When set, requests need `Authorization: Bearer <key>` or `api-key: <key>`. */
  requireKey?: string;
  /** Inputs longer than this are rejected with 400, like a real context limit (default 10,000). */
  maxInputChars?: number;
}

export interface RecordedRequest {
  path: string;
  query: string;
  headers: Record<string, string | undefined>;
  body: unknown;
}

export interface FakeOpenAiServer {
  /** e.g. "http://127.0.0.1:41234/v1" */
  readonly baseUrl: string;
  /** Every request received, in order (bodies included: this is a test double). */
  readonly requests: RecordedRequest[];
  /** Queues faults; each applies to one upcoming request. */
  inject(...faults: FakeFault[]): void;
  setChat(reply: (req: FakeChatRequest) => string): void;
  /** The unit vector the server's answer for `text` normalises to. */
  expectedVector(text: string, dimensions?: number): Float32Array;
  close(): Promise<void>;
}

function defaultChat(req: FakeChatRequest): string {
  let h = 0;
  for (const ch of `${req.system ?? ''}|${req.prompt}`) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
  return req.format === 'json' ? JSON.stringify({ answer: `reply-${h.toString(16)}` }) : `Reply ${h.toString(16)}.`;
}

const tokens = (text: string): number => Math.ceil(text.length / 4);

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

/**
 * Starts the fake on a free local port.
 *
 * @example const fake = await startFakeOpenAiServer({ dimensions: 32 }); fake.inject({ status: 429, retryAfter: '0' });
 */
export async function startFakeOpenAiServer(opts: FakeOpenAiServerOptions = {}): Promise<FakeOpenAiServer> {
  const defaultDimensions = opts.dimensions ?? 64;
  const maxInputChars = opts.maxInputChars ?? 10_000;
  let chat = opts.chat ?? defaultChat;
  const faults: FakeFault[] = [];
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const embeddings = (body: { input?: unknown; dimensions?: unknown }, malformed?: string): [number, unknown] => {
    const input = typeof body.input === 'string' ? [body.input] : body.input;
    if (!Array.isArray(input) || input.some((t) => typeof t !== 'string')) return [400, { error: { message: 'input must be a string or a list of strings' } }];
    if (input.some((t: string) => t.length === 0)) return [400, { error: { message: "'$.input' is invalid: empty string" } }];
    if (input.some((t: string) => t.length > maxInputChars)) return [400, { error: { message: 'maximum context length exceeded' } }];
    const dims = typeof body.dimensions === 'number' ? body.dimensions : defaultDimensions;
    const data = (input as string[]).map((text, index) => ({
      object: 'embedding',
      index,
      embedding: Array.from(ngramVector(text, malformed === 'wrong-dimensions' ? dims + 1 : dims), (x) => x * 3),
    })).reverse();
    if (malformed === 'no-data') return [200, { object: 'list' }];
    if (malformed === 'wrong-count') data.pop();
    return [200, { object: 'list', data, usage: { prompt_tokens: tokens(input.join(' ')), total_tokens: tokens(input.join(' ')) } }];
  };

  const completions = (body: { model?: string; messages?: { role: string; content: string }[]; response_format?: { type?: string }; max_tokens?: number }, malformed?: string): [number, unknown] => {
    const messages = body.messages ?? [];
    const prompt = messages.filter((m) => m.role === 'user').map((m) => m.content).join('\n');
    const system = messages.find((m) => m.role === 'system')?.content;
    const request: FakeChatRequest = { model: body.model ?? '', system, prompt, format: body.response_format?.type === 'json_object' ? 'json' : 'text', maxTokens: body.max_tokens };
    const text = chat(request);
    if (malformed === 'no-content') return [200, { choices: [{ message: { role: 'assistant', content: null } }] }];
    const usage = { prompt_tokens: tokens(`${system ?? ''}${prompt}`), completion_tokens: tokens(text), total_tokens: tokens(`${system ?? ''}${prompt}`) + tokens(text) };
    return [200, { id: 'chatcmpl-fake', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }], usage }];
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const raw = await readBody(req);
    let body: unknown;
    try {
      body = JSON.parse(raw) as unknown;
    } catch {
      body = raw;
    }
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v]));
    requests.push({ path: url.pathname, query: url.search, headers, body });
    if (opts.requireKey && headers.authorization !== `Bearer ${opts.requireKey}` && headers['api-key'] !== opts.requireKey) {
      return send(res, 401, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error' } });
    }
    const fault = faults.shift();
    if (fault && 'drop' in fault) { req.socket.destroy(); return; }
    if (fault && 'status' in fault) {
      const extra: Record<string, string> = {};
      if (fault.retryAfter !== undefined) extra['retry-after'] = fault.retryAfter;
      if (fault.retryAfterMs !== undefined) extra['retry-after-ms'] = String(fault.retryAfterMs);
      return send(res, fault.status, fault.body ?? { error: { message: `injected ${fault.status}` } }, extra);
    }
    if (fault && 'delayMs' in fault) {
      await new Promise<void>((resolve) => { const t = setTimeout(() => { timers.delete(t); resolve(); }, fault.delayMs); timers.add(t); });
      if (res.destroyed || req.socket.destroyed) return;
    }
    const malformed = fault && 'malformed' in fault ? fault.malformed : undefined;
    if (malformed === 'not-json') { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"data": [oops'); return; }
    const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, never>;
    if (url.pathname.endsWith('/embeddings')) return send(res, ...embeddings(b, malformed));
    if (url.pathname.endsWith('/chat/completions')) return send(res, ...completions(b, malformed));
    send(res, 404, { error: { message: 'not found' } });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => send(res, 500, { error: { message: (e as Error).message } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    inject: (...f) => { faults.push(...f); },
    setChat: (reply) => { chat = reply; },
    expectedVector: (text, dimensions = defaultDimensions) => ngramVector(text, dimensions),
    close: async () => {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
