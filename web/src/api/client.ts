import type { ApiErrorBody } from './types';

/** sessionStorage key of the API key: entered once per browser tab session, gone when the tab closes. */
const KEY_STORAGE = 'kindred.apiKey';
/** Fired on window when the server answers 401, so the app asks for the key again. */
export const UNAUTHORIZED_EVENT = 'kindred:unauthorized';

export function storedApiKey(): string | undefined {
  return sessionStorage.getItem(KEY_STORAGE) ?? undefined;
}

export function storeApiKey(key: string | undefined): void {
  if (key === undefined || key === '') sessionStorage.removeItem(KEY_STORAGE);
  else sessionStorage.setItem(KEY_STORAGE, key);
}

/** An error answer of the API: its status and error code (docs/http-api.md). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Query string from defined values only (`undefined` leaves a parameter out, so the server's default applies). */
export function query(params: Record<string, string | number | boolean | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s === '' ? '' : `?${s}`;
}

/** A path segment for an id (ids may hold any character). */
export function seg(id: string): string {
  return encodeURIComponent(id);
}

/**
 * Calls the API on this origin with the stored key as `Authorization: Bearer <key>` (src/server/auth.ts). A 401
 * forgets the key and fires UNAUTHORIZED_EVENT; any error answer throws an ApiError with the server's code.
 *
 * @example const status = await api<StatusAnswer>('GET', '/v1/status')
 */
export async function api<T>(method: 'GET' | 'PATCH' | 'POST', path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const text = await call(method, path, body, signal);
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

/** GETs a text answer (an HTML report) with the stored key; errors as in api(). */
export async function apiText(path: string, signal?: AbortSignal): Promise<string> {
  return call('GET', path, undefined, signal);
}

async function call(method: string, path: string, body: unknown, signal: AbortSignal | undefined): Promise<string> {
  const headers: Record<string, string> = {};
  const key = storedApiKey();
  if (key !== undefined) headers.authorization = `Bearer ${key}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
  const text = await res.text();
  if (!res.ok) {
    const err = errorOf(text);
    if (res.status === 401) {
      storeApiKey(undefined);
      window.dispatchEvent(new CustomEvent(UNAUTHORIZED_EVENT));
    }
    throw new ApiError(res.status, err?.code ?? 'HTTP_ERROR', err?.message ?? `HTTP ${res.status}`);
  }
  return text;
}

function errorOf(text: string): ApiErrorBody['error'] | undefined {
  try {
    return (JSON.parse(text) as ApiErrorBody).error;
  } catch {
    return undefined;
  }
}
