/**
 * The exact registry of embedding and LLM providers: a spec string from config (see provider-spec.ts) plus
 * programmatic options become a provider. `none` gives undefined (the pipeline then skips what needs one).
 *
 *   embeddings: builtin | ngram | openai://<model> | transformers://<model-id> | none
 *   llm:        openai://<model> | none
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { EngineError } from '../core/errors.js';
import { createLogger, type Logger } from '../core/logger.js';
import type { EmbeddingProvider } from './embedding.js';
import type { LlmProvider } from './llm.js';
import { openBuiltinEncoder, type BuiltinEncoderOptions } from './builtin/open-builtin.js';
import { createNgramEncoder, type NgramEncoderOptions } from './builtin/ngram-encoder.js';
import { createOpenAiChat, type OpenAiChatOptions } from './openai/openai-chat.js';
import { openOpenAiEmbeddings, type OpenAiEmbeddingOptions } from './openai/openai-embeddings.js';
import { parseProviderSpec, specParams, type ParamKind, type ProviderSpec } from './provider-spec.js';
import { openTransformersEncoder, type TransformersEncoderOptions } from './transformers/transformers-encoder.js';

export const EMBEDDING_PROVIDER_NAMES = ['builtin', 'ngram', 'openai://<model>', 'transformers://<model-id>', 'none'] as const;
export const LLM_PROVIDER_NAMES = ['openai://<model>', 'none'] as const;

type Shared = 'logger' | 'env' | 'fetch' | 'model';

/** Options every provider shares. */
export interface OpenProviderBaseOptions {
  /** Default: warnings and errors to stderr. */
  logger?: Logger;
  /** Environment for KINDRED_* / OPENAI_API_KEY lookups (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Cache folder (word vectors, downloaded models). Default KINDRED_CACHE_DIR, else $XDG_CACHE_HOME/kindred or ~/.cache/kindred. */
  cacheDir?: string;
  fetch?: typeof fetch;
}

/** Options of one embedding provider; giving options for a provider other than the chosen one is an error. */
export interface OpenEmbeddingProviderOptions extends OpenProviderBaseOptions {
  builtin?: Omit<BuiltinEncoderOptions, 'cacheDir' | 'logger'>;
  ngram?: NgramEncoderOptions;
  openai?: Partial<Omit<OpenAiEmbeddingOptions, Shared>>;
  transformers?: Partial<Omit<TransformersEncoderOptions, 'model' | 'logger'>>;
}

export interface OpenLlmProviderOptions extends OpenProviderBaseOptions {
  openai?: Partial<Omit<OpenAiChatOptions, Shared>>;
}

const RETRY_PARAMS: Record<string, ParamKind> = { baseUrl: 'string', apiVersion: 'string', concurrency: 'int', timeoutMs: 'int', maxRetries: 'int' };
const PARAMS = {
  builtin: { maxWords: 'int', a: 'number' },
  ngram: { dimensions: 'int' },
  openaiEmbeddings: { ...RETRY_PARAMS, dimensions: 'int', batchSize: 'int', maxInputChars: 'int', requestDimensions: 'boolean' },
  openaiChat: { ...RETRY_PARAMS, maxTokens: 'int', temperature: 'number', tokenBudget: 'number', cacheSize: 'int', jsonResponseFormat: 'boolean' },
  transformers: { dtype: 'string', quantized: 'boolean', pooling: 'string', batchSize: 'int', offline: 'boolean', localModelPath: 'string', cacheDir: 'string' },
} satisfies Record<string, Record<string, ParamKind>>;

/** The cache folder: explicit, KINDRED_CACHE_DIR, $XDG_CACHE_HOME/kindred, else ~/.cache/kindred. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.KINDRED_CACHE_DIR || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'kindred');
}

type ProviderKey = 'builtin' | 'ngram' | 'openai' | 'transformers';

function rejectForeignOptions(opts: OpenEmbeddingProviderOptions, chosen: ProviderKey | undefined, spec: string): void {
  for (const key of ['builtin', 'ngram', 'openai', 'transformers'] as const) {
    if (key !== chosen && opts[key] !== undefined) {
      throw new EngineError('INVALID_CONFIG', `options.${key} do not apply to provider "${spec}"`, { path: key });
    }
  }
}

function unknownProvider(kind: 'embedding' | 'LLM', specText: string, names: readonly string[]): EngineError {
  const shown = specText.split('?')[0]; // parameters may hold URLs; the name is enough
  return new EngineError('UNKNOWN_SCHEME', `unknown ${kind} provider "${shown}" (expected one of: ${names.join(', ')})`, { path: 'provider' });
}

function needModel(spec: ProviderSpec): string {
  if (!spec.model) throw new EngineError('INVALID_CONFIG', `provider ${spec.scheme}:// needs a model name, e.g. ${spec.scheme}://<model>`, { path: 'provider' });
  return spec.model;
}

/**
 * Opens an embedding provider from its spec; undefined for `none`.
 *
 * @example const enc = await openEmbeddingProvider(config.embeddings.provider, { logger });
 */
