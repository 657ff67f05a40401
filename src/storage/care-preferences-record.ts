/**
 * The store's checks on a care-preferences record (shape only: the engine checks setting names and ranges, see
 * src/care/care-settings.ts). Returns canonical copies so every adapter stores the same record.
 */
import { EngineError } from '../core/errors.js';
import type { CarePreferencesRecord } from './store.js';
import { profileUserOption } from './profile-record.js';

/** More settings than this is not a preferences record (there are about a dozen care settings). */
const MAX_SETTINGS = 64;

/**
 * A canonical copy of a care-preferences record: userId, and preferences whose values are finite numbers or booleans
 * (INVALID_INPUT naming the field otherwise).
 *
 * @example canonicalCarePreferences({ userId: 'u1', preferences: { diversity: 0.3, gentle: true } })
 */
export function canonicalCarePreferences(r: CarePreferencesRecord): CarePreferencesRecord {
  if (typeof r !== 'object' || r === null) throw new EngineError('INVALID_INPUT', 'care preferences must be an object', { field: 'preferences', path: '/' });
  const userId = profileUserOption(r.userId);
  const p: unknown = r.preferences;
  if (typeof p !== 'object' || p === null || Array.isArray(p) || Object.getPrototypeOf(p) !== Object.prototype || Object.keys(p).length > MAX_SETTINGS) {
    throw new EngineError('INVALID_INPUT', `care preferences must be a plain object of at most ${MAX_SETTINGS} settings`, { field: 'preferences', path: '/preferences' });
  }
  const preferences: Record<string, number | boolean> = {};
  for (const [key, value] of Object.entries(p)) {
    if (typeof value !== 'boolean' && (typeof value !== 'number' || !Number.isFinite(value))) {
      throw new EngineError('INVALID_INPUT', 'a care preference must be a finite number or a boolean', { field: 'preferences', path: '/preferences' });
    }
    Object.defineProperty(preferences, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return { userId, preferences };
}
