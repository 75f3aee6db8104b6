/**
 * Decoding a `.onnx` file with ONNX's own schema (protobufjs), and the first checks a hostile or
 * mistaken file meets: not protobuf, truncated, another format (zip, HDF5), no graph, an opset
 * capa does not read.
 */

import { errorMessage } from '../../io/node.js';
import { onnxType } from '../proto.js';
import type { AttributeProtoLike } from './attributes.js';
import { toNumber } from './long.js';
import type { TensorProtoLike } from './tensor-proto.js';

export interface NodeProtoLike {
  name?: string;
  op_type?: string;
  domain?: string;
  input?: string[];
  output?: string[];
  attribute?: AttributeProtoLike[];
}

export interface ValueInfoLike {
  name?: string;
  type?: { tensor_type?: { elem_type?: number; shape?: { dim?: { dim_value?: unknown; dim_param?: string }[] } } };
}

export interface GraphProtoLike {
  name?: string;
  node?: NodeProtoLike[];
  initializer?: TensorProtoLike[];
  input?: ValueInfoLike[];
  output?: ValueInfoLike[];
}

export interface ModelProtoLike {
  ir_version?: unknown;
  opset_import?: { domain?: string; version?: unknown }[];
  graph?: GraphProtoLike;
  producer_name?: string;
}

/** Opsets of the default domain the importer reads (the ops it knows are defined the same way there). */
export const OPSET_RANGE = [11, 21] as const;

function otherFormat(bytes: Uint8Array): string | null {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return 'a zip archive (a .keras model? load it with models.loadModel)';
  if (bytes[0] === 0x89 && bytes[1] === 0x48 && bytes[2] === 0x44 && bytes[3] === 0x46)
    return 'an HDF5 file (a .h5 model? load it with models.loadModel)';
  if (bytes[0] === 0x7b) return 'JSON text';
  return null;
}

/** The decoded ModelProto and its default-domain opset, or an Error saying what is wrong. */
export function decodeModel(bytes: Uint8Array): { model: ModelProtoLike; graph: GraphProtoLike; opset: number } {
  const other = otherFormat(bytes);
  if (other) throw new Error(`not an ONNX model: the file is ${other}`);
  if (bytes.length === 0) throw new Error('not an ONNX model: the file is empty');
  let model: ModelProtoLike;
  try {
    model = onnxType('ModelProto').decode(bytes) as unknown as ModelProtoLike;
  } catch (error) {
    throw new Error(`not an ONNX model, or a truncated one: protobuf decoding of ModelProto failed (${errorMessage(error)})`);
  }
  const ir = toNumber(model.ir_version);
  if (!(ir >= 3))
    throw new Error(
      `not an ONNX model: ModelProto.ir_version is ${Number.isNaN(ir) ? 'missing' : ir} (ONNX files have 3 or more)`,
    );
  const graph = model.graph;
  if (!graph || (graph.node ?? []).length === 0)
    throw new Error('not an ONNX model: ModelProto.graph is missing or has no nodes');
  const entry = (model.opset_import ?? []).find((o) => !o.domain || o.domain === 'ai.onnx');
  if (!entry) throw new Error('ModelProto.opset_import has no entry for the default ONNX domain');
  const opset = toNumber(entry.version);
  if (!(opset >= OPSET_RANGE[0] && opset <= OPSET_RANGE[1])) {
    throw new Error(
      `ModelProto.opset_import declares ONNX opset ${entry.version}; capa imports opsets ${OPSET_RANGE[0]} to ${OPSET_RANGE[1]}`,
    );
  }
  return { model, graph, opset };
}
