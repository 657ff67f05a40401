import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../storage/registry.js';
import { dropTestSchemas, postgresAvailable, withTestSchema } from '../../testkit/postgres.js';
import { spawnStoreChild } from '../../testkit/store-child.js';
import { allEvents } from '../../testkit/store-conformance/fixtures.js';

const available = await postgresAvailable();
const dir = mkdtempSync(join(tmpdir(), 'kindred-pg-kill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(dropTestSchemas);

describe.skipIf(!available)('postgres: SIGKILL of a server during writes', () => {
  it('every acknowledged event is stored; the open import leaves nothing; the store stays usable', async () => {
    const url = withTestSchema();
    const store = await openStore(url);
    // An open import of 5,000 events, then API batches of 10 acknowledged one by one on stdout, until killed.
    const { child, stderr, exited } = spawnStoreChild(dir, 'writer', `
      const ev = (id, n) => ({ id, userId: 'u' + (n % 7), itemId: 'i' + (n % 11), type: 'view', timestamp: new Date(1e12 + n).toISOString() });
      const w = await store.bulk();
      for (let b = 0; b < 5; b++) await w.addEvents(Array.from({ length: 1000 }, (_, i) => ev('bulk-' + b + '-' + i, i)));
      process.stdout.write('READY\\n');
      for (let b = 0; ; b++) {
        await store.addEvents(Array.from({ length: 10 }, (_, i) => ev('api-' + b + '-' + i, b * 10 + i)));
        process.stdout.write('ACK ' + b + '\\n');
      }
    `, url);
    const acked: number[] = [];
    await new Promise<void>((resolve, reject) => {
      let buffered = '';
      child.stdout.on('data', (d: Buffer) => {
        buffered += d.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) if (line.startsWith('ACK ')) acked.push(Number(line.slice(4)));
        if (acked.length >= 20) resolve();
      });
      child.on('exit', (code) => reject(new Error(`writer exited early (${code}): ${stderr()}`)));
    });
    process.kill(child.pid as number, 'SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const stored = new Set((await allEvents(store)).map((e) => e.id));
    const missing = acked.flatMap((b) => Array.from({ length: 10 }, (_, i) => `api-${b}-${i}`)).filter((id) => !stored.has(id));
    expect(missing).toEqual([]);
    expect([...stored].filter((id) => id.startsWith('bulk-'))).toEqual([]);
    const w = await store.bulk();
    expect(await w.addEvents([{ id: 'after', userId: 'u', itemId: 'i', type: 'view', timestamp: '2024-01-01T00:00:00Z' }])).toEqual({ accepted: 1, duplicates: 0 });
    await w.commit();
    expect((await store.history('u')).map((e) => e.id)).toEqual(['after']);
    await store.close();
  });
});
