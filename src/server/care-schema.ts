/** JSON Schemas of care settings over HTTP: a user's stored preferences, a scenario's `care`, and their answers. */
import { CARE_KEYS } from '../care/care-settings.js';

/** What each care setting does, for the OpenAPI document (ranges come from the config schema). */
const CARE_DOCS: Record<string, string> = {
  diversity: 'Diversity strength (config care.diversity)',
  calibration: 'Calibration trade-off λ (config care.calibration)',
  novelty: 'Long-tail strength: how much less-known items get a fair share',
  qualityFloor: 'Items with a fused score below this are not shown (config care.qualityFloor)',
  fatigueAfter: 'Impressions without engagement after which an item fades (config care.fatigueAfter; 0 = never)',
  fatigueDecay: 'Share of its relevance a fading item loses per impression (config care.fatigueDecay)',
  impressionCap: 'Impressions without engagement at which an item is left out (config care.impressionCap; 0 = no cap)',
  cooldownHours: 'Hours without an impression after which an item\'s count starts again (config care.cooldownHours)',
  repeatAfterDays: 'Consumed items may come back after this many days (config care.repeatAfterDays; 0 = never)',
  dailyBudget: 'At most this many items shown per rolling 24 h (config care.dailyBudget; 0 = off)',
  gentle: 'Gentle mode: items whose text is distressing are demoted',
};

/** One property per care setting; `nullable` adds null (a PATCH clearing the key). */
function careProperties(nullable: boolean): Record<string, object> {
  const out: Record<string, object> = {};
  for (const [key, kind] of CARE_KEYS) {
    const type = kind.kind === 'boolean' ? 'boolean' : 'number';
    const range = kind.kind === 'number' ? { minimum: kind.min, maximum: kind.max } : {};
    out[key] = { type: nullable ? [type, 'null'] : type, ...range, description: CARE_DOCS[key] ?? key };
  }
  return out;
}

/** Care settings (a PUT body, a scenario's `care`): each key optional, unknown keys rejected (400 naming them). */
export const careSettingsSchema = { type: 'object', additionalProperties: false, properties: careProperties(false) } as const;

/** A PATCH body: as careSettingsSchema, and null clears a key. */
export const carePatchSchema = { type: 'object', additionalProperties: false, properties: careProperties(true) } as const;

export const carePreferencesViewSchema = {
  $id: 'CarePreferences',
  type: 'object',
  required: ['userId', 'preferences', 'mutedInterests'],
  properties: {
    userId: { type: 'string' },
    preferences: { ...careSettingsSchema, description: 'The user\'s own care settings; config care applies to the keys left out' },
    mutedInterests: {
      type: 'array',
      description: 'Interests the user muted in their interest profile (changed with PATCH /v1/users/{id}/profile, where they are stored)',
      items: { type: 'object', required: ['id', 'label'], properties: { id: { type: 'string' }, label: { type: 'string' } } },
    },
  },
} as const;
