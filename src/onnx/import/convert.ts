/**
 * An ONNX graph -> a capa functional Model. Initializers and Constant nodes become constants
 * (folded where all of an op's inputs are constants), graph inputs become Inputs in the graph's
 * own layout, each node becomes Keras layers (or an OnnxOp) through its handler in ops/, and the
 * outputs are returned in the graph's layout. See values.ts for the layout rule.
 */

import { errorMessage } from '../../io/node.js';
import { Input } from '../../layers/core/input-layer.js';
import { Model } from '../../models/functional.js';
import { Attributes } from './attributes.js';
import { dyn, GraphBuilder, type OpNode } from './builder.js';
import { OnnxImportError } from './errors.js';
import { MAX_ELEMENTS_PER_SAMPLE } from './ops/common.js';
import { OP_HANDLERS, READS_FLATTENED_ORDER } from './ops/index.js';
import { decodeModel, type GraphProtoLike, type ValueInfoLike } from './read-model.js';
import { checkedDims, type ExternalReader, readTensorProto } from './tensor-proto.js';
import { identityPerm, type Value } from './values.js';

export interface ImportOptions {
  /** Make the imported weights trainable (for fine-tuning). Default false: the model is frozen. */
  trainable?: boolean;
  /** The model's name (default: the graph's name). */
  name?: string;
}

function safeName(name: string, fallback: string): string {
  const cleaned = name.replace(/^\/+/, '').replace(/[/:]+/g, '.');
  return cleaned === '' ? fallback : cleaned;
}

function inputShape(info: ValueInfoLike, index: number): (number | null)[] {
  const what = `graph.input[${index}] '${info.name}'`;
  const tensorType = info.type?.tensor_type;
  if (!tensorType) throw new Error(`${what} is not a tensor`);
  if (tensorType.elem_type !== 1)
    throw new Error(`${what} has elem_type ${tensorType.elem_type}; capa's imported models take float32 (elem_type 1) inputs`);
  const dims = tensorType.shape?.dim;
  if (!dims) throw new Error(`${what} declares no shape; capa needs the input's rank and sizes`);
  const shape = dims.map((d, axis) => {
    // protobufjs leaves unset oneof members on the prototype: only an own dim_value is a declared size.
    if (Object.hasOwn(d, 'dim_value')) return checkedDims([d.dim_value], `${what} axis ${axis}`)[0] as number;
    if (axis === 0) return null;
    throw new Error(
      `${what} has a dynamic size '${d.dim_param ?? '?'}' on axis ${axis}; capa imports static shapes apart from the batch (export with fixed sizes)`,
    );
  });
  const perSample = shape.slice(1).reduce<number>((a, b) => a * (b ?? 1), 1);
  if (perSample > MAX_ELEMENTS_PER_SAMPLE)
    throw new Error(`${what} declares ${perSample} elements per sample, more than capa accepts (${MAX_ELEMENTS_PER_SAMPLE})`);
  return shape;
}

async function readInitializers(graph: GraphProtoLike, external: ExternalReader | null): Promise<Map<string, Value>> {
  const values = new Map<string, Value>();
  for (const [i, t] of (graph.initializer ?? []).entries()) {
    const name = t.name ?? '';
    const value = await readTensorProto(t, `graph.initializer[${i}] '${name}'`, external);
    values.set(name, { kind: 'const', value, initializer: true });
  }
  return values;
}

function unsupported(opType: string, where: string): Error {
  return new Error(
    `${where} uses the op '${opType}', which capa cannot import. Supported ops: ${Object.keys(OP_HANDLERS).sort().join(', ')}`,
  );
}

export async function modelFromOnnxBytes(
  bytes: Uint8Array,
  label: string,
  external: ExternalReader | null,
  options: ImportOptions = {},
): Promise<Model> {
  try {
    const { graph, opset } = decodeModel(bytes);
    const values = await readInitializers(graph, external);
    const builder = new GraphBuilder();
    const inputs = (graph.input ?? [])
      .map((info, index) => ({ info, index }))
      .filter(({ info }) => !values.has(info.name ?? ''))
      .map(({ info, index }) => {
        const name = safeName(info.name ?? '', `input_${index}`);
        builder.reserveName(name);
        const tensor = Input({ batchShape: inputShape(info, index), name });
        values.set(info.name ?? '', dyn(tensor, identityPerm(tensor.shape.length)));
        return tensor;
      });
    if (inputs.length === 0) throw new Error('graph.input lists no input that is not an initializer');
    for (const [index, node] of (graph.node ?? []).entries()) {
      const opType = node.op_type ?? '';
      const name = node.name || `${opType}_${index}`;
      const where = `graph.node[${index}] '${name}' (opset ${opset})`;
      if (node.domain && node.domain !== 'ai.onnx') throw unsupported(`${node.domain}.${opType}`, where);
      const handler = OP_HANDLERS[opType];
      if (!handler) throw unsupported(opType, where);
      const nodeInputs = (node.input ?? []).map((inputName, i) => {
        if (inputName === '') return undefined;
        const v = values.get(inputName);
        if (!v) throw new Error(`${where}: input ${i} '${inputName}' is produced by no earlier node, initializer or graph input`);
        return v;
      });
      const outputNames = node.output ?? [];
      const layoutNode = { opType, name, opset, inputs: [], outputCount: 1, attrs: new Attributes([], where), b: builder };
      // A flattened NHWC map is in stored order; only a Dense can absorb that, the rest see the graph's order.
      if (!READS_FLATTENED_ORDER.has(opType)) {
        nodeInputs.forEach((v, i) => {
          if (v?.kind === 'dyn' && v.flat) nodeInputs[i] = builder.logical(layoutNode, v);
        });
      }
      const op: OpNode = {
        opType,
        name,
        opset,
        inputs: nodeInputs,
        outputCount: outputNames.length,
        attrs: new Attributes(node.attribute ?? [], where),
        b: builder,
      };
      let outs: Value[];
      try {
        outs = handler(op);
      } catch (error) {
        const message = errorMessage(error);
        throw new Error(message.startsWith('node ') ? `graph.node[${index}] ${message}` : `${where}: ${message}`);
      }
      outputNames.forEach((outName, i) => {
        const v = outs[i];
        if (outName !== '' && v) values.set(outName, v);
      });
    }
    const outputs = (graph.output ?? []).map((info, i) => {
      const v = values.get(info.name ?? '');
      if (!v) throw new Error(`graph.output[${i}] '${info.name}' is produced by no node`);
      if (v.kind === 'const')
        throw new Error(`graph.output[${i}] '${info.name}' is a constant; capa models compute their outputs from their inputs`);
      const node: OpNode = {
        opType: 'Output',
        name: `${safeName(info.name ?? '', `output_${i}`)}`,
        opset,
        inputs: [],
        outputCount: 1,
        attrs: new Attributes([], 'output'),
        b: builder,
      };
      return builder.logical(node, v).tensor;
    });
    const model = new Model({ inputs, outputs, name: options.name ?? safeName(graph.name ?? '', 'onnx_model') });
    model.trainable = options.trainable ?? false;
    return model;
  } catch (error) {
    if (error instanceof OnnxImportError) throw error;
    throw new OnnxImportError(label, errorMessage(error));
  }
}
