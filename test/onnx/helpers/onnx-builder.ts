/** Hand-made ONNX files for the importer's tests, encoded with ONNX's schema (src/onnx/proto.ts). */
import { onnxType } from '../../../src/onnx/proto.js';

export interface TensorSpec {
  name: string;
  dims: number[];
  values?: number[];
  /** Stored in a side file: external_data entries as given. */
  external?: Record<string, string>;
  /** Float raw bytes given directly (e.g. fewer than the dims claim). */
  rawBytes?: Uint8Array;
  /** INT64 values (shape operands: pads, axes) instead of floats. */
  int64?: boolean;
}

export interface NodeSpec {
  op: string;
  name: string;
  inputs: string[];
  outputs: string[];
  attributes?: { name: string; ints?: number[]; i?: number; f?: number }[];
}

export interface GraphSpec {
  inputs: { name: string; dims: (number | string)[] }[];
  outputs: string[];
  nodes: NodeSpec[];
  initializers?: TensorSpec[];
  opset?: number;
}

function floatBytes(values: number[]): Uint8Array {
  return new Uint8Array(new Float32Array(values).buffer);
}

function tensorProto(t: TensorSpec): Record<string, unknown> {
  const base = { name: t.name, dims: t.dims, data_type: 1 };
  if (t.external)
    return { ...base, data_location: 1, external_data: Object.entries(t.external).map(([key, value]) => ({ key, value })) };
  if (t.rawBytes) return { ...base, raw_data: t.rawBytes };
  if (t.int64) return { ...base, data_type: 7, raw_data: new Uint8Array(new BigInt64Array((t.values ?? []).map(BigInt)).buffer) };
  return { ...base, raw_data: floatBytes(t.values ?? []) };
}

const ATTRIBUTE_TYPE = { FLOAT: 1, INT: 2, INTS: 7 };

export function encodeModel(spec: GraphSpec): Uint8Array {
  const valueInfo = (name: string, dims: (number | string)[] | null) => ({
    name,
    type: {
      tensor_type: {
        elem_type: 1,
        ...(dims ? { shape: { dim: dims.map((d) => (typeof d === 'string' ? { dim_param: d } : { dim_value: d })) } } : {}),
      },
    },
  });
  const model = {
    ir_version: 8,
    producer_name: 'capa-tests',
    opset_import: [{ domain: '', version: spec.opset ?? 13 }],
    graph: {
      name: 'test_graph',
      node: spec.nodes.map((n) => ({
        op_type: n.op,
        name: n.name,
        input: n.inputs,
        output: n.outputs,
        attribute: (n.attributes ?? []).map((a) =>
          a.ints
            ? { name: a.name, type: ATTRIBUTE_TYPE.INTS, ints: a.ints }
            : a.f !== undefined
              ? { name: a.name, type: ATTRIBUTE_TYPE.FLOAT, f: a.f }
              : { name: a.name, type: ATTRIBUTE_TYPE.INT, i: a.i },
        ),
      })),
      initializer: (spec.initializers ?? []).map(tensorProto),
      input: spec.inputs.map((i) => valueInfo(i.name, i.dims)),
      output: spec.outputs.map((o) => valueInfo(o, null)),
    },
  };
  const type = onnxType('ModelProto');
  return type.encode(type.fromObject(model)).finish();
}

/** x [batch, 4] -> Gemm with a 3x4 weight (transB) and a bias -> y [batch, 3]. */
export function gemmModel(weight: TensorSpec, bias: number[] = [0.5, -0.5, 0.25]): Uint8Array {
  return encodeModel({
    inputs: [{ name: 'x', dims: ['batch', 4] }],
    outputs: ['y'],
    nodes: [{ op: 'Gemm', name: 'fc', inputs: ['x', weight.name, 'b'], outputs: ['y'], attributes: [{ name: 'transB', i: 1 }] }],
    initializers: [weight, { name: 'b', dims: [3], values: bias }],
  });
}

export const GEMM_WEIGHT = [0.1, 0.2, 0.3, 0.4, -0.5, 0.6, -0.7, 0.8, 0.9, -1.0, 1.1, -1.2];
