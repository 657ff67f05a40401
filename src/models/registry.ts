import { EngineError } from '../core/errors.js';
import type { ModelDefinition } from './definition.js';
import type { Model, ModelArtifact } from './model.js';
import { itemKnnDefinition } from './itemknn/itemknn.js';
import { popularDefinition } from './popular/popular.js';
import { sequentialDefinition } from './sequential/sequential.js';
import { userKnnDefinition } from './userknn/userknn.js';
import { alsDefinition } from './als/als.js';
import { bprDefinition } from './bpr/bpr.js';
import { easeDefinition } from './ease/ease.js';
import { sparseEaseDefinition } from './sparse-ease/sparse-ease.js';
import { semanticDefinition } from './semantic/semantic.js';
import { hybridDefinition } from './hybrid/hybrid.js';
import { trendingDefinition } from './trending/trending.js';
import { transformerDefinition } from './transformer/transformer.js';

/**
 * The exact registry of algorithms, by name. Each model folder exports its ModelDefinition; add it here.
 * (Definitions are listed statically: nothing is discovered or loaded by guessing.)
 */
const DEFINITIONS: ReadonlyArray<ModelDefinition<object>> = [
  // models register here, e.g. popularModel, itemKnnModel, ...
  popularDefinition,
  itemKnnDefinition,
  userKnnDefinition,
  sequentialDefinition,
  easeDefinition,
  sparseEaseDefinition,
  alsDefinition,
  bprDefinition,
  semanticDefinition,
  hybridDefinition,
  trendingDefinition,
  transformerDefinition,
];

export function modelDefinitions(): ReadonlyArray<ModelDefinition<object>> {
  return DEFINITIONS;
}

/**
 * Short names accepted wherever a model is named (train, eval, config train.model), each for one registered model.
 * docs/models.md lists them.
 */
export const MODEL_ALIASES: Readonly<Record<string, string>> = {
  pop: 'popular',
  popularity: 'popular',
  knn: 'itemknn',
  'item-knn': 'itemknn',
  'user-knn': 'userknn',
  text: 'semantic',
};

/** The registered name behind a name or alias (unknown names are returned as given). */
export function canonicalModelName(name: string): string {
  return MODEL_ALIASES[name] ?? name;
}

/** Models that fit on item text embeddings (FitContext.content): trainers must embed item texts first. */
const CONTENT_MODELS: ReadonlySet<string> = new Set(['semantic', 'hybrid']);

/** Models whose recommendations are the next item after a history read in time order (the next-item channel's). */
const NEXT_ITEM_MODELS: ReadonlySet<string> = new Set(['sequential', 'transformer']);

/**
 * True when the model (by name or alias) predicts the next item from the order of a history, so the next-item
 * channel can use it as the main model without training a sequential model beside it.
 *
 * @example isNextItemModel('transformer') // true
 */
export function isNextItemModel(name: string): boolean {
  return NEXT_ITEM_MODELS.has(canonicalModelName(name));
}

/**
 * True when the model (by name or alias) cannot fit without item text embeddings.
 *
 * @example needsItemEmbeddings('hybrid') // true
 */
export function needsItemEmbeddings(name: string): boolean {
  return CONTENT_MODELS.has(canonicalModelName(name));
}

/**
 * The definition of a model by name or alias.
 *
 * @example modelDefinition('pop').name // 'popular'
 */
export function modelDefinition(name: string): ModelDefinition<object> {
  const canonical = canonicalModelName(name);
  const def = DEFINITIONS.find((d) => d.name === canonical);
  if (!def) {
    // Names the known models and aliases, never the sent value (it may be anything a client typed).
    const known = DEFINITIONS.map((d) => d.name);
    const aliases = Object.entries(MODEL_ALIASES).map(([a, n]) => `${a}=${n}`).join(', ');
    throw new EngineError('INVALID_CONFIG', `unknown model; known: ${known.join(', ')} (aliases: ${aliases})`, { path: 'model', known });
  }
  return def;
}

/** Creates an untrained model from a name and raw params (validated by the model's own parser). */
export function createModel(name: string, params: Record<string, unknown> = {}): Model<object> {
  const def = modelDefinition(name);
  return def.create(def.parseParams(params));
}

export function restoreModel(artifact: ModelArtifact): Model<object> {
  return modelDefinition(artifact.name).restore(artifact);
}

/**
 * True when the model (by name or alias) with these params (defaults filled in) needs or can use item text
 * embeddings, so an evaluation embeds the item texts for it.
 *
 * @example wantsItemEmbeddings('transformer', { textInit: true }) // true
 */
export function wantsItemEmbeddings(name: string, params: Record<string, unknown> = {}): boolean {
  if (needsItemEmbeddings(name)) return true;
  const def = DEFINITIONS.find((d) => d.name === canonicalModelName(name));
  return def?.usesItemText?.(def.parseParams(params)) === true;
}
