import { createHash } from 'node:crypto';
import { EngineError } from '../core/errors.js';
import type { ArtifactRecord } from './store.js';

/** sha256 (hex) of an artifact's blob, as every adapter stores it beside the blob. */
export function blobChecksum(blob: Uint8Array): string {
  return createHash('sha256').update(blob).digest('hex');
}

/**
 * The record when its blob still matches the checksum saved with it (or it has none: stored before checksums);
 * otherwise EngineError STORE_CORRUPT naming the artifact, so a damaged model is refused and the old one keeps serving.
 *
 * @example return verifiedArtifact(artifactFromRow(row));
 */
export function verifiedArtifact(record: ArtifactRecord): ArtifactRecord {
  if (record.checksum !== undefined && blobChecksum(record.blob) !== record.checksum) {
    throw new EngineError('STORE_CORRUPT', `stored artifact ${record.name} version ${record.version} does not match its checksum`, { name: record.name, version: record.version });
  }
  return record;
}
