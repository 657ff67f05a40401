/** One catalogue of error codes; the HTTP layer maps each to a status code. Details carry ids, never user text. */
export const ERROR_CODES = {
  INVALID_INPUT: 400,
  INVALID_CONFIG: 400,
  UNAUTHORIZED: 401,
  /** The API key is valid but its scope (read, write, admin) does not cover the route. */
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  /** Too many requests from one key or client address (server.rateLimit); the answer carries Retry-After. */
  RATE_LIMITED: 429,
  NOT_TRAINED: 409,
  UNSUPPORTED: 501,
  UNKNOWN_SCHEME: 400,
  IMPORT_FAILED: 422,
  CANCELLED: 499,
  PROVIDER_FAILED: 502,
  TIMEOUT: 504,
  /** The database file is damaged (SQLite CORRUPT/NOTADB): restore it from a backup. */
  STORE_CORRUPT: 500,
  /** The store cannot be used right now: its file was deleted or replaced, is read-only, the disk is full or failing. */
  STORE_UNAVAILABLE: 503,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorDetails {
  /** JSON path of the offending field, e.g. "/events/17/timestamp". */
  path?: string;
  /** Zero-based row (bulk API) or one-based line (file import). */
  row?: number;
  line?: number;
  id?: string;
  [key: string]: unknown;
}

export class EngineError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}) {
    super(message);
    this.name = 'EngineError';
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return ERROR_CODES[this.code];
  }

  toJSON(): { code: ErrorCode; message: string; details: ErrorDetails } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

export function isEngineError(e: unknown): e is EngineError {
  return e instanceof EngineError;
}

/**
 * The message of a thrown value (an Error's message, anything else as a string), for logs and wrapped errors.
 *
 * @example errorMessage(new Error('disk full')) // 'disk full'
 */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
