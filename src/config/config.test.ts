import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from './config.js';
import { configMarkdown } from './docs.js';

describe('config', () => {
  it('layers defaults < file < environment < flags', () => {
    const c = resolveConfig({ store: { url: 'sqlite://file.db' }, server: { port: 1 } }, { KINDRED_PORT: '2', KINDRED_DB: 'memory://' }, { server: { port: 3 } });
    expect(c.store.url).toBe('memory://');
    expect(c.server.port).toBe(3);
    expect(c.recommend.count).toBe(10);
    expect(c.events.types.purchase.weight).toBe(5);
  });

  it('rejects unknown keys and bad values, naming the key', () => {
    expect(() => resolveConfig({ store: { ulr: 'x' } as never })).toThrow(/unknown config key store.ulr/);
    expect(() => resolveConfig({}, { KINDRED_PORT: 'eighty' })).toThrow(/KINDRED_PORT must be a number/);
    expect(() => resolveConfig({ server: { port: 70000 } })).toThrow(/server.port must be <= 65535/);
    expect(() => resolveConfig({ log: { level: 'loud' as never } })).toThrow(/log.level must be one of/);
    expect(() => resolveConfig({ events: { types: { view: { weight: 'x' as never } } } })).toThrow(/events.types.view.weight/);
  });

  it('parses lists and JSON from the environment', () => {
    const c = resolveConfig({}, { KINDRED_API_KEYS: 'a, b', KINDRED_MODEL_PARAMS: '{"neighbors":50}' });
    expect(c.server.apiKeys).toEqual(['a', 'b']);
    expect(c.train.params).toEqual({ neighbors: 50 });
  });

  it('docs/configuration.md is generated from the schema and up to date', () => {
    expect(readFileSync('docs/configuration.md', 'utf8')).toBe(configMarkdown());
  });
});
