/**
 * Provider specs as written in config: a bare name (`builtin`, `ngram`, `none`) or `<scheme>://<model>`, both
 * with optional query parameters, e.g. `openai://text-embedding-3-small?dimensions=512` or
 * `transformers://Xenova/all-MiniLM-L6-v2?dtype=q8&offline=true`. Names are matched exactly, never guessed.
 */
import { EngineError } from '../core/errors.js';

export interface ProviderSpec {
  /** "builtin", "ngram", "none", "openai", "transformers", ... */
  scheme: string;
  /** Model after `://` (may contain "/" and ":"), empty for bare names. */
  model: string;
  params: Map<string, string>;
}

export type ParamKind = 'int' | 'number' | 'boolean' | 'string';

/**
 * Splits a spec into scheme, model and parameters.
 *
 * @example parseProviderSpec('openai://nomic-embed-text:latest?batchSize=16') // { scheme: 'openai', model: 'nomic-embed-text:latest', params }
 */
export function parseProviderSpec(spec: string): ProviderSpec {
  const trimmed = spec.trim();
  const q = trimmed.indexOf('?');
  const head = q >= 0 ? trimmed.slice(0, q) : trimmed;
  const params = new Map(new URLSearchParams(q >= 0 ? trimmed.slice(q + 1) : ''));
  const sep = head.indexOf('://');
  if (sep < 0) return { scheme: head, model: '', params };
  let model: string;
  try {
    model = decodeURIComponent(head.slice(sep + 3));
  } catch {
    throw new EngineError('INVALID_CONFIG', `provider spec has a badly escaped model name`, { path: 'provider' });
  }
  return { scheme: head.slice(0, sep), model, params };
}

/**
 * Typed values of the spec's parameters; an unknown name or a badly typed value is an INVALID_CONFIG error.
 *
 * @example specParams(spec, { dimensions: 'int', baseUrl: 'string' }) // { dimensions: 512 }
 */
export function specParams(spec: ProviderSpec, kinds: Record<string, ParamKind>): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [name, raw] of spec.params) {
    const kind = kinds[name];
    const bad = (why: string): EngineError =>
      new EngineError('INVALID_CONFIG', `provider ${spec.scheme}: parameter ${name} ${why}`, { path: `provider.${name}` });
    if (!kind) {
      const known = Object.keys(kinds);
      throw bad(`is not supported${known.length ? ` (supported: ${known.join(', ')})` : ' (this provider takes none)'}`);
    }
    if (kind === 'string') out[name] = raw;
    else if (kind === 'boolean') {
      if (!['true', 'false', '1', '0'].includes(raw)) throw bad('must be true or false');
      out[name] = raw === 'true' || raw === '1';
    } else {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n) || (kind === 'int' && !Number.isInteger(n))) throw bad(`must be ${kind === 'int' ? 'an integer' : 'a number'}`);
      out[name] = n;
    }
  }
  return out;
}
