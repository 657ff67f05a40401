import { wasmApi, type WasmMemory } from './wasm/wasm-api.js';

/** Element types a shared block can hold. */
export type BlockType = 'f32' | 'f64' | 'i32';
type ViewOf<T extends BlockType> = T extends 'f32' ? Float32Array : T extends 'f64' ? Float64Array : Int32Array;

/** One array inside the shared memory: its byte offset (what kernels take) and a view for this thread. */
export interface SharedBlock<V> {
  ptr: number;
  length: number;
  view: V;
}

export type LayoutSpec = Record<string, readonly [BlockType, number]>;
export type SharedLayout<L extends LayoutSpec> = {
  memory: WasmMemory;
  blocks: { [K in keyof L]: SharedBlock<ViewOf<L[K][0]>> };
};

const PAGE = 65_536;
const MAX_PAGES = 65_536; // wasm32: 4 GiB
const ALIGN = 64; // a cache line: blocks never share one

/**
 * Lays out named typed arrays in one fresh shared WebAssembly.Memory (a SharedArrayBuffer) that WASM kernels and
 * worker threads address by byte offset. Sizes are fixed up front: the memory never grows, so views stay valid.
 * Throws RangeError beyond 4 GiB.
 *
 * @example const { memory, blocks } = sharedLayout({ a: ['f64', n * n], rows: ['i32', n + 1] }); blocks.a.view[0] = 1;
 */
export function sharedLayout<L extends LayoutSpec>(spec: L): SharedLayout<L> {
  const offsets: Array<[string, BlockType, number, number]> = [];
  let top = ALIGN; // keep address 0 unused so a zero pointer is never a live block
  for (const [name, [type, length]] of Object.entries(spec)) {
    if (!Number.isInteger(length) || length < 0) throw new RangeError(`shared block ${name} has invalid length ${length}`);
    offsets.push([name, type, top, length]);
    top += Math.ceil((length * bytesPer(type)) / ALIGN) * ALIGN;
  }
  const pages = Math.max(1, Math.ceil(top / PAGE));
  if (pages > MAX_PAGES) throw new RangeError(`shared memory of ${top} bytes exceeds the 4 GiB WebAssembly limit`);
  const memory = new wasmApi.Memory({ initial: pages, maximum: pages, shared: true });
  const blocks: Record<string, SharedBlock<Float32Array | Float64Array | Int32Array>> = {};
  for (const [name, type, ptr, length] of offsets) blocks[name] = { ptr, length, view: viewAt(memory, type, ptr, length) };
  return { memory, blocks } as SharedLayout<L>;
}

function bytesPer(type: BlockType): number {
  return type === 'f64' ? 8 : 4;
}

function viewAt(memory: WasmMemory, type: BlockType, ptr: number, length: number): Float32Array | Float64Array | Int32Array {
  if (type === 'f64') return new Float64Array(memory.buffer, ptr, length);
  if (type === 'f32') return new Float32Array(memory.buffer, ptr, length);
  return new Int32Array(memory.buffer, ptr, length);
}
