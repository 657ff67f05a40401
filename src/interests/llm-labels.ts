import type { LlmProvider } from '../providers/llm.js';
import { writeInterestLabel } from '../providers/llm-tasks/label-interest.js';
import type { ProfileState } from './profile-state.js';

/**
 * The state with labels written by the language model for its interests, all asked at once under one deadline. An
 * interest whose built-in label is unchanged since the model last named it keeps that name (no new call); one the
 * model could not name in time keeps its built-in label. `previous` is the state before clustering again. Mutates and
 * returns `state`.
 *
 * @example state = await withLlmLabels(state, previous, llm, config.llm.deadlineMs)
 */
export async function withLlmLabels(state: ProfileState, previous: ProfileState | undefined, provider: LlmProvider, deadlineMs: number): Promise<ProfileState> {
  await Promise.all(state.profile.interests.map(async (interest) => {
    const g = state.geometry[interest.id];
    if (!g || interest.labelBy === 'llm') return; // kept as it was (an interest retained for its mute or boost)
    const before = previous?.profile.interests.find((i) => i.id === interest.id);
    const builtin = interest.label;
    if (before?.labelBy === 'llm' && previous?.geometry[interest.id]?.builtinLabel === builtin) {
      Object.assign(interest, { label: before.label, labelBy: 'llm' });
      g.builtinLabel = builtin;
      return;
    }
    const label = await writeInterestLabel(provider, {
      terms: interest.terms.map((t) => t.term), titles: interest.items.map((i) => i.title ?? '').filter(Boolean), deadlineMs,
    });
    if (!label) return;
    Object.assign(interest, { label, labelBy: 'llm' });
    g.builtinLabel = builtin;
  }));
  return state;
}
