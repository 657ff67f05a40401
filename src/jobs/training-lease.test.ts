import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../core/clock.js';
import { silentLogger } from '../core/logger.js';
import { MemoryStore } from '../storage/memory/memory-store.js';
import { expectEngineError } from '../testkit/store-conformance/fixtures.js';
import { leaseHolderId, takeTrainerLease, TRAINER_LEASE, type HeldLease } from './training-lease.js';

describe('the trainer lease', () => {
  const held: HeldLease[] = [];
  afterEach(async () => {
    for (const lease of held.splice(0)) await lease.release();
  });

  it('holder ids name the host and process and differ per call', () => {
    const [a, b] = [leaseHolderId(), leaseHolderId()];
    expect(a).toMatch(new RegExp(`^[^:]+:${process.pid}:[0-9a-f]{8}$`));
    expect(a).not.toBe(b);
  });

  it('is renewed while held, so it outlives its ttl; released, another holder takes it', async () => {
    const clock = fixedClock(0);
    const store = new MemoryStore({ clock });
    let renewals = 0;
    const tryLease = store.tryLease.bind(store);
    store.tryLease = (name, holder, ttlMs) => {
      if (holder === 'a') renewals++;
      return tryLease(name, holder, ttlMs);
    };
    const lease = await takeTrainerLease(store, 'a', 90, silentLogger);
    held.push(lease);
    await expectEngineError(takeTrainerLease(store, 'b', 90, silentLogger), 'CONFLICT');
    // After each renewal the store's "now" moves 60 ms on: 150 ms past the first take, the lease still holds.
    for (let step = 1; step <= 5; step++) {
      const before = renewals;
      await expect.poll(() => renewals).toBeGreaterThan(before); // renewed at the current "now"
      clock.advance(60);
      expect(await store.tryLease(TRAINER_LEASE, 'b', 90)).toBe(false);
    }
    expect(lease.lost.aborted).toBe(false);
    await lease.release();
    expect(await store.tryLease(TRAINER_LEASE, 'b', 90)).toBe(true);
  });

  it('signals `lost` (CONFLICT) when another holder took it after it ran out', async () => {
    const clock = fixedClock(0);
    const store = new MemoryStore({ clock });
    const lease = await takeTrainerLease(store, 'a', 60, silentLogger);
    held.push(lease);
    clock.advance(1000); // a stalled holder: its lease ran out before it could renew
    expect(await store.tryLease(TRAINER_LEASE, 'b', 60_000)).toBe(true);
    await expect.poll(() => lease.lost.aborted).toBe(true);
    expect(lease.lost.reason).toMatchObject({ code: 'CONFLICT', details: { lease: TRAINER_LEASE } });
  });
});
