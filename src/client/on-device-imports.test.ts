import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Every module `kindred/on-device` loads at run time (type-only imports are erased, so they are not followed). */
function runtimeImports(entry: string): { files: string[]; outside: string[] } {
  const files = new Set<string>();
  const outside: string[] = [];
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+'([^']+)'/gms)) {
      const spec = m[1];
      if (!spec.startsWith('.')) outside.push(`${relative(SRC, file)} -> ${spec}`);
      else visit(join(dirname(file), spec.replace(/\.js$/, '.ts')));
    }
  };
  visit(entry);
  return { files: [...files].map((f) => relative(SRC, f)).sort(), outside };
}

describe('kindred/on-device runs in browsers', () => {
  it('loads no package and no node: module, only pure kernels', () => {
    const { files, outside } = runtimeImports(join(SRC, 'client', 'on-device.ts'));
    expect(outside).toEqual([]);
    expect(files).toContain('models/als/fold-in.ts');
    expect(files).toContain('models/topk.ts');
    for (const f of files) expect(readFileSync(join(SRC, f), 'utf8'), f).not.toMatch(/\bprocess\.|\bBuffer\b|require\(/);
  });

  it('kindred/federated too, and it folds in with the same module as on-device', () => {
    const { files, outside } = runtimeImports(join(SRC, 'client', 'federated.ts'));
    expect(outside).toEqual([]);
    expect(files).toContain('models/als/fold-in.ts');
    expect(files).toContain('privacy/on-device/local-history.ts');
    for (const f of files) expect(readFileSync(join(SRC, f), 'utf8'), f).not.toMatch(/\bprocess\.|\bBuffer\b|require\(/);
  });
});
