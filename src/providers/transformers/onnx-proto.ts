/**
 * A minimal ONNX protobuf writer: just enough of ModelProto (one graph of plain nodes, float/int64 initialisers,
 * tensor inputs/outputs with symbolic dimensions) to build tiny test models without Python or protobuf libraries.
 * Field numbers follow onnx/onnx.proto (IR version 8).
 */

export type OnnxDim = number | string;
export interface OnnxValueInfo { name: string; elemType: 'float' | 'int64'; shape: OnnxDim[] }
export interface OnnxTensor { name: string; dims: number[]; floats: Float32Array }
export interface OnnxNode { opType: string; inputs: string[]; outputs: string[]; name: string; intAttributes?: Record<string, number[]> }
export interface OnnxGraph { name: string; nodes: OnnxNode[]; initializers: OnnxTensor[]; inputs: OnnxValueInfo[]; outputs: OnnxValueInfo[] }

const ELEM_TYPE = { float: 1, int64: 7 } as const;
const ATTRIBUTE_INTS = 7;

/** Append-only protobuf encoder for the wire types ONNX needs (varint and length-delimited). */
class ProtoWriter {
  private readonly parts: Uint8Array[] = [];

  private varint(value: number | bigint): void {
    let v = BigInt.asUintN(64, BigInt(value));
    const bytes: number[] = [];
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v > 0n) byte |= 0x80;
      bytes.push(byte);
    } while (v > 0n);
    this.parts.push(Uint8Array.from(bytes));
  }

  int(field: number, value: number | bigint): this {
    this.varint((field << 3) | 0);
    this.varint(value);
    return this;
  }

  bytes(field: number, data: Uint8Array): this {
    this.varint((field << 3) | 2);
    this.varint(data.length);
    this.parts.push(data);
    return this;
  }

  string(field: number, text: string): this {
    return this.bytes(field, new TextEncoder().encode(text));
  }

  message(field: number, build: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    return this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    const total = this.parts.reduce((n, p) => n + p.length, 0);
    const out = new Uint8Array(total);
    let at = 0;
    for (const p of this.parts) { out.set(p, at); at += p.length; }
    return out;
  }
}

function writeValueInfo(w: ProtoWriter, v: OnnxValueInfo): void {
  w.string(1, v.name).message(2, (type) => type.message(1, (tensor) => {
    tensor.int(1, ELEM_TYPE[v.elemType]).message(2, (shape) => {
      for (const d of v.shape) shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
    });
  }));
}

function writeTensor(w: ProtoWriter, t: OnnxTensor): void {
  for (const d of t.dims) w.int(1, d);
  w.int(2, ELEM_TYPE.float).string(8, t.name);
  const raw = new Uint8Array(t.floats.buffer.slice(t.floats.byteOffset, t.floats.byteOffset + t.floats.byteLength));
  w.bytes(9, raw); // raw_data: little-endian floats
}

function writeNode(w: ProtoWriter, n: OnnxNode): void {
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, n.name).string(4, n.opType);
  for (const [name, values] of Object.entries(n.intAttributes ?? {})) {
    w.message(5, (a) => { a.string(1, name); for (const v of values) a.int(8, v); a.int(20, ATTRIBUTE_INTS); });
  }
}

/**
 * Serialises a single-graph ONNX model (default opset domain at `opset`).
 *
 * @example writeFileSync('model.onnx', encodeOnnxModel(graph, 17));
 */
export function encodeOnnxModel(graph: OnnxGraph, opset: number): Uint8Array {
  const w = new ProtoWriter();
  w.int(1, 8); // ir_version
  w.string(2, 'kindred-testkit');
  w.message(7, (g) => {
    for (const n of graph.nodes) g.message(1, (nw) => writeNode(nw, n));
    g.string(2, graph.name);
    for (const t of graph.initializers) g.message(5, (tw) => writeTensor(tw, t));
    for (const i of graph.inputs) g.message(11, (vw) => writeValueInfo(vw, i));
    for (const o of graph.outputs) g.message(12, (vw) => writeValueInfo(vw, o));
  });
  w.message(8, (op) => op.string(1, '').int(2, opset));
  return w.finish();
}
