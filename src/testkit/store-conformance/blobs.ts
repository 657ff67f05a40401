import { describe, expect, it } from 'vitest';
import { blobChecksum } from '../../storage/artifact-checksum.js';
import { normaliseTimestamp } from '../../storage/event-id.js';
import { expectEngineError, type StoreHandle } from './fixtures.js';

const bytes = (...b: number[]) => new Uint8Array(b);

/** Versioned artifacts, embeddings, and the store's lifecycle (migrate, close). */
export function describeBlobs(store: StoreHandle): void {
  describe('artifacts', () => {
    it('numbers versions 1, 2, 3 per name and loads the latest or a given version', async () => {
      expect(await store().saveArtifact('als', bytes(1), { factors: 8 })).toBe(1);
      expect(await store().saveArtifact('als', bytes(2), { factors: 16 })).toBe(2);
      expect(await store().saveArtifact('ease', bytes(9))).toBe(1);
      expect(await store().saveArtifact('als', bytes(3, 3))).toBe(3);
      const latest = await store().loadArtifact('als');
      expect(latest && { ...latest, createdAt: '' }).toStrictEqual({ name: 'als', version: 3, createdAt: '', meta: {}, blob: bytes(3, 3), checksum: '8655173af1ec080de2dae0c6d0a7a2da5ade8b2cf8117645da18b90aaefd0ee2' }); // sha256 of 03 03
      const v2 = await store().loadArtifact('als', 2);
      expect(v2?.meta).toEqual({ factors: 16 });
      expect(v2?.blob).toStrictEqual(bytes(2));
      expect(normaliseTimestamp(v2?.createdAt)).toBe(v2?.createdAt);
      expect(await store().loadArtifact('als', 4)).toBeUndefined();
      expect(await store().loadArtifact('unknown')).toBeUndefined();
    });

    it('keeps its own copy of the blob and meta', async () => {
      const blob = bytes(1, 2, 3);
      const meta = { nested: { k: 1 } };
      await store().saveArtifact('m', blob, meta);
      blob[0] = 99;
      meta.nested.k = 2;
      const got = await store().loadArtifact('m');
      expect(got?.blob).toStrictEqual(bytes(1, 2, 3));
      expect(got?.meta).toEqual({ nested: { k: 1 } });
    });

    it('stores large blobs byte for byte', async () => {
      const big = new Uint8Array(1 << 20).map((_, i) => (i * 31) & 255);
      await store().saveArtifact('big', big);
      const got = (await store().loadArtifact('big'))?.blob ?? bytes();
      expect(got.length).toBe(big.length);
      expect(Buffer.from(got).equals(Buffer.from(big))).toBe(true); // toEqual would diff a million elements slowly
    });

    it('lists versions newest first without blobs, with their size and meta, and limits the listing', async () => {
      await store().saveArtifact('als', bytes(1), { factors: 8 });
      await store().saveArtifact('als', bytes(2, 2, 2), { factors: 16 });
      await store().saveArtifact('ease', bytes(9));
      const all = await store().listArtifacts('als');
      expect(all.map((a) => ({ ...a, createdAt: '' }))).toStrictEqual([
        { name: 'als', version: 2, createdAt: '', meta: { factors: 16 }, bytes: 3, checksum: blobChecksum(bytes(2, 2, 2)) },
        { name: 'als', version: 1, createdAt: '', meta: { factors: 8 }, bytes: 1, checksum: blobChecksum(bytes(1)) },
      ]);
      expect(normaliseTimestamp(all[0].createdAt)).toBe(all[0].createdAt);
      expect((await store().listArtifacts('als', { limit: 1 })).map((a) => a.version)).toEqual([2]);
      expect(await store().listArtifacts('unknown')).toEqual([]);
      // listed again after another save: every version still with its own blob's checksum (SQLite remembers them)
      await store().saveArtifact('als', bytes(3, 3));
      expect((await store().listArtifacts('als')).map((a) => [a.version, a.checksum])).toEqual([
        [3, blobChecksum(bytes(3, 3))], [2, blobChecksum(bytes(2, 2, 2))], [1, blobChecksum(bytes(1))],
      ]);
    });

    it('deletes chosen versions but always keeps the newest, so numbers are never reused', async () => {
      for (const b of [1, 2, 3, 4]) await store().saveArtifact('m', bytes(b));
      expect(await store().deleteArtifacts('m', [1, 3, 4, 99])).toBe(2);
      expect((await store().listArtifacts('m')).map((a) => a.version)).toEqual([4, 2]);
      expect(await store().loadArtifact('m', 3)).toBeUndefined();
      expect((await store().loadArtifact('m', 2))?.blob).toStrictEqual(bytes(2));
      expect(await store().saveArtifact('m', bytes(5))).toBe(5);
      await expectEngineError(store().deleteArtifacts('m', [0]), 'INVALID_INPUT');
    });

    it('rejects an empty name or a non-positive version', async () => {
      await expectEngineError(store().saveArtifact('', bytes(1)), 'INVALID_INPUT');
      await expectEngineError(store().loadArtifact('als', 0), 'INVALID_INPUT');
    });
  });

  describe('embeddings', () => {
    const vec = (...v: number[]) => new Float32Array(v);

    it('round-trips float32 vectors per provider, all items ordered by id or the requested ones in order', async () => {
      await store().putEmbeddings([
        { itemId: 'b', provider: 'minilm', textHash: 'hb', vector: vec(0.1, -2.5, 3e-8) },
        { itemId: 'a', provider: 'minilm', textHash: 'ha', vector: vec(1, 2, 3) },
        { itemId: 'a', provider: 'wink', textHash: 'ha', vector: vec(7) },
      ]);
      const all = await store().getEmbeddings('minilm');
      expect(all.map((r) => r.itemId)).toEqual(['a', 'b']);
      expect(all[1]).toStrictEqual({ itemId: 'b', provider: 'minilm', textHash: 'hb', vector: vec(0.1, -2.5, 3e-8) });
      expect((await store().getEmbeddings('minilm', ['b', 'zz', 'a'])).map((r) => r.itemId)).toEqual(['b', 'a']);
      expect(await store().getEmbeddings('wink', ['a'])).toStrictEqual([{ itemId: 'a', provider: 'wink', textHash: 'ha', vector: vec(7) }]);
      expect(await store().getEmbeddings('unknown')).toEqual([]);
    });

    it('replaces the vector of an (item, provider) when its text hash changes', async () => {
      await store().putEmbeddings([{ itemId: 'a', provider: 'p', textHash: 'old', vector: vec(1, 1) }]);
      await store().putEmbeddings([{ itemId: 'a', provider: 'p', textHash: 'new', vector: vec(2, 2) }]);
      expect(await store().getEmbeddings('p')).toStrictEqual([{ itemId: 'a', provider: 'p', textHash: 'new', vector: vec(2, 2) }]);
    });

    it('rejects a batch with an invalid vector and writes none of it', async () => {
      await expectEngineError(store().putEmbeddings([
        { itemId: 'a', provider: 'p', textHash: 'h', vector: vec(1) },
        { itemId: 'b', provider: 'p', textHash: 'h', vector: vec(NaN) },
      ]), 'INVALID_INPUT');
      await expectEngineError(store().putEmbeddings([{ itemId: 'a', provider: 'p', textHash: 'h', vector: vec() }]), 'INVALID_INPUT');
      expect(await store().getEmbeddings('p')).toEqual([]);
    });
  });

  describe('lifecycle', () => {
    it('migrate() is idempotent and keeps data', async () => {
      await store().upsertItems([{ id: 'a' }]);
      await store().migrate();
      await store().migrate();
      expect((await store().counts()).items).toBe(1);
    });

    it('close() may be called twice; calls after close reject', async () => {
      await store().close();
      await store().close();
      await expectEngineError(store().counts(), 'INTERNAL');
      await expectEngineError(store().addEvents([]), 'INTERNAL');
    });
  });
}
