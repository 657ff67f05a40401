/**
 * Where and how to reach an OpenAI-compatible API. One shape covers OpenAI, Azure OpenAI and the local servers
 * that speak the same protocol (Ollama, vLLM, LM Studio, llama.cpp server, Hugging Face TEI).
 */
import { EngineError } from '../../core/errors.js';

export const DEFAULT_OPENAI_BASE_URL = 'https://api.openai.com/v1';

export interface OpenAiEndpoint {
  /** API root without the trailing slash, e.g. "https://api.openai.com/v1" or "http://localhost:11434/v1". */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <key>` (or `api-key` for Azure); omitted when undefined (local servers). */
  apiKey?: string;
  /**
   * Azure OpenAI: set the API version (e.g. "2024-10-21") and the base URL to
   * `https://<resource>.openai.azure.com/openai/deployments/<deployment>`; the key then goes in an `api-key`
   * header and every request carries `?api-version=<version>`.
   */
  apiVersion?: string;
}

export interface EndpointSettings {
  baseUrl?: string;
  apiKey?: string;
  apiVersion?: string;
}

/**
 * Explicit settings first, then KINDRED_OPENAI_BASE_URL / OPENAI_API_KEY / KINDRED_OPENAI_API_VERSION.
 *
 * @example resolveOpenAiEndpoint({}, { KINDRED_OPENAI_BASE_URL: 'http://localhost:11434/v1' })
 */
export function resolveOpenAiEndpoint(settings: EndpointSettings, env: NodeJS.ProcessEnv): OpenAiEndpoint {
  const raw = settings.baseUrl ?? env.KINDRED_OPENAI_BASE_URL ?? DEFAULT_OPENAI_BASE_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new EngineError('INVALID_CONFIG', 'OpenAI base URL is not a valid URL', { path: 'baseUrl' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new EngineError('INVALID_CONFIG', 'OpenAI base URL must be http(s)', { path: 'baseUrl' });
  }
  const apiKey = settings.apiKey ?? (env.OPENAI_API_KEY || undefined);
  const apiVersion = settings.apiVersion ?? (env.KINDRED_OPENAI_API_VERSION || undefined);
  return { baseUrl: raw.replace(/\/+$/, ''), apiKey, apiVersion };
}

/** Full URL of an API path, with Azure's api-version when set. */
export function endpointUrl(endpoint: OpenAiEndpoint, path: string): string {
  const url = `${endpoint.baseUrl}${path}`;
  return endpoint.apiVersion ? `${url}?api-version=${encodeURIComponent(endpoint.apiVersion)}` : url;
}

/** Request headers: JSON plus the key in the header the API expects. */
export function endpointHeaders(endpoint: OpenAiEndpoint): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (endpoint.apiKey) {
    if (endpoint.apiVersion) headers['api-key'] = endpoint.apiKey;
    else headers.authorization = `Bearer ${endpoint.apiKey}`;
  }
  return headers;
}
