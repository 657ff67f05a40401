import { IdIndex } from '../core/ids.js';
import type { SparseRow } from '../core/sparse.js';
import type { UserId } from '../core/types.js';
import type { ModelBundle } from '../models/model-bundle.js';
import { hasTrainingRows, hasUnlearn, hasUserRowsRemoval, type Model } from '../models/model.js';

/** What the erase did to one role of the served bundle. */
export type RoleRemoval =
  /** The user's contribution was removed now: the role equals a refit without them (docs/privacy.md). */
  | { role: string; model: string; removal: 'exact' }
  /** The role still holds the user's influence until the queued retraining replaces the version. */
  | { role: string; model: string; removal: 'retrain'; reason: string };

/** A bundle without one user, and what became of each role. */
export interface BundleWithoutUser {
  bundle: Omit<ModelBundle, 'version'>;
  roles: RoleRemoval[];
}

/** The times of the user's trained cells, when they can be known (privacy/trained-times.ts); decayed models need them. */
export type TrainedTimes = (row: SparseRow) => Promise<Float64Array | undefined>;

/** Prefix of the slot an erased user leaves in a bundle's user list: no raw id, and other users keep their index. */
const ERASED_SLOT = '\u0000erased#';

/**
 * Whether a bundle user id is the slot an erased user left (not a user: list walks skip it).
 *
 * @example bundle.users.ids().filter((id) => !isErasedSlot(id))
 */
export function isErasedSlot(id: string): boolean {
  return id.startsWith(ERASED_SLOT);
}

/**
 * The bundle without `userId`: every role that can unlearn (Unlearn) is replaced by its exact update, every other role
 * (and learned fusion weights) is kept, without the user's own rows where it can drop them (UserRowsRemoval), and
 * reported as `retrain`. The user's id is replaced in the user list by an
 * erased slot, so the indexes of all other users (and every model's per-user rows) stay aligned; the exact roles have
 * the user's row emptied. `timesOf` gives the times of the user's trained cells (time-decayed popularity needs them).
 * Undefined when the bundle was not trained on the user.
 *
 * @example const out = await bundleWithoutUser(served.trained, 'u42'); out?.roles // [{ role: 'main', removal: 'exact', ... }]
 */
export async function bundleWithoutUser(bundle: ModelBundle, userId: UserId, timesOf?: TrainedTimes): Promise<BundleWithoutUser | undefined> {
  const user = bundle.users.indexOf(userId);
  if (user === undefined) return undefined;
  const row = trainingRowOf(bundle, user);
  const times = row && timesOf ? await timesOf(row) : undefined;
  const roles: RoleRemoval[] = [];
  // Kept until the retraining, but without the user's own rows where the model can drop them.
  const kept = (role: string, model: Model<object>, reason: string): Model<object> => {
    roles.push({ role, model: model.name, removal: 'retrain', reason });
    return hasUserRowsRemoval(model) ? model.withoutUserRows(user) : model;
  };
  const forget = async (role: string, model: Model<object>): Promise<Model<object>> => {
    if (!hasUnlearn(model)) return kept(role, model, `${model.name} has no exact removal`);
    if (!row) return kept(role, model, 'no model of the bundle keeps the user\'s training row');
    const outcome = await model.forgetUser({ user, row, ...(times ? { times } : {}) });
    if ('retrain' in outcome) return kept(role, model, outcome.retrain);
    roles.push({ role, model: model.name, removal: 'exact' });
    return outcome.model;
  };
  const models: Record<string, Model<object>> = {};
  for (const [role, model] of Object.entries(bundle.models)) if (model) models[role] = await forget(role, model);
  const channels: Record<string, Model<object>> = {};
  for (const [name, model] of Object.entries(bundle.channels ?? {})) channels[name] = await forget(`channel:${name}`, model);
  if (bundle.fusion) roles.push({ role: 'fusion', model: 'fusion', removal: 'retrain', reason: 'fusion weights were learned from held-out events' });
  const { main, popular } = models;
  return {
    bundle: {
      trainedAt: bundle.trainedAt,
      users: withErasedSlot(bundle.users, user),
      items: bundle.items,
      trainedItems: bundle.trainedItems,
      models: { ...models, main, popular },
      ...(bundle.channels ? { channels } : {}),
      ...(bundle.fusion ? { fusion: bundle.fusion } : {}),
    },
    roles,
  };
}

/** The user's training row from the first role that keeps training rows (main, then the others). */
function trainingRowOf(bundle: ModelBundle, user: number): SparseRow | undefined {
  for (const model of [...Object.values(bundle.models), ...Object.values(bundle.channels ?? {})]) {
    if (model && hasTrainingRows(model)) return model.trainingRow(user);
  }
  return undefined;
}

/** The user list with `user`'s id replaced by an erased slot no real id equals. */
function withErasedSlot(users: IdIndex, user: number): IdIndex {
  let slot = `${ERASED_SLOT}${user}`;
  while (users.indexOf(slot) !== undefined) slot += '#';
  return IdIndex.from(users.ids().map((id, i) => (i === user ? slot : id)));
}
