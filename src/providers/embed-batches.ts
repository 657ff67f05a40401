/**
 * The batching shared by embedding providers. Remote and model-backed ones (`embedInBatches`): texts without
 * letters or digits get the zero vector and are never sent (remote APIs reject empty input), the rest go out in
 * batches that run under a concurrency limit, and results come back in input order. In-process CPU encoders
 * (`encodeInSlices`): texts are encoded in order, yielding to the event loop between slices.
 */
import { setMaxListeners } from 'node:events';
import type { ConcurrencyLimit } from './concurrency-limit.js';
import { hasNoContent } from './text/tokenize.js';
import { throwIfAborted, yieldToEventLoop } from './vectors.js';

export interface EmbedInBatchesOptions {
  dimensions: number;
  batchSize: number;
  /** Bounds batches in flight; omit when `embedBatch` is already limited (e.g. by the HTTP client). */
  limit?: ConcurrencyLimit;
  signal?: AbortSignal;
}

/**
 * Embeds `texts` with `embedBatch`, in order.
 *
 * @example await embedInBatches(texts, (batch, signal) => callApi(batch, signal), { dimensions: 1536, batchSize: 64 });
 */
export async function embedInBatches(
  texts: string[],
  embedBatch: (batch: string[], signal?: AbortSignal) => Promise<Float32Array[]>,
  opts: EmbedInBatchesOptions,
): Promise<Float32Array[]> {
  throwIfAborted(opts.signal, 'embedding');
  const out: Float32Array[] = new Array<Float32Array>(texts.length);
  const pending: number[] = [];
  texts.forEach((text, i) => {
    if (hasNoContent(text)) out[i] = new Float32Array(opts.dimensions);
    else pending.push(i);
  });
  const batches: number[][] = [];
  for (let start = 0; start < pending.length; start += opts.batchSize) batches.push(pending.slice(start, start + opts.batchSize));
  // The first failing batch cancels its siblings instead of letting them spend requests on a lost call.
  const siblings = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, siblings.signal]) : siblings.signal;
  // Each waiting batch listens on this signal (limiter + request timeout): many listeners here are expected.
  setMaxListeners(Math.max(10, 2 * batches.length + 4), signal);
  let firstFailure: unknown;
  const runBatch = async (batch: number[]): Promise<void> => {
    throwIfAborted(signal, 'embedding');
    try {
      const vectors = await embedBatch(batch.map((i) => texts[i]), signal);
      batch.forEach((textIndex, k) => { out[textIndex] = vectors[k]; });
    } catch (e) {
      firstFailure ??= e;
      siblings.abort(); // at once, before the limiter hands this slot to a queued sibling
      throw e;
    }
  };
  try {
    await Promise.all(batches.map((batch) => (opts.limit ? opts.limit.run(() => runBatch(batch), signal) : runBatch(batch))));
  } catch (e) {
    throw firstFailure ?? e; // the cause, not a sibling's cancellation
  }
  throwIfAborted(opts.signal, 'embedding');
  return out;
}

/**
 * Encodes `texts` in order with a synchronous in-process encoder, `sliceSize` texts at a time, yielding to the event
 * loop between slices so a long call neither starves I/O nor misses an abort (EngineError CANCELLED).
 *
 * @example await encodeInSlices(texts, (text) => ngramVector(text, 256), 512, signal);
 */
export async function encodeInSlices(
  texts: string[],
  encode: (text: string) => Float32Array,
  sliceSize: number,
  signal?: AbortSignal,
): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (let start = 0; start < texts.length; start += sliceSize) {
    if (start > 0) await yieldToEventLoop();
    throwIfAborted(signal, 'embedding');
    for (const text of texts.slice(start, start + sliceSize)) out.push(encode(text));
  }
  throwIfAborted(signal, 'embedding');
  return out;
}
