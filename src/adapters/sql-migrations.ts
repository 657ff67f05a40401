/** What the SQL adapters' migration runners (sqlite/, postgres/) share: the step's shape and which steps are pending. */
import { EngineError } from '../core/errors.js';

/** One schema step. Versions are consecutive from 1; a released migration is never edited, only followed. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The steps of `migrations` not in `done`, in order. Throws INTERNAL when the versions are not consecutive from 1,
 * and CONFLICT when the database was migrated by a newer Kindred (a version beyond the list).
 *
 * @example pendingMigrations(MIGRATIONS, [1, 2]) // the steps from version 3 on
 */
export function pendingMigrations(migrations: readonly Migration[], done: readonly number[]): Migration[] {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new EngineError('INTERNAL', `migration versions must be consecutive from 1 (found ${m.version} at ${i})`);
  });
  const newest = Math.max(0, ...done);
  if (newest > migrations.length) {
    throw new EngineError('CONFLICT', `database schema version ${newest} is newer than this version of Kindred supports (${migrations.length})`);
  }
  return migrations.filter((m) => !done.includes(m.version));
}
