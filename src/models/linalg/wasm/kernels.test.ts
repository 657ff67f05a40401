import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assembleTransformerKernels, assembleKernels, binaryModuleSource } from './assemble-kernels.js';

describe('committed WASM kernels', () => {
  it('are exactly what kernels-wat.ts assembles to (run assemble-kernels.ts after editing the WAT)', async () => {
    const committed = readFileSync(new URL('./kernels-binary.ts', import.meta.url), 'utf8');
    expect(committed).toBe(binaryModuleSource(await assembleKernels()));
  });

  it('include exactly what transformer-wat.ts assembles to', async () => {
    const committed = readFileSync(new URL('./transformer-binary.ts', import.meta.url), 'utf8');
    expect(committed).toBe(binaryModuleSource(await assembleTransformerKernels(), 'transformer'));
  });
});
