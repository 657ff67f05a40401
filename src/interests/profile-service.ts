import type { KindredConfig } from '../config/config.js';
import { EngineError } from '../core/errors.js';
import type { Item, ItemId, UserId } from '../core/types.js';
import { trainedBundleOf, type ModelBundle } from '../models/model-bundle.js';
import { externalTextConsented, personalisationConsented } from '../privacy/consent.js';
import type { Store } from '../storage/store.js';
import { catalogueTerms, type CatalogueTerms } from './interest-labels.js';
import { buildInterestProfile, type ProfileInput } from './profile.js';
import type { InterestProfile } from './profile-types.js';
import { predictFromSequence } from './sequence-interest.js';

/** Catalogue term counts, computed once per served bundle (items upserted later join at the next model version). */
const catalogues = new WeakMap<ModelBundle, Promise<CatalogueTerms>>();

function catalogueOf(store: Store, served: ModelBundle): Promise<CatalogueTerms> {
  const bundle = trainedBundleOf(served);
  let terms = catalogues.get(bundle);
  if (!terms) {
    terms = catalogueTerms(store.scanItems());
    catalogues.set(bundle, terms);
    terms.catch(() => catalogues.delete(bundle)); // a failed scan is retried by the next profile
  }
  return terms;
}

/**
 * A user's interest profile, computed now from their stored history (read once, up to config
 * interests.historyLimit events) and the served bundle. Throws NOT_FOUND for a user with neither a record nor events;
 * a user who refused personalisation (consent.personalisation false) gets a profile without interests.
 *
 * @example const profile = await interestProfileOf('u1', { store, bundle, config })
 */
export async function interestProfileOf(userId: UserId, deps: { store: Store; bundle: ModelBundle; config: KindredConfig }): Promise<InterestProfile> {
  return buildInterestProfile(await profileInputOf(userId, deps));
}

/**
 * What a profile is built from: the user's stored history (one read, up to config interests.historyLimit events; none
 * without consent), its items' records and the catalogue's term counts. NOT_FOUND for a user with neither a record
 * nor events.
 *
 * @example const input = await profileInputOf('u1', { store, bundle, config })
 */
export async function profileInputOf(
  userId: UserId, deps: { store: Store; bundle: ModelBundle; config: KindredConfig },
): Promise<ProfileInput & { consented: boolean; textMayLeave: boolean }> {
  const { store, bundle, config } = deps;
  const user = await store.getUser(userId);
  const consented = personalisationConsented(user);
  const history = consented ? await store.history(userId, { limit: config.interests.historyLimit }) : [];
  if (!user && history.length === 0) throw new EngineError('NOT_FOUND', 'unknown user', { id: userId });
  // The transformer's prediction first: the records of the items it predicts are read with the history's.
  const sequence = predictFromSequence(bundle, history, config.events.types) ?? null;
  const ids = [...new Set([...history.map((e) => e.itemId), ...(sequence?.items.map((p) => p.itemId) ?? [])])];
  const [records, catalogue] = await Promise.all([
    ids.length > 0 ? store.getItems(ids) : Promise.resolve([]),
    catalogueOf(store, bundle),
  ]);
  const items = new Map<ItemId, Item>(records.map((r) => [r.id, r]));
  return { userId, history, bundle, items, catalogue, types: config.events.types, options: config.interests, sequence, consented, textMayLeave: externalTextConsented(user) };
}
