import { EngineError } from '../core/errors.js';
import { IdIndex, type IdLookup } from '../core/ids.js';
import { decodeArtifact, encodeArtifact } from './artifact.js';
import type { FusionRanker } from './fusion-ranker.js';
import type { Model, ModelArtifact, TypedArray } from './model.js';
import { restoreModel } from './registry.js';

/**
 * The well-known roles a trained bundle fills: the main recall model, popularity (fallback, cold users), similar items
 * (when the main model cannot answer it), the semantic model over item text (text queries, cold-start items), and the
 * models of recall channels trained only when config turns the channel on (sequential for next-item, trending).
 * Roles are open: a bundle may carry any other role name, and a stored role this code does not know still loads.
 */
export const MODEL_ROLES = {
  main: 'main',
  popular: 'popular',
  similar: 'similar',
  semantic: 'semantic',
  sequential: 'sequential',
  trending: 'trending',
} as const;

/** A role name: one of MODEL_ROLES, or any other name a newer trainer wrote. */
export type ModelRole = string;

/** The models of a bundle by role: `main` and `popular` always, every other role optional. */
export type BundleModels = { [role: ModelRole]: Model<object> | undefined } & { main: Model<object>; popular: Model<object> };

/**
 * Everything one training run produced, versioned and swapped as a unit: every server that loads version N serves
 * exactly the same models over the same id mapping. A bundle is never changed once built: items stored after its
 * training are served through an overlay (jobs/served-models.ts), never written into it.
 */
export interface ModelBundle {
  version: number;
  trainedAt: string;
  users: IdIndex;
  /** Trained items first; in a served state, items stored after training follow (see jobs/served-models.ts). */
  items: IdLookup;
  /** How many items the collaborative models were trained on: indexes at or above this are cold-start items. */
  trainedItems: number;
  models: BundleModels;
  /** Extra collaborative models recalled beside the main one (config train.channels), by model name; absent in old bundles. */
  channels?: Record<string, Model<object>>;
  /** The learned fusion ranker (pipeline/fusion/), when training learned one. */
  fusion?: FusionRanker;
  /**
   * Set in a served state that carries items added after training: the bundle as trained. Caches of what does not
   * change with added items (catalogue scans, text tones) key on it (`trainedBundleOf`), so a new item does not reset them.
   */
  trained?: ModelBundle;
}

/**
 * The bundle as trained behind a served state (the bundle itself when it is one).
 *
 * @example facts.get(trainedBundleOf(ctx.bundle))
 */
export function trainedBundleOf(bundle: ModelBundle): ModelBundle {
  return bundle.trained ?? bundle;
}

/** Bundle meta role of an extra recall channel's model. */
const CHANNEL_ROLE = 'channel:';

export const BUNDLE_ARTIFACT = 'bundle';

interface BundleMeta {
  trainedAt: string;
  users: string[];
  items: string[];
  /** A role name, or CHANNEL_ROLE + model name for an extra recall channel. */
  models: Array<{ role: string; name: string; params: Record<string, unknown>; meta: Record<string, unknown> }>;
  fusion?: FusionRanker;
  /**
   * "<role>/<key>" -> the "<role>/<key>" stored with the same array: models fitted on one training matrix keep the
   * same user-item CSR (tens of MB at 5M events), stored once. Absent in bundles written before it.
   */
  shared?: Record<string, string>;
}

/**
 * One artifact for the whole bundle: sub-model arrays are namespaced "<role>/<key>". The wire format is the one every
 * stored bundle has (roles as strings), so versions written before roles were open load unchanged.
 */
export function encodeBundle(b: Omit<ModelBundle, 'version' | 'trainedItems'>): Uint8Array {
  const arrays: Record<string, TypedArray> = {};
  const firstKey = new Map<TypedArray, string>();
  const shared: Record<string, string> = {};
  const models: BundleMeta['models'] = [];
  const channels = Object.entries(b.channels ?? {}).map(([name, model]): [string, Model<object>] => [`${CHANNEL_ROLE}${name}`, model]);
  for (const [role, model] of [...Object.entries(b.models), ...channels]) {
    if (!model) continue;
    const a = model.save();
    models.push({ role, name: a.name, params: a.params, meta: a.meta });
    for (const [k, v] of Object.entries(a.arrays)) {
      const key = `${role}/${k}`;
      const first = firstKey.get(v);
      if (first === undefined) {
        firstKey.set(v, key);
        arrays[key] = v;
      } else shared[key] = first;
    }
  }
  const meta: BundleMeta = {
    trainedAt: b.trainedAt, users: [...b.users.ids()], items: [...b.items.ids()], models,
    ...(b.fusion ? { fusion: b.fusion } : {}),
    ...(Object.keys(shared).length > 0 ? { shared } : {}),
  };
  return encodeArtifact({ name: BUNDLE_ARTIFACT, params: {}, meta: meta as unknown as Record<string, unknown>, arrays });
}

export function decodeBundle(bytes: Uint8Array, version: number): ModelBundle {
  return bundleFromArtifact(decodeArtifact(bytes), version);
}

/**
 * The bundle of an already decoded artifact (what a loader thread hands over: its arrays arrive transferred, not
 * copied, so only restoring the models runs on the serving thread).
 *
 * @example bundleFromArtifact(decodeArtifact(bytes), 3)
 */
export function bundleFromArtifact(a: ModelArtifact, version: number): ModelBundle {
  if (a.name !== BUNDLE_ARTIFACT) throw new EngineError('INVALID_INPUT', `artifact ${a.name} is not a model bundle`);
  const meta = a.meta as unknown as BundleMeta;
  const models: Record<ModelRole, Model<object>> = {};
  const channels: Record<string, Model<object>> = {};
  for (const m of meta.models) {
    const prefix = `${m.role}/`;
    const arrays: Record<string, TypedArray> = {};
    for (const [k, v] of Object.entries(a.arrays)) if (k.startsWith(prefix)) arrays[k.slice(prefix.length)] = v;
    for (const [k, first] of Object.entries(meta.shared ?? {})) {
      const v = a.arrays[first];
      if (!v) throw new EngineError('INVALID_INPUT', `model bundle shares ${k} with ${first}, which it lacks`);
      if (k.startsWith(prefix)) arrays[k.slice(prefix.length)] = v;
    }
    const sub: ModelArtifact = { name: m.name, params: m.params, meta: m.meta, arrays };
    if (m.role.startsWith(CHANNEL_ROLE)) channels[m.role.slice(CHANNEL_ROLE.length)] = restoreModel(sub);
    else models[m.role] = restoreModel(sub);
  }
  if (!models.main || !models.popular) throw new EngineError('INVALID_INPUT', 'model bundle lacks its main or popular model');
  return {
    version,
    trainedAt: meta.trainedAt,
    users: IdIndex.from(meta.users),
    items: IdIndex.from(meta.items),
    trainedItems: meta.items.length,
    models: { ...models, main: models.main, popular: models.popular },
    ...(Object.keys(channels).length > 0 ? { channels } : {}),
    ...(meta.fusion ? { fusion: meta.fusion } : {}),
  };
}
