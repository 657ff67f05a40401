/** The store's named leases (Store.tryLease / releaseLease): the trainer and retention locks, in the database. */
import type { Clock } from '../../core/clock.js';
import { leaseOptions } from '../../storage/lease-options.js';
import type { SqliteStatements } from './statements.js';

/** Takes, renews or refuses the lease `name` for `holder` (see Store.tryLease), in one IMMEDIATE transaction. */
export async function tryLease(sql: SqliteStatements, clock: Clock, name: string, holder: string, ttlMs: number): Promise<boolean> {
  const wanted = leaseOptions(name, holder, ttlMs);
  return sql.transaction(() => {
    const now = clock.now();
    // One statement: insert, or take over when expired or already ours; a live lease of another holder stays.
    const changed = sql.run(
      `INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
       WHERE leases.holder = excluded.holder OR leases.expires_at <= ?`,
      wanted.name, wanted.holder, now + wanted.ttlMs, now,
    );
    return changed > 0;
  }, {}); // {}: leases are not in the read cache, so a renewal keeps it
}

/** Drops the lease when `holder` holds it. */
export async function releaseLease(sql: SqliteStatements, name: string, holder: string): Promise<void> {
  const wanted = leaseOptions(name, holder);
  await sql.transaction(() => sql.run('DELETE FROM leases WHERE name = ? AND holder = ?', wanted.name, wanted.holder), {});
}
