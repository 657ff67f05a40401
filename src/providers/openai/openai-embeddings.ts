/**
 * `openai://<model>`: embeddings from any OpenAI-compatible `POST {baseUrl}/embeddings` (OpenAI, Azure OpenAI,
 * Ollama, vLLM, LM Studio, llama.cpp server, TEI). Batches inputs, runs batches under the client's concurrency
 * limit, validates every response (count, indices, declared dimensions) and L2-normalises the vectors (OpenAI's
 * already are; some local servers' are not).
 */
import type { Clock } from '../../core/clock.js';
import { EngineError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { EmbeddingProvider } from '../embedding.js';
import { embedInBatches } from '../embed-batches.js';
import { l2Normalize } from '../vectors.js';
import { resolveOpenAiEndpoint, type EndpointSettings } from './endpoint.js';
import { createOpenAiClient, type RetryOptions } from './http-client.js';

/** Native sizes of OpenAI's models; other models declare `dimensions` or are probed once at open. */
export const KNOWN_EMBEDDING_DIMENSIONS: Readonly<Record<string, number>> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
};

export interface OpenAiEmbeddingOptions extends RetryOptions, EndpointSettings {
  model: string;
  /** Vector size. For text-embedding-3-* models a smaller size is requested from the API (shortened vectors). */
  dimensions?: number;
  /** Send `dimensions` in requests (default: only for text-embedding-3-* models, which support it). */
  requestDimensions?: boolean;
  /** Inputs per request (default 64; OpenAI allows 2048, TEI defaults to 32). */
  batchSize?: number;
  /** Longer texts are cut to this many characters before sending (default 8000, under 8k tokens for any script). */
  maxInputChars?: number;
  env?: NodeJS.ProcessEnv;
  logger: Logger;
  fetch?: typeof fetch;
  random?: () => number;
  clock?: Clock;
}

function truncate(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const code = text.charCodeAt(maxChars - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? maxChars - 1 : maxChars); // never split a surrogate pair
}

function decodeEmbedding(raw: unknown): number[] | Float32Array | undefined {
  if (Array.isArray(raw)) return raw as number[];
  if (typeof raw === 'string') {
    const bytes = Buffer.from(raw, 'base64'); // servers that answer encoding_format "base64" anyway
    return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength - (bytes.byteLength % 4)));
  }
  return undefined;
}

/**
 * Validates an embeddings response and returns its vectors in input order.
 *
 * @example parseEmbeddingResponse(json, 2, 1536, 'openai:text-embedding-3-small')
 */
export function parseEmbeddingResponse(body: unknown, count: number, dimensions: number | undefined, providerId: string): Float32Array[] {
  const bad = (why: string, extra: Record<string, unknown> = {}): EngineError =>
    new EngineError('PROVIDER_FAILED', `${providerId}: malformed embeddings response: ${why}`, { provider: providerId, ...extra });
  const data = (body as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) throw bad('no data array');
  if (data.length !== count) throw bad(`${data.length} embeddings for ${count} inputs`, { expected: count, got: data.length });
  const out = new Array<Float32Array | undefined>(count);
  data.forEach((entry: unknown, position) => {
    const e = entry as { index?: unknown; embedding?: unknown } | null;
    const index = e?.index ?? position;
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= count || out[index]) throw bad('bad or repeated index');
    const values = decodeEmbedding(e?.embedding);
    if (!values || values.length === 0) throw bad('missing embedding');
    if (dimensions !== undefined && values.length !== dimensions) {
      throw new EngineError('PROVIDER_FAILED', `${providerId}: returned ${values.length}-dimensional vectors, declared ${dimensions}`, {
        provider: providerId, expected: dimensions, got: values.length,
      });
    }
    const v = Float32Array.from(values);
    for (const x of v) if (!Number.isFinite(x)) throw bad('non-numeric value');
    l2Normalize(v);
    out[index] = v;
  });
  return out as Float32Array[];
}

function checkInteger(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) throw new EngineError('INVALID_CONFIG', `${name} must be an integer >= ${min}`, { path: name });
  return value;
}

/**
 * Opens the provider; when the size is neither declared nor known, one probe request measures it.
 *
 * @example const enc = await openOpenAiEmbeddings({ model: 'nomic-embed-text', baseUrl: 'http://localhost:11434/v1', logger });
 */
export async function openOpenAiEmbeddings(opts: OpenAiEmbeddingOptions): Promise<EmbeddingProvider> {
  const { model } = opts;
  const providerId = `openai:${model}`;
  const batchSize = checkInteger('batchSize', opts.batchSize ?? 64, 1);
  const maxInputChars = checkInteger('maxInputChars', opts.maxInputChars ?? 8000, 1);
  if (opts.dimensions !== undefined) checkInteger('dimensions', opts.dimensions, 1);
  const endpoint = resolveOpenAiEndpoint(opts, opts.env ?? {});
  const client = createOpenAiClient({ ...opts, endpoint, providerId });
  const sendDimensions = opts.requestDimensions ?? (model.startsWith('text-embedding-3') && opts.dimensions !== undefined);

  const request = async (texts: string[], dimensions: number | undefined, signal?: AbortSignal): Promise<Float32Array[]> => {
    const body = {
      model,
      input: texts.map((t) => truncate(t, maxInputChars)),
      encoding_format: 'float',
      ...(sendDimensions && opts.dimensions !== undefined ? { dimensions: opts.dimensions } : {}),
    };
    return parseEmbeddingResponse(await client.post('/embeddings', body, signal), texts.length, dimensions, providerId);
  };

  const dimensions = opts.dimensions ?? KNOWN_EMBEDDING_DIMENSIONS[model] ?? (await request(['dimension probe'], undefined))[0].length;
  return {
    id: `${providerId}${opts.dimensions !== undefined && sendDimensions ? `@${dimensions}` : ''}`,
    dimensions,
    embed: (texts, signal) => embedInBatches(texts, (batch, s) => request(batch, dimensions, s), { dimensions, batchSize, signal }),
  };
}
