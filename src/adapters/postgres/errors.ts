import { EngineError, errorMessage, isEngineError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';

/** Node's socket errors when the server cannot be reached or the connection broke. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);
/** node-postgres's own messages for a lost connection or a pool that found none in time (they carry no code). */
const LOST_CONNECTION = /^(Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect|Connection terminated due to connection timeout|Client was closed)/;

function sqlState(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/**
 * True when the failure means the server cannot be used right now (refused, restarted, terminated our backend, too
 * many connections, pool timeout): the call may work again later without reopening the store.
 */
export function isConnectionFailure(e: unknown): boolean {
  if (isEngineError(e)) return e.code === 'STORE_UNAVAILABLE';
  const state = sqlState(e);
  if (state !== undefined) return state.startsWith('08') || state.startsWith('57P') || state === '53300' || state === '53000';
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && SOCKET_CODES.has(code)) return true;
  return e instanceof Error && LOST_CONNECTION.test(e.message);
}

/** Serialization failure or deadlock: the transaction was rolled back and may simply be run again. */
export function isRetryableConflict(e: unknown): boolean {
  const state = sqlState(e);
  return state === '40001' || state === '40P01';
}

/**
 * The EngineError for a PostgreSQL or connection failure. Its message and details are fixed texts and the SQLSTATE:
 * the server's own message (which may quote values) is only logged, and the URL (credentials) never appears.
 *
 * @example pgError({ code: '57P01' }).code // 'STORE_UNAVAILABLE'
 */
export function pgError(e: unknown): EngineError {
  if (isEngineError(e)) return e;
  const state = sqlState(e);
  if (isConnectionFailure(e)) {
    return new EngineError('STORE_UNAVAILABLE', 'the PostgreSQL server cannot be reached or closed the connection; retry later', state ? { sqlstate: state } : {});
  }
  if (state === undefined) return new EngineError('INTERNAL', 'unexpected database error');
  if (state.startsWith('28')) {
    return new EngineError('STORE_UNAVAILABLE', 'the PostgreSQL server refused the store\'s user or password (a URL without a user connects as PGUSER, else the OS user)', { sqlstate: state });
  }
  if (state === '3D000') return new EngineError('NOT_FOUND', 'the database named in the PostgreSQL store URL does not exist', { sqlstate: state, path: '/store/url' });
  if (state === '42P01' || state === '3F000') {
    return new EngineError('STORE_UNAVAILABLE', 'the store\'s tables are gone from its PostgreSQL schema (was it dropped?)', { sqlstate: state });
  }
  if (state === '22021' || state === '22P05') {
    return new EngineError('INVALID_INPUT', 'text contains a character PostgreSQL cannot store (such as NUL)', { sqlstate: state });
  }
  if (isRetryableConflict(e) || state === '55P03' || state === '23505') {
    return new EngineError('CONFLICT', 'another writer holds the rows this write needs; retry later', { sqlstate: state });
  }
  if (state === '53100') return new EngineError('STORE_UNAVAILABLE', 'the PostgreSQL server is out of disk space', { sqlstate: state });
  return new EngineError('INTERNAL', 'unexpected database error', { sqlstate: state });
}

/**
 * Logs a database failure: its SQLSTATE, and the message only for connection failures ("terminating connection due
 * to administrator command"); other server messages may quote row values, which logs never carry.
 */
export function logFailure(logger: Logger, e: unknown): void {
  if (isEngineError(e)) return;
  if (isConnectionFailure(e)) logger.warn('postgres connection failure', { sqlstate: sqlState(e), reason: errorMessage(e) });
  else logger.error('postgres failure', { sqlstate: sqlState(e) });
}
