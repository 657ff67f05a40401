import type { Clock } from '../../core/clock.js';
import { EngineError } from '../../core/errors.js';
import { blobChecksum, verifiedArtifact } from '../../storage/artifact-checksum.js';
import { artifactMetaOption, artifactNameOption, artifactVersionOption, countOption } from '../../storage/records.js';
import type { ArtifactInfo, ArtifactRecord } from '../../storage/store.js';
import type { PgRunner } from './pool.js';
import { artifactFromRow, artifactInfoFromRow, type ArtifactInfoRow, type ArtifactRow } from './rows.js';

/**
 * Saves a new version of the artifact `name` (the next after its newest) and returns that version. Servers saving
 * the same name at once queue on an advisory lock for that name, so no two pick one number. The ARTIFACTS_CHANNEL
 * notice `<name>:<version>` is sent in the same transaction: listeners hear of the version only once it is committed.
 *
 * @example const version = await saveArtifact(db, clock, 'kindred_ab12_artifacts', 'model', bytes, { kind: 'als' });
 */
export async function saveArtifact(
  db: PgRunner, clock: Clock, artifactsChannel: string, name: string, blob: Uint8Array, meta?: Record<string, unknown>,
): Promise<number> {
  const key = artifactNameOption(name);
  if (!(blob instanceof Uint8Array)) throw new EngineError('INVALID_INPUT', 'artifact blob must be a Uint8Array', { path: '/blob' });
  const metaJson = JSON.stringify(artifactMetaOption(meta));
  const checksum = blobChecksum(blob);
  const bytes = Buffer.from(blob); // our own copy: the caller may change theirs while the write is in flight
  return db.transaction(async (tx) => {
    await tx.run("SELECT pg_advisory_xact_lock(hashtextextended('kindred-artifact:' || current_schema() || ':' || $1, 0))", [key]);
    const [{ v }] = await tx.rows<{ v: number }>('SELECT COALESCE(MAX(version), 0) + 1 AS v FROM artifacts WHERE name = $1', [key]);
    await tx.run('INSERT INTO artifacts (name, version, created_at, meta, blob, checksum) VALUES ($1, $2, $3, $4, $5, $6)',
      [key, v, clock.now(), metaJson, bytes, checksum]);
    await tx.run('SELECT pg_notify($1, $2)', [artifactsChannel, `${key}:${v}`]);
    return v;
  });
}

/** The given version of `name`, or its newest when `version` is left out; refused (STORE_CORRUPT) when its checksum no longer matches. */
export async function loadArtifact(db: PgRunner, name: string, version?: number): Promise<ArtifactRecord | undefined> {
  const key = artifactNameOption(name);
  const wanted = artifactVersionOption(version);
  const cols = 'name, version, created_at, meta, blob, checksum';
  const [row] = wanted === undefined
    ? await db.rows<ArtifactRow>(`SELECT ${cols} FROM artifacts WHERE name = $1 ORDER BY version DESC LIMIT 1`, [key])
    : await db.rows<ArtifactRow>(`SELECT ${cols} FROM artifacts WHERE name = $1 AND version = $2`, [key, wanted]);
  return row && verifiedArtifact(artifactFromRow(row));
}

/** The versions of `name`, newest first, without their blobs (octet_length reads the stored size, not the blob). */
export async function listArtifacts(db: PgRunner, name: string, opts: { limit?: number } = {}): Promise<ArtifactInfo[]> {
  const key = artifactNameOption(name);
  const limit = countOption(opts.limit, '/limit') ?? null; // LIMIT NULL: no limit
  const rows = await db.rows<ArtifactInfoRow>(
    'SELECT name, version, created_at, meta, octet_length(blob) AS bytes, checksum FROM artifacts WHERE name = $1 ORDER BY version DESC LIMIT $2', [key, limit],
  );
  return rows.map(artifactInfoFromRow);
}

/** Deletes the given versions of `name` except its newest; returns how many went. */
export async function deleteArtifacts(db: PgRunner, name: string, versions: number[]): Promise<number> {
  const key = artifactNameOption(name);
  const wanted = versions.map((v) => artifactVersionOption(v) as number);
  return db.transaction(async (tx) => {
    await tx.run("SELECT pg_advisory_xact_lock(hashtextextended('kindred-artifact:' || current_schema() || ':' || $1, 0))", [key]);
    return tx.run(`DELETE FROM artifacts WHERE name = $1 AND version = ANY($2::int[])
      AND version <> (SELECT MAX(version) FROM artifacts WHERE name = $1)`, [key, wanted]);
  });
}
