/**
 * Training requests queued in the store: an API server (`serve --role api`) never fits, it stores the request and the
 * trainer (trainer-role.ts) fits it. Kept as artifacts (no schema change, every adapter has them, and saving one is
 * the ARTIFACTS_CHANNEL notice a trainer on PostgreSQL wakes up on): each request is a version of `train.request`,
 * and `train.handled` records the last request version the trainer finished with, so a trainer restarted after a
 * crash picks up exactly the requests not yet handled.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import type { QueuedTraining, TrainOptions } from '../engine-types.js';
import type { Store } from '../storage/store.js';

export const TRAIN_REQUEST_ARTIFACT = 'train.request';
export const TRAIN_HANDLED_ARTIFACT = 'train.handled';

/** The options a queued request carries (the plain-data part of TrainOptions). */
export type QueuedTrainOptions = Pick<TrainOptions, 'model' | 'params' | 'tune' | 'budgetSeconds'>;

/** One queued request as the trainer reads it. */
export interface PendingTraining {
  /** The request's version of TRAIN_REQUEST_ARTIFACT: requests are handled in this order. */
  seq: number;
  jobId: string;
  options: QueuedTrainOptions;
}

const EMPTY = new Uint8Array(0);

/**
 * Stores a training request for the trainer. The caller checks the options first (trainingRequest) so a bad request
 * is refused at once, not by the trainer later.
 *
 * @example const { jobId } = await queueTraining(store, { model: 'ease' }, clock);
 */
export async function queueTraining(store: Store, options: QueuedTrainOptions, clock: Clock, jobId: string = randomUUID()): Promise<QueuedTraining> {
  const queuedAt = new Date(clock.now()).toISOString();
  const plain = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  await store.saveArtifact(TRAIN_REQUEST_ARTIFACT, EMPTY, { jobId, queuedAt, options: plain });
  return { jobId, queuedAt, status: 'queued' };
}

/** The requests not handled yet, oldest first. */
export async function pendingTrainings(store: Store): Promise<PendingTraining[]> {
  const [handled] = await store.listArtifacts(TRAIN_HANDLED_ARTIFACT, { limit: 1 });
  const upTo = typeof handled?.meta.request === 'number' ? handled.meta.request : 0;
  const [newest] = await store.listArtifacts(TRAIN_REQUEST_ARTIFACT, { limit: 1 });
  if (!newest || newest.version <= upTo) return []; // the cheap poll: two one-row reads
  return (await store.listArtifacts(TRAIN_REQUEST_ARTIFACT))
    .filter((a) => a.version > upTo)
    .reverse()
    .map((a) => ({ seq: a.version, jobId: typeof a.meta.jobId === 'string' ? a.meta.jobId : `request-${a.version}`, options: (a.meta.options ?? {}) as QueuedTrainOptions }));
}

/**
 * Records that the trainer is done with a request (trained: the version; failed: the error code), then drops the
 * handled requests and older records (the newest of each is always kept, so versions are never reused).
 */
export async function markTrainingHandled(store: Store, request: PendingTraining, outcome: { version: number } | { error: string }): Promise<void> {
  await store.saveArtifact(TRAIN_HANDLED_ARTIFACT, EMPTY, { request: request.seq, jobId: request.jobId, ...outcome });
  const handled = (await store.listArtifacts(TRAIN_HANDLED_ARTIFACT)).slice(10).map((a) => a.version);
  if (handled.length > 0) await store.deleteArtifacts(TRAIN_HANDLED_ARTIFACT, handled);
  const done = (await store.listArtifacts(TRAIN_REQUEST_ARTIFACT)).filter((a) => a.version <= request.seq).map((a) => a.version);
  if (done.length > 0) await store.deleteArtifacts(TRAIN_REQUEST_ARTIFACT, done);
}
