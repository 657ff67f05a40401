/**
 * A user's consent, as stored in `User.consent` (names mapped to booleans; a missing name means consent given):
 * - `personalisation: false`: non-personalised (popular) results, no stored interest profile;
 * - `llm: false`: none of the user's text (history titles, review texts, interests, query text) is sent to a provider
 *   whose calls leave the machine; each use falls back to its non-LLM path (see docs/privacy.md "Consent").
 */
import type { User } from '../core/types.js';

/**
 * Whether the user may get personalised results (absent user or key: yes).
 *
 * @example personalisationConsented({ id: 'u1', consent: { personalisation: false } }) // false
 */
export function personalisationConsented(user: User | undefined | null): boolean {
  return user?.consent?.personalisation !== false;
}

/**
 * Whether the user's text may be sent to an external provider (absent user or key: yes).
 *
 * @example externalTextConsented({ id: 'u1', consent: { llm: false } }) // false
 */
export function externalTextConsented(user: User | undefined | null): boolean {
  return user?.consent?.llm !== false;
}

/**
 * Whether a provider's calls leave the machine: every provider that does not declare itself local (fail-safe, so an
 * injected or future provider counts as remote until it says otherwise).
 *
 * @example leavesMachine({ local: true }) // false
 */
export function leavesMachine(provider: { readonly local?: boolean }): boolean {
  return provider.local !== true;
}

/**
 * The provider when the user's text may go to it: always for a local one, for a remote one only with consent.
 *
 * @example const llm = providerFor(await llmProvider(), consent) // undefined for a remote provider without consent
 */
export function providerFor<P extends { readonly local?: boolean }>(provider: P | undefined, textMayLeave: boolean): P | undefined {
  return provider && (textMayLeave || !leavesMachine(provider)) ? provider : undefined;
}
