import type { Vec } from './dense.js';

/** Where the network's layers get zeroed buffers (zerosLike by default). */
export type Allocate = <V extends Vec>(like: V, length: number) => V;

/**
 * Zeroed buffers for one shard's forward and backward pass, taken back all at once by `reset()`: the ~60 activation,
 * gradient and mask buffers of a shard (~5 MB at 400 tokens) are reused from shard to shard instead of allocated,
 * zeroed and collected each time (that cost ~8 % of an epoch). The n-th request after a reset gets the n-th buffer,
 * grown when too short, so the same sequence of shapes settles on the same buffers. Nothing handed out may be used
 * after the next reset. One per thread.
 *
 * @example const scratch = new ScratchBuffers(); scratch.reset(); const x = scratch.zeros(like, n)
 */
export class ScratchBuffers {
  private readonly f32: Float32Array[] = [];
  private readonly f64: Float64Array[] = [];
  private next32 = 0;
  private next64 = 0;

  /** An Allocate over this scratch (bound, to pass around). */
  readonly zeros: Allocate = <V extends Vec>(like: V, length: number): V => {
    if (like instanceof Float64Array) return take(this.f64, this.next64++, length, (n) => new Float64Array(n)) as V;
    return take(this.f32, this.next32++, length, (n) => new Float32Array(n)) as V;
  };

  reset(): void {
    this.next32 = 0;
    this.next64 = 0;
  }
}

function take<B extends Float32Array | Float64Array>(pool: B[], at: number, length: number, create: (n: number) => B): B {
  if (at === pool.length || pool[at].length < length) {
    // room to spare, so a slightly longer shard later does not replace it again
    pool[at] = create(Math.ceil(length * 1.25));
    return pool[at].subarray(0, length) as B;
  }
  const view = pool[at].subarray(0, length) as B;
  view.fill(0);
  return view;
}
