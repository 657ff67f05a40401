import { EngineError } from '../core/errors.js';
import { showableName } from '../core/safe-name.js';

/** One hyper-parameter's validation rule (bounds inclusive). */
export type ParamRule =
  | { type: 'int'; min: number; max: number }
  | { type: 'float'; min: number; max: number }
  | { type: 'boolean' }
  | { type: 'choice'; values: readonly string[] };

/**
 * Validates raw params against per-key rules, filling the rest from `defaults`. Unknown keys and bad values throw
 * EngineError INVALID_CONFIG with `details.path` naming the key, so config errors point at the offending param.
 *
 * @example parseParamsWith('itemknn', { neighbors: 50 }, { neighbors: { type: 'int', min: 1, max: 5000 } }, { neighbors: 100 })
 */
export function parseParamsWith<P extends object>(
  model: string,
  input: Record<string, unknown>,
  rules: { readonly [K in keyof P]: ParamRule },
  defaults: Readonly<P>,
): P {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new EngineError('INVALID_CONFIG', `${model} params must be an object`, { path: 'params' });
  }
  const out: Record<string, unknown> = { ...defaults };
  const known = rules as Record<string, ParamRule>;
  for (const [key, value] of Object.entries(input)) {
    // Own keys only: `constructor` or `toString` would otherwise find Object.prototype's and pass unchecked.
    const rule = Object.hasOwn(known, key) ? known[key] : undefined;
    if (!rule) {
      // The key is client data: named in details only when it is a short identifier, never in the message.
      throw new EngineError('INVALID_CONFIG', `${model}: unknown param; known: ${Object.keys(known).join(', ')}`, { path: showableName(key) ?? 'params' });
    }
    const problem = checkValue(rule, value);
    if (problem) throw new EngineError('INVALID_CONFIG', `${model}: param "${key}" ${problem}`, { path: key });
    out[key] = value;
  }
  return out as P;
}

function checkValue(rule: ParamRule, value: unknown): string | undefined {
  switch (rule.type) {
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'choice':
      return typeof value === 'string' && rule.values.includes(value) ? undefined : `must be one of ${rule.values.join(', ')}`;
    case 'int':
    case 'float': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a finite number';
      if (rule.type === 'int' && !Number.isInteger(value)) return 'must be an integer';
      if (value < rule.min || value > rule.max) return `must be between ${rule.min} and ${rule.max}`;
      return undefined;
    }
  }
}
