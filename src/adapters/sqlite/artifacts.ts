import type { Clock } from '../../core/clock.js';
import { EngineError } from '../../core/errors.js';
import { artifactMetaOption, artifactNameOption, artifactVersionOption, countOption } from '../../storage/records.js';
import { blobChecksum, verifiedArtifact } from '../../storage/artifact-checksum.js';
import type { ArtifactInfo, ArtifactRecord } from '../../storage/store.js';
import { artifactFromRow, artifactInfoFromRow, type ArtifactInfoRow, type ArtifactRow } from './rows.js';
import type { SqliteStatements } from './statements.js';

/**
 * Saves a new version of the artifact `name` (the next after its newest) and returns that version.
 *
 * @example const version = await saveArtifact(sql, clock, 'model', bytes, { kind: 'als' });
 */
export async function saveArtifact(sql: SqliteStatements, clock: Clock, name: string, blob: Uint8Array, meta?: Record<string, unknown>): Promise<number> {
  const key = artifactNameOption(name);
  if (!(blob instanceof Uint8Array)) throw new EngineError('INVALID_INPUT', 'artifact blob must be a Uint8Array', { path: '/blob' });
  const metaJson = JSON.stringify(artifactMetaOption(meta));
  const checksum = blobChecksum(blob);
  const save = () => {
    const version = (sql.row<{ v: number }>('SELECT COALESCE(MAX(version), 0) + 1 AS v FROM artifacts WHERE name = ?', key) as { v: number }).v;
    sql.run('INSERT INTO artifacts (name, version, created_at, meta, blob, checksum) VALUES (?, ?, ?, ?, ?, ?)',
      key, version, clock.now(), metaJson, Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength), checksum);
    return version;
  };
  // IMMEDIATE (as every write here): another process saving the same name at once cannot pick the same version.
  return sql.transaction(save, {}); // {}: artifacts are not in the read cache
}

/** The given version of `name`, or its newest when `version` is left out. */
export async function loadArtifact(sql: SqliteStatements, name: string, version?: number): Promise<ArtifactRecord | undefined> {
  const key = artifactNameOption(name);
  const wanted = artifactVersionOption(version);
  const cols = 'name, version, created_at, meta, blob, checksum';
  const row = wanted === undefined
    ? await sql.get<ArtifactRow>(`SELECT ${cols} FROM artifacts WHERE name = ? ORDER BY version DESC LIMIT 1`, key)
    : await sql.get<ArtifactRow>(`SELECT ${cols} FROM artifacts WHERE name = ? AND version = ?`, key, wanted);
  return row && verifiedArtifact(artifactFromRow(row));
}

/**
 * The checksums already read, per connection, by name, version and creation time. A stored version is never changed
 * (versions are only added and deleted, and the newest is never deleted, so a number is never reused), so its checksum
 * is read once: it sits after the blob in the row (SQLite migration 7 added the column), and reading it walks the
 * blob's overflow pages, 120-550 ms for a 300 MB bundle, which the model poll did every few seconds on the request
 * thread.
 */
const checksumsRead = new WeakMap<SqliteStatements, Map<string, string | null>>();

/** The versions of `name`, newest first, without their blobs. */
export async function listArtifacts(sql: SqliteStatements, name: string, opts: { limit?: number } = {}): Promise<ArtifactInfo[]> {
  const key = artifactNameOption(name);
  const limit = countOption(opts.limit, '/limit') ?? -1; // LIMIT -1: no limit
  // Reads the primary key and meta only: length(blob) comes from the record header, the blob is not loaded.
  const rows = await sql.all<Omit<ArtifactInfoRow, 'checksum'>>(
    'SELECT name, version, created_at, meta, length(blob) AS bytes FROM artifacts WHERE name = ? ORDER BY version DESC LIMIT ?', key, limit,
  );
  const known = checksumsRead.get(sql) ?? new Map<string, string | null>();
  checksumsRead.set(sql, known);
  const out: ArtifactInfo[] = [];
  for (const row of rows) {
    const id = `${row.name}\u0000${row.version}\u0000${row.created_at}`;
    let checksum = known.get(id);
    if (checksum === undefined) {
      const read = await sql.get<{ checksum: string | null }>('SELECT checksum FROM artifacts WHERE name = ? AND version = ?', key, row.version);
      if (!read) continue; // deleted between the two reads
      checksum = read.checksum;
      known.set(id, checksum);
    }
    out.push(artifactInfoFromRow({ ...row, checksum }));
  }
  return out;
}

/** Deletes the given versions of `name` except its newest; returns how many went. */
export async function deleteArtifacts(sql: SqliteStatements, name: string, versions: number[]): Promise<number> {
  const key = artifactNameOption(name);
  const wanted = versions.map((v) => artifactVersionOption(v) as number);
  return sql.transaction(() => {
    const newest = (sql.row<{ v: number | null }>('SELECT MAX(version) AS v FROM artifacts WHERE name = ?', key) as { v: number | null }).v;
    let deleted = 0;
    for (const v of wanted) if (v !== newest) deleted += sql.run('DELETE FROM artifacts WHERE name = ? AND version = ?', key, v);
    return deleted;
  }, {});
}
