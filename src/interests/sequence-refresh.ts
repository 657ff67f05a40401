import type { ModelBundle } from '../models/model-bundle.js';
import type { ProfileInput } from './profile.js';
import type { ProfileState } from './profile-state.js';
import { predictFromSequence, sequenceModelOf, shortTermWithSequence } from './sequence-interest.js';

/**
 * The state with its short-term prediction (shortTerm.next and vectors.sequence) read again from the user's current
 * history: events are folded into a stored profile one by one without the sequence model (that would put a forward
 * pass and a history read on every event write), so a profile read asks the model again when events came since the
 * last build. The same state when the served bundle has no sequence model or the user gave no consent. Never
 * mutates `state`.
 *
 * @example const fresh = await withFreshSequence(state, bundle, () => profileInputOf(userId, { store, bundle, config }))
 */
export async function withFreshSequence(
  state: ProfileState, bundle: ModelBundle, readInput: () => Promise<ProfileInput & { consented: boolean }>,
): Promise<ProfileState> {
  if (!sequenceModelOf(bundle)) return state;
  const input = await readInput();
  if (!input.consented) return state;
  const prediction = input.sequence === undefined ? predictFromSequence(bundle, input.history, input.types) : input.sequence ?? undefined;
  const shortTerm = shortTermWithSequence(state.profile.shortTerm, prediction, input.items, input.catalogue);
  return { ...state, profile: { ...state.profile, shortTerm } };
}
