/**
 * The store's checks on a profile record (shape only: src/interests/profile-state.ts reads the state back and checks
 * its fields). Returns canonical copies so every adapter stores the same record and callers never share state.
 */
import { EngineError } from '../core/errors.js';
import type { UserId } from '../core/types.js';
import type { ProfileRecord } from './store.js';

/**
 * The user id, checked (INVALID_INPUT naming the field, never echoing it).
 *
 * @example profileUserOption('u1') // 'u1'
 */
export function profileUserOption(v: unknown): UserId {
  if (typeof v !== 'string' || v.length === 0) throw new EngineError('INVALID_INPUT', 'profile userId must be a non-empty string', { field: 'userId', path: '/userId' });
  return v;
}

/** True for data that survives JSON unchanged: no functions, undefined, NaN/Infinity, dates or class instances. */
function isPlainJson(v: unknown, depth = 0): boolean {
  if (depth > 32) return false;
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (Array.isArray(v)) return v.every((x) => isPlainJson(x, depth + 1));
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) return Object.values(v).every((x) => isPlainJson(x, depth + 1));
  return false;
}

/**
 * A canonical deep copy of a profile record (only userId and state).
 *
 * @example canonicalProfile({ userId: 'u1', state: { interests: [] } })
 */
export function canonicalProfile(r: ProfileRecord): ProfileRecord {
  const { userId, json } = profileRecordJson(r);
  return { userId, state: JSON.parse(json) as Record<string, unknown> };
}

/**
 * The checked user id and the state as JSON text, what a SQL adapter stores: the same checks as `canonicalProfile`
 * without its copy (a profile is written on every event of its user; one serialisation is what that costs).
 *
 * @example profileRecordJson({ userId: 'u1', state: { interests: [] } }) // { userId: 'u1', json: '{"interests":[]}' }
 */
export function profileRecordJson(r: ProfileRecord): { userId: UserId; json: string } {
  if (typeof r !== 'object' || r === null) throw new EngineError('INVALID_INPUT', 'profile must be an object', { field: 'profile', path: '/profile' });
  const userId = profileUserOption(r.userId);
  if (typeof r.state !== 'object' || r.state === null || Array.isArray(r.state) || !isPlainJson(r.state)) {
    throw new EngineError('INVALID_INPUT', 'profile state must be a plain JSON object', { field: 'state', path: '/state' });
  }
  return { userId, json: JSON.stringify(r.state) };
}
