/**
 * The ONNX message types (ModelProto, GraphProto, NodeProto, TensorProto, ...) from ONNX's own
 * schema, through protobufjs: decoding and encoding `.onnx` files is the library's job, not ours.
 * Field names keep the schema's snake_case (`keepCase`), as the ONNX documentation spells them.
 */
import protobuf from 'protobufjs';
import { ONNX_SCHEMA } from './schema.generated.js';

const root = protobuf.Root.fromJSON(ONNX_SCHEMA as unknown as protobuf.INamespace);

/** A message type of the `onnx` package, e.g. `onnxType('ModelProto')`. */
export function onnxType(name: string): protobuf.Type {
  return root.lookupType(`onnx.${name}`);
}
