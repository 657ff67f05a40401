/**
 * Worker-thread entry of full-ranking evaluation (started by block-workers.ts; never imported by the main thread):
 * restores the model from its artifact (arrays in SharedArrayBuffers, so nothing is copied), makes its own block
 * scorer, then ranks each block of task positions the main thread sends, writing the lists into the shared task.
 * Nothing runs at import time unless this file is the entry of a worker.
 */
import { isMainThread, parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { errorMessage } from '../core/errors.js';
import { hasBlockScoring } from '../models/model.js';
import { modelDefinition } from '../models/registry.js';
import { rankBlock } from './block-ranking.js';
import type { BlockWorkerInput, BlockWorkerMessage, BlockWorkerRequest } from './block-workers.js';

function serve(input: BlockWorkerInput, port: MessagePort): void {
  const post = (m: BlockWorkerMessage): void => port.postMessage(m);
  try {
    const model = modelDefinition(input.artifact.name).restore(input.artifact);
    const scorer = hasBlockScoring(model) ? model.blockScorer() : undefined;
    if (!scorer) return post({ type: 'error', message: `model ${input.artifact.name} cannot score blocks once restored` });
    const scratch = new Float32Array(input.rows * scorer.items);
    port.on('message', (req: BlockWorkerRequest) => {
      try {
        rankBlock(scorer, input.task, req.start, req.end, scratch);
        post({ type: 'done', start: req.start, end: req.end });
      } catch (err) {
        post({ type: 'error', message: errorMessage(err) });
      }
    });
    post({ type: 'ready' });
  } catch (err) {
    post({ type: 'error', message: errorMessage(err) });
  }
}

if (!isMainThread && parentPort) serve(workerData as BlockWorkerInput, parentPort);
