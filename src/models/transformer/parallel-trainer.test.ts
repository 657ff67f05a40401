import type { Worker } from 'node:worker_threads';
import { describe, expect, it, vi } from 'vitest';
import { EngineError } from '../../core/errors.js';
import type { FitControl } from '../fit-control.js';
import { mulberry32 } from '../linalg/random.js';
import { shardWindows } from './gradient-shards.js';
import { WorkerShardTrainer } from './parallel-trainer.js';
import { initialParameters, type NetworkShape } from './parameters.js';
import { trainNetwork, type TrainingOptions } from './train.js';

const shape: NetworkShape = { items: 40, width: 16, heads: 2, blocks: 2, maxLength: 10, hidden: 16 };

/** Users with popularity-skewed random histories of 5..30 items (fixed seed). */
function sequences(users: number): Int32Array[] {
  const rand = mulberry32(5);
  return Array.from({ length: users }, () => Int32Array.from({ length: 5 + Math.floor(rand() * 26) }, () => Math.floor(shape.items * rand() ** 2)));
}

const options = (threads: number): TrainingOptions => ({
  epochs: 2, batchSize: 3 * shardWindows(shape.maxLength), learningRate: 0.01, weightDecay: 0.01, dropout: 0.2, negatives: 12, seed: 9, threads,
  // the next-3 loss, so its extra batch fields travel to the workers too
  targetWindow: 3, targetDecay: 0.5,
});

/** A FitControl that counts steps and, from step `cancelAt` on, throws as an aborted fit does. */
function control(cancelAt = Infinity): FitControl & { steps: number } {
  const c = {
    steps: 0,
    check: () => undefined,
    step: (done: number) => {
      c.steps = done;
      if (done >= cancelAt) return Promise.reject(new EngineError('CANCELLED', 'model fit was cancelled'));
      return Promise.resolve();
    },
    report: () => Promise.resolve(),
    finish: () => undefined,
  };
  return c;
}

// every worker the trainer starts, to check none outlives its training (a stopped worker's threadId is -1)
const started = vi.hoisted(() => [] as Worker[]);
vi.mock('../../core/module-worker.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../core/module-worker.js')>();
  return { ...real, startModuleWorker: (callerUrl: string, name: string, data: unknown) => { const w = real.startModuleWorker(callerUrl, name, data); started.push(w); return w; } };
});
const liveWorkers = (): number => started.filter((w) => w.threadId !== -1).length;

describe('transformer: data-parallel training', () => {
  it('gives identical weights and losses on one, two and three worker threads', async () => {
    const data = sequences(240);
    const fit = async (threads: number) => {
      const p = initialParameters(shape, mulberry32(1));
      const report = await trainNetwork(p, shape, data, options(threads), control());
      return { weights: p.flat, losses: report.losses, steps: report.steps };
    };
    const one = await fit(1);
    const two = await fit(2);
    const three = await fit(3);
    expect(one.steps).toBeGreaterThan(2);
    expect(one.losses[1]).toBeLessThan(one.losses[0]);
    expect(two.losses).toEqual(one.losses);
    expect(three.losses).toEqual(one.losses);
    expect(Array.from(two.weights)).toEqual(Array.from(one.weights));
    expect(Array.from(three.weights)).toEqual(Array.from(one.weights));
    expect(started.length).toBe(2 + 3);
    expect(liveWorkers()).toBe(0);
  }, 60_000);

  it('stops at a cancelled step and terminates its workers', async () => {
    const p = initialParameters(shape, mulberry32(1));
    const ctl = control(3);
    const before0 = started.length;
    await expect(trainNetwork(p, shape, sequences(240), options(2), ctl)).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(ctl.steps).toBe(3);
    expect(started.length).toBe(before0 + 2);
    expect(liveWorkers()).toBe(0);
  }, 60_000);

  it('rejects a step once its workers are closed', async () => {
    const p = initialParameters(shape, mulberry32(1));
    const workers = WorkerShardTrainer.start(p, shape, { learningRate: 0.01, beta1: 0.9, beta2: 0.98, epsilon: 1e-8, weightDecay: 0 }, 2, 2);
    await workers.close();
    await expect(workers.step({ dropout: 0, shards: [], shares: [] })).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(liveWorkers()).toBe(0);
  });
});
