/** The store's named leases (Store.tryLease / releaseLease): the trainer and retention locks, in the database. */
import type { Clock } from '../../core/clock.js';
import { leaseOptions } from '../../storage/lease-options.js';
import type { PgRunner } from './pool.js';

/**
 * Takes, renews or refuses the lease `name` for `holder` (see Store.tryLease) in one statement: insert, or take over
 * when expired or already ours; a live lease of another holder stays. Concurrent callers queue on the row, so one wins.
 */
export async function tryLease(db: PgRunner, clock: Clock, name: string, holder: string, ttlMs: number): Promise<boolean> {
  const wanted = leaseOptions(name, holder, ttlMs);
  const now = clock.now();
  const changed = await db.run(
    `INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, $3)
     ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
     WHERE leases.holder = excluded.holder OR leases.expires_at <= $4`,
    [wanted.name, wanted.holder, now + wanted.ttlMs, now],
  );
  return changed > 0;
}

/** Drops the lease when `holder` holds it. */
export async function releaseLease(db: PgRunner, name: string, holder: string): Promise<void> {
  const wanted = leaseOptions(name, holder);
  await db.run('DELETE FROM leases WHERE name = $1 AND holder = $2', [wanted.name, wanted.holder]);
}
