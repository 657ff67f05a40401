import { describe, expect, it } from 'vitest';
import { expectEngineError, type StoreHandle } from './fixtures.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Named leases: the lock that lets one trainer among many processes train. */
export function describeLeases(store: StoreHandle): void {
  describe('leases', () => {
    it('gives a free lease to the first holder and refuses it to another while it lasts', async () => {
      expect(await store().tryLease('trainer', 'host-a:1', 60_000)).toBe(true);
      expect(await store().tryLease('trainer', 'host-b:2', 60_000)).toBe(false);
      expect(await store().tryLease('other', 'host-b:2', 60_000)).toBe(true);
    });

    it('renews the lease for the holder that has it', async () => {
      expect(await store().tryLease('trainer', 'a', 60_000)).toBe(true);
      expect(await store().tryLease('trainer', 'a', 60_000)).toBe(true);
      expect(await store().tryLease('trainer', 'b', 60_000)).toBe(false);
    });

    it('hands an expired lease to the next holder (a crashed holder does not keep it)', async () => {
      expect(await store().tryLease('trainer', 'a', 30)).toBe(true);
      await sleep(80);
      expect(await store().tryLease('trainer', 'b', 60_000)).toBe(true);
      expect(await store().tryLease('trainer', 'a', 60_000)).toBe(false);
    });

    it('releases only for the holder', async () => {
      expect(await store().tryLease('trainer', 'a', 60_000)).toBe(true);
      await store().releaseLease('trainer', 'b');
      expect(await store().tryLease('trainer', 'b', 60_000)).toBe(false);
      await store().releaseLease('trainer', 'a');
      expect(await store().tryLease('trainer', 'b', 60_000)).toBe(true);
      await store().releaseLease('never-taken', 'a'); // nothing to release: no error
    });

    it('gives a contested free lease to exactly one of many holders at once', async () => {
      const won = await Promise.all(Array.from({ length: 8 }, (_, i) => store().tryLease('race', `h${i}`, 60_000)));
      expect(won.filter(Boolean)).toHaveLength(1);
    });

    it('rejects an empty name or holder and a ttl that is not a positive whole number of milliseconds', async () => {
      await expectEngineError(store().tryLease('', 'a', 1000), 'INVALID_INPUT');
      await expectEngineError(store().tryLease('n', '', 1000), 'INVALID_INPUT');
      await expectEngineError(store().tryLease('n', 'a', 0), 'INVALID_INPUT');
      await expectEngineError(store().tryLease('n', 'a', 1.5), 'INVALID_INPUT');
    });
  });
}
