import { describe, expect, it } from 'vitest';
import { isEngineError } from '../../core/errors.js';
import type { Event } from '../../core/types.js';
import { openStore } from '../../storage/registry.js';
import type { Store } from '../../storage/store.js';
import { postgresAvailable, withTestSchema } from '../../testkit/postgres.js';
import { storesClosedAfterEach } from '../../testkit/postgres-test-stores.js';
import { allEvents } from '../../testkit/store-conformance/fixtures.js';

const available = await postgresAvailable();
const closeAfterTest = storesClosedAfterEach<Store>();

async function open(): Promise<Store> {
  return closeAfterTest(await openStore(withTestSchema()));
}

/** `n` events with client ids `e<start>`.., one per second from 2024-01-01. */
function events(start: number, n: number, extra: Partial<Event> = {}): Event[] {
  return Array.from({ length: n }, (_, k) => ({
    id: `e${start + k}`, userId: `u${(start + k) % 97}`, itemId: `i${(start + k) % 501}`, type: 'rating', value: ((start + k) % 5) + 0.5,
    timestamp: new Date(Date.UTC(2024, 0, 1) + (start + k) * 1000).toISOString(), ...extra,
  }));
}

describe.skipIf(!available)('postgres bulk import (COPY)', () => {
  it('imports batches through COPY, counting duplicates of the store, of earlier calls and within a batch', async () => {
    const store = await open();
    await store.addEvents(events(0, 100)); // e0..e99 stored before the import
    const w = await store.bulk();
    expect(await w.addEvents(events(50, 5000))).toEqual({ accepted: 4950, duplicates: 50 });
    const repeated = [...events(5000, 3000), ...events(5000, 10)]; // overlaps the previous call by 50, repeats 10 within itself
    expect(await w.addEvents(repeated)).toEqual({ accepted: 2950, duplicates: 60 });
    expect((await store.counts()).events).toBe(100); // nothing visible before commit
    await w.commit();
    expect((await store.counts()).events).toBe(8000);
    const stored = await allEvents(store);
    expect(stored.map((e) => e.id)).toEqual(events(0, 8000).map((e) => e.id));
    expect(stored[7999]).toStrictEqual({ id: 'e7999', userId: `u${7999 % 97}`, itemId: `i${7999 % 501}`, type: 'rating', value: 4.5, timestamp: '2024-01-01T02:13:19.000Z' });
  });

  it('carries text with tabs, newlines, backslashes and non-ASCII through COPY unchanged', async () => {
    const store = await open();
    const texts = ['tab\there', 'line\nbreak\r\n', 'back\\slash \\N \\t', 'naïve — 😀', '', '\\'];
    const batch = texts.map((text, k) => ({ ...events(k, 1)[0], text, sentiment: k / 10 }));
    const w = await store.bulk();
    expect(await w.addEvents(batch)).toEqual({ accepted: texts.length, duplicates: 0 });
    await w.commit();
    const stored = await allEvents(store);
    expect(stored.map((e) => e.text)).toEqual(texts);
    expect(stored.map((e) => e.sentiment)).toEqual(texts.map((_, k) => k / 10));
  });

  it('rolls a call back alone when the server refuses it, keeps the earlier ones, and rollback() leaves nothing', async () => {
    const store = await open();
    const w = await store.bulk();
    await w.upsertItems([{ id: 'kept', title: 'T' }]);
    await w.addEvents(events(0, 10));
    const err: unknown = await w.addEvents([...events(10, 5), { ...events(15, 1)[0], text: 'nul \u0000 byte' }]).catch((e: unknown) => e);
    expect(isEngineError(err) && err.code).toBe('INVALID_INPUT');
    expect(await w.addEvents(events(20, 5))).toEqual({ accepted: 5, duplicates: 0 });
    await w.commit();
    expect(await store.counts()).toEqual({ items: 1, users: 0, events: 15 });

    const w2 = await store.bulk();
    await w2.addEvents(events(100, 1000));
    await w2.upsertUsers([{ id: 'u-new' }]);
    await w2.rollback();
    expect(await store.counts()).toEqual({ items: 1, users: 0, events: 15 });
  });

  it('keeps the API serving while an import is open (the import holds its own connection)', async () => {
    const store = await open();
    const writers = await Promise.all([store.bulk(), store.bulk(), store.bulk()]); // more imports than the test pool (2) has connections
    await Promise.all(writers.map((w, k) => w.addEvents(events(k * 100, 100))));
    expect(await store.addEvents(events(1000, 3))).toEqual({ accepted: 3, duplicates: 0 });
    for (const w of writers) await w.commit();
    expect((await store.counts()).events).toBe(303);
  });
});
