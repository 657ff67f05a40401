import type { DataShape } from './data-shape.js';
import type { ModelDefinition, ParamSpace } from './definition.js';

/** Where a resolved param's value came from: set by the caller, the model's fixed default, scaled to the data, or a tuning search. */
export type ParamSource = 'explicit' | 'default' | 'scaled' | 'tuned';

export interface ResolvedParams {
  /** Validated params, every key filled. */
  params: Record<string, unknown>;
  /** Per key, where its value came from. */
  sources: Record<string, ParamSource>;
}

/**
 * The params a model is fitted with on data of this shape: explicit params win, then the model's data-scaled defaults
 * (`scaleDefaults`), then its fixed defaults. Explicit params are validated first, so a bad one fails as before.
 *
 * @example resolveParams(easeDefinition, {}, dataShape(train.matrix)).sources.lambda // 'scaled'
 */
export function resolveParams(def: ModelDefinition<object>, explicit: Record<string, unknown>, shape: DataShape): ResolvedParams {
  def.parseParams(explicit);
  const scaled = (def.scaleDefaults?.(shape, explicit) ?? {}) as Record<string, unknown>;
  const scaledOnly = Object.fromEntries(Object.entries(scaled).filter(([k]) => !(k in explicit)));
  const params = { ...(def.parseParams({ ...scaledOnly, ...explicit }) as Record<string, unknown>) };
  const sources: Record<string, ParamSource> = {};
  for (const key of Object.keys(params)) sources[key] = key in explicit ? 'explicit' : key in scaledOnly ? 'scaled' : 'default';
  return { params, sources };
}

/**
 * The search space a tuner draws from on data of this shape: the model's fixed ranges, with the ranges that follow the
 * data (`scaleSearchSpace`) laid over them.
 *
 * @example searchSpaceFor(alsDefinition, dataShape(train.matrix)).regularization // around ALS's scaled default λ
 */
export function searchSpaceFor(def: ModelDefinition<object>, shape: DataShape): Readonly<Record<string, ParamSpace>> {
  return { ...def.searchSpace, ...def.scaleSearchSpace?.(shape) };
}
