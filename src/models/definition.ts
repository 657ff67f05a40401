import type { DataShape } from './data-shape.js';
import type { Model, ModelArtifact } from './model.js';

/** Search space of one hyper-parameter, used by the evaluation harness's random/grid search. */
export type ParamSpace =
  | { type: 'int'; min: number; max: number; log?: boolean; grid?: number[] }
  | { type: 'float'; min: number; max: number; log?: boolean; grid?: number[] }
  | { type: 'choice'; values: readonly (string | number | boolean)[] };

/**
 * Everything the engine, CLI and harness need to know about one algorithm. Each model folder exports one.
 * `parseParams` rejects unknown keys and out-of-range values with EngineError INVALID_CONFIG naming the param.
 */
export interface ModelDefinition<P extends object = Record<string, unknown>> {
  readonly name: string;
  readonly description: string;
  readonly defaults: Readonly<P>;
  readonly searchSpace: Readonly<Record<string, ParamSpace>>;
  parseParams(input: Record<string, unknown>): P;
  /**
   * Defaults that depend on the training data (e.g. EASE's λ grows with the item counts), given the params the caller
   * set explicitly (which always win). Only models whose best setting moves with the data define it.
   */
  scaleDefaults?(shape: DataShape, explicit: Readonly<Partial<P>>): Partial<P>;
  /**
   * Search ranges that follow the training data, laid over `searchSpace` (searchSpaceFor): for a param whose good
   * values move with the data so far that a fixed range can miss them (ALS's λ spans orders of magnitude).
   */
  scaleSearchSpace?(shape: DataShape): Readonly<Record<string, ParamSpace>>;
  /**
   * True when the model, with these params, uses item text vectors (FitContext.content) if given them, though it fits
   * without (the transformer's textInit); models that need them are listed in the registry instead.
   */
  usesItemText?(params: Readonly<P>): boolean;
  create(params: P): Model<P>;
  restore(artifact: ModelArtifact): Model<P>;
}
