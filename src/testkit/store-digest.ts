/**
 * For tests: a digest of everything a store holds that a request could change, to check that a rejected request
 * left it untouched (src/server/http-properties.test.ts).
 */
import { createHash } from 'node:crypto';
import { IMPRESSION_SECRET_ARTIFACT } from '../care/impression-token.js';
import type { UserId } from '../core/types.js';
import { BUNDLE_ARTIFACT } from '../models/model-bundle.js';
import { SERVING_POINTER } from '../jobs/serving.js';
import type { Store } from '../storage/store.js';

async function all<T>(batches: AsyncIterable<T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const batch of batches) out.push(...batch);
  return out;
}

/**
 * Counts, every item, user, event and scenario, the model versions and the serving pin, the item embeddings of
 * `embeddingProviders`, and the stored profile and care preferences of `users` (the users a request named), hashed.
 * Meant for the small stores of tests.
 *
 * @example const before = await storeDigest(store, ['u1']); ...; expect(await storeDigest(store, ['u1'])).toBe(before)
 */
export async function storeDigest(store: Store, users: readonly UserId[], embeddingProviders: readonly string[] = []): Promise<string> {
  const state = {
    counts: await store.counts(),
    items: await all(store.scanItems()),
    users: await all(store.scanUsers()),
    events: await all(store.scanEvents()),
    scenarios: await store.listScenarios(),
    embeddings: await Promise.all(embeddingProviders.map(async (p) => (await store.getEmbeddings(p)).map((e) => [e.itemId, e.textHash, [...e.vector]]))),
    artifacts: await Promise.all([BUNDLE_ARTIFACT, SERVING_POINTER, IMPRESSION_SECRET_ARTIFACT].map(async (name) => (await store.listArtifacts(name)).map((a) => [name, a.version, a.meta]))),
    perUser: await Promise.all(users.map(async (id) => [id, await store.getProfile(id), await store.getCarePreferences(id)])),
  };
  return createHash('sha256').update(JSON.stringify(state)).digest('hex');
}
