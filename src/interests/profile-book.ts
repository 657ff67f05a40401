import type { KindredConfig } from '../config/config.js';
import { eventWeight } from '../config/event-weight.js';
import { EngineError, errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { Event, ItemId, UserId } from '../core/types.js';
import type { ModelBundle } from '../models/model-bundle.js';
import { providerFor } from '../privacy/consent.js';
import type { LlmProvider } from '../providers/llm.js';
import { eventId } from '../storage/event-id.js';
import type { Store } from '../storage/store.js';
import { latestEventTime } from './decay.js';
import { factorSpace, memoised, textSpace, type ItemSpace } from './item-space.js';
import { withLlmLabels } from './llm-labels.js';
import { buildProfileWithGeometry } from './profile.js';
import { foldEvent, needsClustering } from './profile-fold.js';
import { applyProfileChange, preferencesOf, type ProfileChange } from './profile-preferences.js';
import { profileInputOf } from './profile-service.js';
import { requestInterestsOf, type RequestInterests } from './request-interests.js';
import { withFreshSequence } from './sequence-refresh.js';
import { sequenceWithPreferences } from './sequence-interest.js';
import { hasPreference, parseProfileState, profileStateRecord, type ProfileState } from './profile-state.js';
import type { InterestProfile } from './profile-types.js';
import { withStableIds } from './stable-ids.js';

/**
 * A batch of events from more users than this updates stored profiles only (a bulk load builds none: each build reads
 * the user's history and clusters it, which the event's writer would wait for).
 */
const CREATE_FOR_USERS = 16;
/** Users whose profiles one event batch updates at once (a bulk batch of 10,000 users does not open 10,000 reads). */
const FOLD_TOGETHER = 64;

/** Stored interest profiles: built once, updated on every event, re-clustered when needed, changed by their user. */
export interface ProfileBook {
  /** The stored profile (built and stored first when there is none or it was made with another model version). */
  profile(userId: UserId, bundle: ModelBundle): Promise<InterestProfile>;
  /** Applies a user's mutes and boosts (INVALID_INPUT for unknown ids) and returns the profile. */
  update(userId: UserId, change: ProfileChange, bundle: ModelBundle): Promise<InterestProfile>;
  /**
   * Folds freshly stored events into their users' stored profiles, and builds the profiles of a batch's users who have
   * none when the batch comes from at most 16 users. Never throws: a failure is logged, the events stay stored.
   */
  noteEvents(events: Event[], bundle: ModelBundle): Promise<void>;
  /**
   * What one request reads from the stored profile: the user's mutes and boosts and their interests' centres
   * (undefined without a stored profile).
   */
  forRequest(userId: UserId, bundle: ModelBundle): Promise<RequestInterests | undefined>;
}

const spaces = new WeakMap<ModelBundle, Map<string, ItemSpace | undefined>>();

/** The bundle's item space of a kind ('text', 'factors'), memoised per bundle; undefined for the neighbours space. */
function spaceOf(bundle: ModelBundle, kind: string): ItemSpace | undefined {
  let byKind = spaces.get(bundle);
  if (!byKind) spaces.set(bundle, (byKind = new Map()));
  if (!byKind.has(kind)) {
    const space = kind === 'text' ? textSpace(bundle) : kind === 'factors' ? factorSpace(bundle) : undefined;
    byKind.set(kind, space && memoised(space));
  }
  return byKind.get(kind);
}

function vectorsOf(bundle: ModelBundle, kind: string): (id: ItemId) => Float32Array | undefined {
  const space = spaceOf(bundle, kind);
  return (id) => {
    const i = bundle.items.indexOf(id);
    return space && i !== undefined ? space.vector(i) : undefined;
  };
}

/** What the book needs from the engine; `llm` (config llm.provider) names interests when configured. */
export interface ProfileBookDeps {
  store: Store;
  config: KindredConfig;
  logger: Logger;
  llm?: () => Promise<LlmProvider | undefined>;
}

/**
 * @example const book = createProfileBook({ store, config, logger, llm: llmProvider }); await book.noteEvents(events, bundle)
 */
export function createProfileBook(deps: ProfileBookDeps): ProfileBook {
  const { store, config, logger } = deps;
  // One update at a time per user, so two concurrent event batches cannot overwrite each other's folds.
  const queues = new Map<UserId, Promise<unknown>>();
  function serial<T>(userId: UserId, work: () => Promise<T>): Promise<T> {
    const run = (queues.get(userId) ?? Promise.resolve()).catch(() => undefined).then(work);
    queues.set(userId, run);
    void run.finally(() => { if (queues.get(userId) === run) queues.delete(userId); }).catch(() => undefined);
    return run;
  }

  async function load(userId: UserId): Promise<ProfileState | undefined> {
    return parseProfileState((await store.getProfile(userId))?.state);
  }

  /** States of users who refused personalisation: answered (empty), never stored. */
  const unstored = new WeakSet<ProfileState>();

  /** Clusters the user's items again, keeping ids, mutes and boosts; stores the result (deletes it without consent). */
  async function rebuild(userId: UserId, bundle: ModelBundle, previous: ProfileState | undefined): Promise<ProfileState> {
    const input = await profileInputOf(userId, { store, bundle, config });
    const built = buildProfileWithGeometry(input);
    const prior = input.consented ? previous : undefined;
    let state = withStableIds(built, prior, {
      lastEventMs: latestEventTime(input.history) ?? null,
      recentEventIds: input.history.slice(0, 64).map((e) => e.id),
      vectorOf: vectorsOf(bundle, built.profile.space.kind),
    });
    // Labels by a remote model only with consent.llm: otherwise the built-in labels stay.
    const llm = input.consented && state.profile.interests.length > 0 ? providerFor(await deps.llm?.(), input.textMayLeave) : undefined;
    if (llm) state = await withLlmLabels(state, prior, llm, config.llm.deadlineMs);
    if (input.consented) await store.putProfile({ userId, state: profileStateRecord(state) });
    else {
      await store.deleteProfile(userId);
      unstored.add(state);
    }
    return state;
  }

  /** The profile as its user sees it: the short-term prediction honours their mutes and boosts. */
  function served(state: ProfileState, bundle: ModelBundle): InterestProfile {
    if (!state.profile.shortTerm.next) return state.profile;
    return sequenceWithPreferences(state.profile, preferencesOf(state, vectorsOf(bundle, state.profile.space.kind)));
  }

  async function current(userId: UserId, bundle: ModelBundle): Promise<ProfileState> {
    const state = await load(userId);
    return state && state.profile.model.version === bundle.version ? state : rebuild(userId, bundle, state);
  }

  async function fold(userId: UserId, events: Event[], bundle: ModelBundle, create: boolean): Promise<void> {
    const stored = await load(userId);
    if (!stored && !create) return;
    const user = await store.getUser(userId);
    if (user?.consent?.personalisation === false) {
      if (stored) await store.deleteProfile(userId);
      return;
    }
    if (!stored || stored.profile.model.version !== bundle.version) {
      if (stored || create) await rebuild(userId, bundle, stored);
      return;
    }
    const vectorOf = vectorsOf(bundle, stored.profile.space.kind);
    let state = stored;
    const ordered = [...events].sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
    for (const e of ordered) {
      const weight = eventWeight(e.type, e.value, config.events.types);
      if (weight === 'negative' || weight <= 0) continue;
      state = foldEvent(state, { id: eventId(e), itemId: e.itemId, weight, timeMs: Date.parse(e.timestamp), vector: vectorOf(e.itemId) }, config.interests);
    }
    if (needsClustering(state)) await rebuild(userId, bundle, state);
    else await store.putProfile({ userId, state: profileStateRecord(state) });
  }

  return {
    profile: (userId, bundle) => serial(userId, async () => {
      const state = await current(userId, bundle);
      // Events folded in since the last build moved the transformer's prediction: it is read again (not stored).
      const fresh = state.sinceClustering > 0 ? await withFreshSequence(state, bundle, () => profileInputOf(userId, { store, bundle, config })) : state;
      return served(fresh, bundle);
    }),

    update: (userId, change, bundle) => serial(userId, async () => {
      const state = await current(userId, bundle);
      const wantsSetting = (change.interests ?? []).some((c) => c?.mute === true || (c?.boost !== undefined && c.boost !== 1));
      if (wantsSetting && !spaceOf(bundle, state.profile.space.kind)) {
        throw new EngineError('UNSUPPORTED', 'mute and boost need item vectors: an embedding provider (embeddings.provider) or a factor model (als, bpr)');
      }
      const changed = applyProfileChange(state, change);
      if (!unstored.has(state)) await store.putProfile({ userId, state: profileStateRecord(changed) });
      return served(changed, bundle);
    }),

    async noteEvents(events, bundle) {
      const byUser = new Map<UserId, Event[]>();
      for (const e of events) byUser.set(e.userId, [...(byUser.get(e.userId) ?? []), e]);
      const create = byUser.size <= CREATE_FOR_USERS;
      // Users side by side (each user's updates stay in order through `serial`): their profile writes then share the
      // store's commits (SQLite group commit, a PostgreSQL pool) instead of paying one durable commit each in turn.
      const users = [...byUser];
      for (let i = 0; i < users.length; i += FOLD_TOGETHER) {
        await Promise.all(users.slice(i, i + FOLD_TOGETHER).map(async ([userId, own]) => {
          try {
            await serial(userId, () => fold(userId, own, bundle, create));
          } catch (err) {
            logger.warn('could not update an interest profile', { reason: errorMessage(err) });
          }
        }));
      }
    },

    async forRequest(userId, bundle) {
      let state = await load(userId);
      if (!state) return undefined;
      // Factor spaces change with every model version: a user's settings are worth placing the interests again for.
      const stale = state.profile.model.version !== bundle.version && state.profile.space.kind === 'factors';
      if (stale && state.profile.interests.some(hasPreference)) {
        const previous = state;
        state = await serial(userId, () => rebuild(userId, bundle, previous));
      }
      const current = state.profile.model.version === bundle.version || state.profile.space.kind === 'text';
      return requestInterestsOf(state, vectorsOf(bundle, state.profile.space.kind), current);
    },
  };
}
