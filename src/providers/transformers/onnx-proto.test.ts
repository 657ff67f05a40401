import { describe, expect, it } from 'vitest';
import { encodeOnnxModel } from './onnx-proto.js';

describe('ONNX protobuf writer', () => {
  it('encodes fields with the wire format by hand', () => {
    const bytes = encodeOnnxModel({
      name: 'g',
      nodes: [{ name: 'n', opType: 'Tanh', inputs: ['x'], outputs: ['y'] }],
      initializers: [{ name: 'w', dims: [300], floats: new Float32Array([1]) }],
      inputs: [{ name: 'x', elemType: 'float', shape: ['batch', 2] }],
      outputs: [],
    }, 17);
    const hex = Buffer.from(bytes).toString('hex');
    expect(hex.startsWith('0808')).toBe(true); // field 1 varint: ir_version 8
    expect(hex).toContain(`12${(15).toString(16).padStart(2, '0')}${Buffer.from('kindred-testkit').toString('hex')}`); // field 2 string
    expect(hex).toContain('08ac02'); // dims 300 as a two-byte varint
    expect(hex).toContain(`0a0178120179${'1a016e'}${'2204'}${Buffer.from('Tanh').toString('hex')}`); // node: input, output, name, op_type
    expect(hex).toContain(`4a04${Buffer.from(new Float32Array([1]).buffer).toString('hex')}`); // raw_data of the initialiser
    expect(hex).toContain(`1205${Buffer.from('batch').toString('hex')}`); // symbolic dimension
    expect(hex.endsWith(`42040a00${'1011'}`)).toBe(true); // opset_import { domain: "", version: 17 }
  });
});