export async function openEmbeddingProvider(specText: string, opts: OpenEmbeddingProviderOptions = {}): Promise<EmbeddingProvider | undefined> {
  const spec = parseProviderSpec(specText);
  const env = opts.env ?? process.env;
  const logger = opts.logger ?? createLogger('warn');
  const cacheDir = opts.cacheDir ?? defaultCacheDir(env);
  const bareName = spec.model === '' && !specText.includes('://');
  switch (bareName ? spec.scheme : `${spec.scheme}://`) {
    case 'none':
      rejectForeignOptions(opts, undefined, specText);
      specParams(spec, {});
      return undefined;
    case 'ngram':
      rejectForeignOptions(opts, 'ngram', specText);
      return createNgramEncoder({ ...specParams(spec, PARAMS.ngram), ...opts.ngram });
    case 'builtin': {
      rejectForeignOptions(opts, 'builtin', specText);
      const p = specParams(spec, PARAMS.builtin) as { maxWords?: number; a?: number };
      return openBuiltinEncoder({
        cacheDir, logger,
        ...(p.maxWords !== undefined ? { maxWords: p.maxWords } : {}),
        ...(p.a !== undefined ? { sif: { a: p.a } } : {}),
        ...opts.builtin,
      });
    }
    case 'openai://':
      rejectForeignOptions(opts, 'openai', specText);
      return openOpenAiEmbeddings({ ...specParams(spec, PARAMS.openaiEmbeddings), ...opts.openai, model: needModel(spec), env, logger, fetch: opts.fetch });
    case 'transformers://':
      rejectForeignOptions(opts, 'transformers', specText);
      return openTransformersEncoder({
        cacheDir: join(cacheDir, 'transformers'),
        ...(specParams(spec, PARAMS.transformers) as Partial<TransformersEncoderOptions>),
        ...opts.transformers,
        model: needModel(spec),
        logger,
      });
    default:
      throw unknownProvider('embedding', specText, EMBEDDING_PROVIDER_NAMES);
  }
}

/**
 * Opens an LLM provider from its spec; undefined for `none`. KINDRED_LLM_TOKEN_BUDGET sets a default token budget.
 *
 * @example const llm = await openLlmProvider('openai://gpt-4o-mini?tokenBudget=500000', { logger });
 */
export async function openLlmProvider(specText: string, opts: OpenLlmProviderOptions = {}): Promise<LlmProvider | undefined> {
  const spec = parseProviderSpec(specText);
  const env = opts.env ?? process.env;
  const logger = opts.logger ?? createLogger('warn');
  if (specText.trim() === 'none') {
    if (opts.openai !== undefined) throw new EngineError('INVALID_CONFIG', 'options.openai do not apply to provider "none"', { path: 'openai' });
    return undefined;
  }
  if (spec.scheme !== 'openai' || !specText.includes('://')) throw unknownProvider('LLM', specText, LLM_PROVIDER_NAMES);
  const fromEnv = env.KINDRED_LLM_TOKEN_BUDGET ? Number(env.KINDRED_LLM_TOKEN_BUDGET) : undefined;
  if (fromEnv !== undefined && !(fromEnv > 0)) throw new EngineError('INVALID_CONFIG', 'KINDRED_LLM_TOKEN_BUDGET must be a positive number', { path: 'tokenBudget' });
  return createOpenAiChat({
    ...(fromEnv !== undefined ? { tokenBudget: fromEnv } : {}),
    ...specParams(spec, PARAMS.openaiChat),
    ...opts.openai,
    model: needModel(spec),
    env,
    logger,
    fetch: opts.fetch,
  });
}
