import { describe, expect, it } from 'vitest';
import { ARTIFACTS_CHANNEL, hasNotices, ITEMS_CHANNEL, type StoreNotices } from '../../storage/notices.js';
import { openStore } from '../../storage/registry.js';
import type { Store } from '../../storage/store.js';
import { postgresAvailable, withAdminClient, withTestSchema } from '../../testkit/postgres.js';
import { storesClosedAfterEach } from '../../testkit/postgres-test-stores.js';
import { applicationName } from './pool.js';

const available = await postgresAvailable();
const closeAfterTest = storesClosedAfterEach<Store>();

async function open(url: string): Promise<Store & StoreNotices> {
  const store = closeAfterTest(await openStore(url));
  if (!hasNotices(store)) throw new Error('a postgres store has notices');
  return store;
}

/** Collects a channel's payloads; `next()` resolves with the next one to arrive (or one already waiting). */
async function inbox(store: StoreNotices, channel: string): Promise<{ got: string[]; next: () => Promise<string> }> {
  const got: string[] = [];
  const waiting: Array<(p: string) => void> = [];
  let read = 0;
  await store.listen(channel, (p) => {
    got.push(p);
    waiting.shift()?.(got[read++]);
  });
  const next = () => (read < got.length ? Promise.resolve(got[read++]) : new Promise<string>((resolve) => waiting.push(resolve)));
  return { got, next };
}

describe.skipIf(!available)('postgres notices (LISTEN/NOTIFY)', () => {
  it('a saved artifact is announced to every store on the schema, and to none on another schema', async () => {
    const url = withTestSchema();
    const [saver, server] = [await open(url), await open(url)];
    const elsewhere = await open(withTestSchema());
    const heard = await inbox(server, ARTIFACTS_CHANNEL);
    const own = await inbox(saver, ARTIFACTS_CHANNEL);
    const other = await inbox(elsewhere, ARTIFACTS_CHANNEL);
    expect(await saver.saveArtifact('bundle', new Uint8Array([1]))).toBe(1);
    expect(await heard.next()).toBe('bundle:1');
    expect(await own.next()).toBe('bundle:1');
    // Notices reach listeners in commit order: once the other schema's own marker arrived, the save would have too.
    await elsewhere.notify(ARTIFACTS_CHANNEL, 'marker:1');
    expect(await other.next()).toBe('marker:1');
    expect(other.got).toEqual(['marker:1']);
  });

  it('notify/listen pass any channel; the function listen returns stops the calls', async () => {
    const url = withTestSchema();
    const [a, b] = [await open(url), await open(url)];
    const seen: string[] = [];
    const stop = await b.listen(ITEMS_CHANNEL, (p) => seen.push(p));
    const items = await inbox(b, ITEMS_CHANNEL);
    await a.notify(ITEMS_CHANNEL, 'one');
    expect(await items.next()).toBe('one');
    await stop();
    await a.notify(ITEMS_CHANNEL, 'two');
    expect(await items.next()).toBe('two');
    expect(seen).toEqual(['one']);
  });

  it('listens again by itself after its connection is terminated', async () => {
    const url = withTestSchema();
    const [a, b] = [await open(url), await open(url)];
    const heard = await inbox(b, ARTIFACTS_CHANNEL);
    const terminated = await withAdminClient(async (c) => (await c.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND query ILIKE 'LISTEN%'",
      [applicationName(new URL(url).searchParams.get('schema') ?? '')])).rowCount);
    expect(terminated).toBe(1);
    // Saves while the listener is away may be missed (the contract allows it): keep saving until one is heard.
    let version = 0;
    while (heard.got.length === 0) {
      version = await a.saveArtifact('bundle', new Uint8Array([version]));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(heard.got[0]).toMatch(/^bundle:\d+$/);
    expect(Number(heard.got[0].split(':')[1])).toBeLessThanOrEqual(version);
  });
});
