import { describe, expect, it } from 'vitest';
import { EngineError } from '../core/errors.js';
import { parseParamsWith } from './param-spec.js';

const rules = { neighbors: { type: 'int', min: 1, max: 5000 } } as const;

describe('parseParamsWith', () => {
  it('fills defaults and keeps a valid value', () => {
    expect(parseParamsWith('itemknn', { neighbors: 10 }, rules, { neighbors: 100 })).toEqual({ neighbors: 10 });
    expect(parseParamsWith('itemknn', {}, rules, { neighbors: 100 })).toEqual({ neighbors: 100 });
  });

  // Found by the HTTP property test: Object.prototype's members passed as known params, unchecked, and a deeply
  // nested `constructor` value then overflowed the stack when the training request was compared (a 500).
  it.each(['constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf'])('rejects %s as an unknown param', (key) => {
    const input = JSON.parse(`{"${key}": [[["x"]]]}`) as Record<string, unknown>;
    const err = (() => { try { parseParamsWith('itemknn', input, rules, { neighbors: 100 }); } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(EngineError);
    expect(err).toMatchObject({ code: 'INVALID_CONFIG', details: { path: key } });
  });
});
