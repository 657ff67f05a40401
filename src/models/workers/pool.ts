import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { EngineError } from '../../core/errors.js';
import { wasmApi, type WasmExports, type WasmMemory, type WasmModule } from '../linalg/wasm/wasm-api.js';

/** What a kernel sees: the pool's shared memory and, when the pool has a WASM module, that module's exports. */
export interface KernelEnv {
  memory: WasmMemory;
  wasm: WasmExports | undefined;
}

/**
 * A unit of work run inside a worker. It must be self-contained: no imports, no closures over module scope (its
 * source text is what the worker runs), only its arguments, `env` and globals. Nested helper functions are fine.
 */
export type Kernel<A, R> = (env: KernelEnv, args: A) => R;
// `never` args accept every kernel (parameters are contravariant), so any kernel record fits a KernelSet
export type KernelSet = Record<string, Kernel<never, unknown>>;
export type KernelArgs<F> = F extends Kernel<infer A, unknown> ? A : never;
export type KernelResult<F> = F extends Kernel<never, infer R> ? R : never;

export interface PoolOptions<K extends KernelSet> {
  kernels: K;
  /** Number of worker threads (at least 1). */
  size: number;
  memory: WasmMemory;
  /** Compiled once by the caller and instantiated in every worker over `memory`. */
  module?: WasmModule;
}

interface Reply {
  id: number;
  result?: unknown;
  error?: string;
}

/**
 * The worker bootstrap. Kernels travel as source text so workers need no file resolution and run the same from
 * compiled dist/ JS as from TypeScript under tsx or vitest. `__name` is esbuild's keep-names helper, which those
 * transforms may insert into function bodies; in a worker it only has to hand the function back.
 */
function workerSource(kernels: KernelSet): string {
  const entries = Object.entries(kernels).map(([name, fn]) => `${JSON.stringify(name)}: (${fn.toString()})`);
  return `'use strict';
const { parentPort, workerData } = require('node:worker_threads');
var __name = (target) => target;
const kernels = { ${entries.join(',\n')} };
const env = {
  memory: workerData.memory,
  wasm: workerData.module ? new WebAssembly.Instance(workerData.module, { env: { memory: workerData.memory } }).exports : undefined,
};
parentPort.on('message', (msg) => {
  let reply;
  try {
    reply = { id: msg.id, result: kernels[msg.name](env, msg.args) };
  } catch (e) {
    reply = { id: msg.id, error: String((e && e.stack) || e) };
  }
  parentPort.postMessage(reply);
});`;
}

/**
 * A fixed set of worker threads sharing one WebAssembly.Memory (a SharedArrayBuffer), each able to run the given
 * kernels. Always `close()` it (in a finally): live workers keep the process running.
 *
 * @example const pool = WorkerPool.start({ kernels: { sum }, size: 2, memory }); await pool.all('sum', (w) => ({ w })); await pool.close();
 */
export class WorkerPool<K extends KernelSet> {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private failure?: Error;

  private constructor(opts: PoolOptions<K>) {
    const source = workerSource(opts.kernels);
    this.workers = Array.from({ length: Math.max(1, Math.floor(opts.size)) }, (_, w) => {
      const worker = new Worker(source, { eval: true, workerData: { memory: opts.memory, module: opts.module } });
      worker.on('message', (reply: Reply) => this.settle(reply));
      worker.on('error', (e: Error) => this.fail(w, e));
      worker.on('exit', (code) => this.fail(w, new Error(`worker ${w} exited with code ${code}`)));
      return worker;
    });
  }

  static start<K extends KernelSet>(opts: PoolOptions<K>): WorkerPool<K> {
    return new WorkerPool(opts);
  }

  get size(): number {
    return this.workers.length;
  }

  /** Runs kernel `name` on worker `worker` and resolves with its result (rejects with the kernel's error). */
  run<N extends keyof K & string>(worker: number, name: N, args: KernelArgs<K[N]>): Promise<KernelResult<K[N]>> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<KernelResult<K[N]>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.workers[worker].postMessage({ id, name, args });
    });
  }

  /** Runs kernel `name` once on every worker, with per-worker arguments; resolves with results in worker order. */
  all<N extends keyof K & string>(name: N, argsFor: (worker: number) => KernelArgs<K[N]>): Promise<Array<KernelResult<K[N]>>> {
    return Promise.all(this.workers.map((_, w) => this.run(w, name, argsFor(w))));
  }

  /** Terminates every worker; pending calls reject. Safe to call twice. */
  async close(): Promise<void> {
    this.failure ??= new EngineError('INTERNAL', 'worker pool closed');
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private settle(reply: Reply): void {
    const call = this.pending.get(reply.id);
    if (!call) return;
    this.pending.delete(reply.id);
    if (reply.error !== undefined) call.reject(new EngineError('INTERNAL', `worker kernel failed: ${reply.error}`));
    else call.resolve(reply.result);
  }

  /** A worker died (or the pool closed): the pool is unusable from now on, and every pending call rejects. */
  private fail(worker: number, e: Error): void {
    this.failure ??= new EngineError('INTERNAL', `worker ${worker} failed: ${e.message}`);
    for (const call of this.pending.values()) call.reject(this.failure);
    this.pending.clear();
  }
}

/**
 * The environment a worker would give a kernel, built on the calling thread, so small problems can skip worker
 * start-up and call a kernel directly: `kernel(localKernelEnv(memory, module), args)`.
 *
 * @example const env = localKernelEnv(arena.memory, kernelModule());
 */
export function localKernelEnv(memory: WasmMemory, module?: WasmModule): KernelEnv {
  return { memory, wasm: module ? new wasmApi.Instance(module, { env: { memory } }).exports : undefined };
}

/**
 * Worker threads to use: the fit context's request, else the machine's cores, never below 1.
 *
 * @example threadCount(ctx.threads) // 2 on a two-core machine when unset
 */
export function threadCount(requested: number | undefined): number {
  const n = requested ?? availableParallelism();
  return Math.max(1, Math.floor(Number.isFinite(n) ? n : 1));
}
