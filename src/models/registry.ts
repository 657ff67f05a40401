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
import { semanticDefinition } from './semantic/semantic.js';
import { hybridDefinition } from './hybrid/hybrid.js';

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
  alsDefinition,
  bprDefinition,
  semanticDefinition,
  hybridDefinition,
];

export function modelDefinitions(): ReadonlyArray<ModelDefinition<object>> {
  return DEFINITIONS;
}

export function modelDefinition(name: string): ModelDefinition<object> {
  const def = DEFINITIONS.find((d) => d.name === name);
  if (!def) {
    // Names the known models, never the sent value (it may be anything a client typed).
    const known = DEFINITIONS.map((d) => d.name);
    throw new EngineError('INVALID_CONFIG', `unknown model; known: ${known.join(', ')}`, { path: 'model', known });
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
