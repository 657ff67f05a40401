/**
 * The care settings a request, a user's stored preferences and a scenario may set over config `care`: one table of
 * keys with their kinds and ranges (the config schema's own ranges where config has the key), one check, and the
 * layering request > user preference > scenario (config stays the getters' fallback, see care-strength.ts).
 */
import { CONFIG_FIELDS } from '../config/schema.js';
import { EngineError } from '../core/errors.js';
import type { CareOverride } from './care-strength.js';

/** Every key of CareOverride and whether it is a number (with its inclusive range) or a switch. */
type CareKeyKind = { kind: 'number'; min: number; max: number } | { kind: 'boolean' };

/** The keys that take a number, in the order views and docs list them. */
const NUMBER_KEYS = [
  'diversity', 'calibration', 'novelty', 'qualityFloor',
  'fatigueAfter', 'fatigueDecay', 'impressionCap', 'cooldownHours', 'repeatAfterDays', 'dailyBudget',
] as const;
const BOOLEAN_KEYS = ['gentle'] as const;

export type CareKey = (typeof NUMBER_KEYS)[number] | (typeof BOOLEAN_KEYS)[number];

/** The range of config `care.<key>`; 0..1 for a strength config does not have (novelty, before its stage sets a default). */
function configRange(key: string): { min: number; max: number } {
  const field = CONFIG_FIELDS.find((f) => f.key === `care.${key}`) as { min?: number; max?: number } | undefined;
  return { min: field?.min ?? 0, max: field?.max ?? 1 };
}

/** Each care key with its kind and range (built once from the config schema). */
export const CARE_KEYS: ReadonlyMap<CareKey, CareKeyKind> = new Map<CareKey, CareKeyKind>([
  ...NUMBER_KEYS.map((k) => [k, { kind: 'number' as const, ...configRange(k) }] as const),
  ...BOOLEAN_KEYS.map((k) => [k, { kind: 'boolean' as const }] as const),
]);

/** Where a care object came from, for its errors: `care.diversity` (a request), `/diversity` (a stored preference), `/care/diversity` (a scenario). */
export interface CareErrorPlace {
  /** Prefix of the error's `path` before the key. */
  path: string;
  /** The error's `field` (the key itself when undefined). */
  field?: string;
  /** Prefix of the message before the key, e.g. 'care.' or 'scenario care.'. */
  message: string;
}

/** A request's override (the library's and the HTTP query's errors). */
export const REQUEST_CARE: CareErrorPlace = { path: 'care.', message: 'care.' };

function invalid(place: CareErrorPlace, key: string, rule: string): EngineError {
  return new EngineError('INVALID_INPUT', `${place.message}${key} ${rule}`, { path: `${place.path}${key}`, field: place.field ?? key });
}

/**
 * A care object, checked and copied: only known keys (INVALID_INPUT naming an unknown one), each number finite and
 * within its config range, each switch a boolean; keys set to undefined are left out. `nullable` lets a key be null
 * (a PATCH clearing it); nulls are kept in the copy.
 *
 * @example checkCareSettings({ diversity: 0.3, fatigueAfter: 2 }, REQUEST_CARE) // { diversity: 0.3, fatigueAfter: 2 }
 */
export function checkCareSettings(input: unknown, place: CareErrorPlace, nullable = false): Record<string, number | boolean | null> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new EngineError('INVALID_INPUT', 'care settings must be an object', { path: place.path.replace(/[/.]$/, '') || '/', field: place.field ?? 'care' });
  }
  const out: Record<string, number | boolean | null> = {};
  for (const [key, value] of Object.entries(input)) {
    const kind = CARE_KEYS.get(key as CareKey);
    if (!kind) throw invalid(place, key === '' || key.length > 64 ? '…' : key, `is not a care setting (known: ${[...CARE_KEYS.keys()].join(', ')})`);
    if (value === undefined) continue;
    if (value === null && nullable) {
      out[key] = null;
    } else if (kind.kind === 'boolean') {
      if (typeof value !== 'boolean') throw invalid(place, key, 'must be true or false');
      out[key] = value;
    } else {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < kind.min || value > kind.max) {
        throw invalid(place, key, `must be a number from ${kind.min} to ${kind.max}`);
      }
      out[key] = value;
    }
  }
  return out;
}

/**
 * A stored care object (a user's preferences) as an override: the keys this version knows with values of the right
 * kind and range; anything else (a key a newer or older version stored) is left out rather than failing the request.
 *
 * @example storedCare({ diversity: 0.3, retired: 1 }) // { diversity: 0.3 }
 */
export function storedCare(stored: Record<string, unknown> | undefined): CareOverride | undefined {
  if (!stored) return undefined;
  const out: Record<string, number | boolean> = {};
  for (const [key, value] of Object.entries(stored)) {
    const kind = CARE_KEYS.get(key as CareKey);
    if (kind?.kind === 'boolean' && typeof value === 'boolean') out[key] = value;
    if (kind?.kind === 'number' && typeof value === 'number' && value >= kind.min && value <= kind.max) out[key] = value;
  }
  return out as CareOverride;
}

/**
 * The care that applies to a request: for each key the first layer that sets it (request, then the user's stored
 * preferences, then the scenario); undefined when no layer sets anything (config alone applies).
 *
 * @example layeredCare({ diversity: 0 }, { diversity: 0.5, gentle: true }, { dailyBudget: 20 }) // { diversity: 0, gentle: true, dailyBudget: 20 }
 */
export function layeredCare(...layers: Array<CareOverride | undefined>): CareOverride | undefined {
  const out: Record<string, unknown> = {};
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer ?? {})) if (value !== undefined && out[key] === undefined) out[key] = value;
  }
  return Object.keys(out).length > 0 ? (out as CareOverride) : undefined;
}

/**
 * Whether a care object sets any key (a request's `care: { diversity: undefined }` sets none).
 *
 * @example setsCare({ diversity: undefined }) // false
 */
export function setsCare(care: CareOverride | undefined): boolean {
  return care !== undefined && Object.values(care).some((v) => v !== undefined);
}

/**
 * A stable text of the care settings (keys in table order), for cache digests.
 *
 * @example careDigestText({ gentle: true, diversity: 0.2 }) // 'diversity=0.2,gentle=true'
 */
export function careDigestText(care: CareOverride | undefined): string {
  const record = (care ?? {}) as Record<string, unknown>;
  return [...CARE_KEYS.keys()].filter((k) => record[k] !== undefined).map((k) => `${k}=${String(record[k])}`).join(',');
}
