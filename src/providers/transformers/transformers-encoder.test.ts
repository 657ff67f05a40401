import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { embeddingProviderConformanceSuite } from '../../testkit/embedding-conformance.js';
import { TINY_DIMENSIONS, TINY_VOCAB, tinyExpectedVector, writeTinyBertModel } from './tiny-model.js';
import { openTransformersEncoder, TRANSFORMERS_PACKAGE } from './transformers-encoder.js';

// transformers.js is an optional dependency: without it these tests cannot run (CI installs it).
const available = await import(TRANSFORMERS_PACKAGE).then(() => true, () => false);
if (!available && process.env.CI === 'true') throw new Error(`${TRANSFORMERS_PACKAGE} is required in CI`);

const root = await mkdtemp(join(tmpdir(), 'kindred-tiny-bert-'));
const modelDir = await writeTinyBertModel(join(root, 'tiny-bert'));

afterAll(async () => { await rm(root, { recursive: true, force: true }); });

describe.skipIf(!available)('transformers.js provider on a tiny offline BERT', () => {
  embeddingProviderConformanceSuite('transformers (tiny model)', () => openTransformersEncoder({ model: modelDir, offline: true }), { tolerance: 1e-4 });

  const ids = (...tokens: string[]) => ['[CLS]', ...tokens, '[SEP]'].map((t) => TINY_VOCAB[t]);

  it('computes mean-pooled, normalised vectors exactly (known answer from the graph)', async () => {
    const enc = await openTransformersEncoder({ model: modelDir, offline: true });
    expect(enc.dimensions).toBe(TINY_DIMENSIONS);
    expect(enc.id).toBe(`transformers:${modelDir}`);
    const [ships, love, unknown] = await enc.embed(['Space ships', 'love story of the star', 'zebra']);
    const check = (got: Float32Array, want: Float32Array) => want.forEach((x, d) => expect(got[d]).toBeCloseTo(x, 5));
    check(ships, tinyExpectedVector(ids('space', 'ship', '##s'))); // WordPiece: "ships" -> ship ##s
    check(love, tinyExpectedVector(ids('love', 'story', 'of', 'the', 'star')));
    check(unknown, tinyExpectedVector(ids('[UNK]')));
  });

  it('loads the quantized weights for dtype q8 (and its legacy quantized switch)', async () => {
    const q8 = await openTransformersEncoder({ model: modelDir, offline: true, dtype: 'q8' });
    const legacy = await openTransformersEncoder({ model: modelDir, offline: true, quantized: true });
    expect(q8.id).toBe(`transformers:${modelDir}@q8`);
    const [v] = await q8.embed(['space ships']);
    const want = tinyExpectedVector(ids('space', 'ship', '##s'), true);
    want.forEach((x, d) => expect(v[d]).toBeCloseTo(x, 5));
    expect(Array.from((await legacy.embed(['space ships']))[0])).toEqual(Array.from(v));
  });

  it('pools the CLS token when asked', async () => {
    const enc = await openTransformersEncoder({ model: modelDir, offline: true, pooling: 'cls' });
    const [v] = await enc.embed(['love story']);
    tinyExpectedVector(ids().slice(0, 1)).forEach((x, d) => expect(v[d]).toBeCloseTo(x, 5));
  });

  it('finds models under localModelPath by id', async () => {
    const enc = await openTransformersEncoder({ model: 'tiny-bert', localModelPath: root, offline: true });
    expect(enc.dimensions).toBe(TINY_DIMENSIONS);
  });

  it('fails clearly when an offline model is missing, and on contradictory options', async () => {
    await expect(openTransformersEncoder({ model: join(root, 'absent'), offline: true })).rejects.toMatchObject({ code: 'PROVIDER_FAILED', message: /could not load/ });
    await expect(openTransformersEncoder({ model: modelDir, dtype: 'fp32', quantized: true })).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    await expect(openTransformersEncoder({ model: modelDir, dtype: 'fp64' as 'fp32' })).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
  });
});
