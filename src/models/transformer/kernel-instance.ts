import { EngineError } from '../../core/errors.js';
import { transformerKernelModule, type TransformerKernelExports } from '../linalg/wasm/transformer-kernels.js';
import { wasmApi, type WasmMemory } from '../linalg/wasm/wasm-api.js';

const PAGE = 65_536;

/**
 * One private instance of the Transformer's WebAssembly kernels over its own memory, replaced by a larger one (at
 * least double) when a call needs more bytes, so steady training allocates nothing.
 *
 * @example const inst = new TransformerKernelInstance(); const kernels = inst.ensure(1 << 20); const mem = inst.floats();
 */
export class TransformerKernelInstance {
  private memory?: WasmMemory;
  private kernels?: TransformerKernelExports;
  private bytes = 0;

  /** The kernels over a memory of at least `bytes`. */
  ensure(bytes: number): TransformerKernelExports {
    if (!this.kernels || bytes > this.bytes) {
      const pages = Math.ceil(Math.max(bytes, 2 * this.bytes) / PAGE);
      this.memory = new wasmApi.Memory({ initial: pages });
      this.kernels = new wasmApi.Instance(transformerKernelModule(), { env: { memory: this.memory } }).exports as unknown as TransformerKernelExports;
      this.bytes = pages * PAGE;
    }
    return this.kernels;
  }

  /** A float32 view of the current memory (call after ensure: a larger instance has a new memory). */
  floats(): Float32Array {
    if (!this.memory) throw new EngineError('INTERNAL', 'TransformerKernelInstance.floats() before ensure()');
    return new Float32Array(this.memory.buffer);
  }
}
