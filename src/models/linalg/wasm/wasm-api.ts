/**
 * The slice of the WebAssembly JavaScript API that the kernels use, typed here because TypeScript ships those types
 * only in lib.dom, which this Node project does not load. Reading a global is not I/O: this is safe at import time.
 */
export interface WasmMemory {
  /** A SharedArrayBuffer for shared memories. */
  readonly buffer: ArrayBufferLike;
}

/** A compiled module: opaque, cloneable to worker threads. */
export interface WasmModule {
  readonly [Symbol.toStringTag]: string;
}

export type WasmExports = Record<string, unknown>;

interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: Record<string, Record<string, unknown>>) => { readonly exports: WasmExports };
  validate(bytes: Uint8Array): boolean;
}

/** The runtime's WebAssembly namespace, typed. */
export const wasmApi: WasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
