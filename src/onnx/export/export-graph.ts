/**
 * A capa model as an ONNX ModelProto: walks the layer graph in execution order (nested
 * Sequential and functional models inline, their names prefixed to their nodes), converts each
 * layer call, and declares the inputs and outputs in the chosen layout with a dynamic batch.
 */
import type { Layer } from '../../layers/engine/layer.js';
import type { SymbolicShape, SymbolicTensor } from '../../layers/engine/symbolic.js';
import { Model } from '../../models/functional.js';
import { Sequential } from '../../models/sequential.js';
import { CAPA_VERSION } from '../../saving/version.js';
import type { Variable } from '../../tensor/tensor.js';
import { onnxType } from '../proto.js';
import { ExportContext } from './context.js';
import { converterFor, supportedLayerNames } from './converters.js';
import { GraphBuilder, ONNX_FLOAT, type OnnxTensor } from './graph-builder.js';
import { channelsFirstPerm, normalizePerm, type OnnxValue, physicalShape } from './layout.js';

export interface ExportOptions {
  /** ONNX opset version, 13 to 17; default 17. */
  opset?: number;
  /**
   * 'nhwc' (default): inputs and outputs as capa shapes them (channels last). 'nchw': image-like
   * inputs and outputs (rank 3 and up) are channels-first at the boundary, as PyTorch-style
   * runtimes expect; rank-2 tensors are the same either way.
   */
  layout?: 'nhwc' | 'nchw';
}

export const MIN_OPSET = 13;
export const MAX_OPSET = 17;
export const DEFAULT_OPSET = 17;
/** ONNX IR version 8 (ONNX 1.10+) carries opsets up to 17. */
const IR_VERSION = 8;

/** Exact Sequential / functional models are walked; a subclass may compute anything in `call`. */
function isGraphModel(layer: Layer): layer is Model {
  return layer.constructor === Model || layer.constructor === Sequential;
}

function unsupported(layer: Layer): Error {
  return new Error(
    `ONNX export: layer "${layer.name}" (${layer.className}) cannot be exported to ONNX. ` +
      `Exportable layers: ${supportedLayerNames().join(', ')}, and Sequential or functional models made of them.`,
  );
}

/** Emits one model's graph on the given input values; returns its output values. */
function emitModel(ctx: ExportContext, model: Model, inputs: readonly OnnxValue[], prefix: string): OnnxValue[] {
  const values = new Map<SymbolicTensor, OnnxValue>();
  model.inputs.forEach((t, i) => {
    values.set(t, inputs[i] as OnnxValue);
  });
  const depths = [...model.nodesByDepth.keys()].sort((a, b) => b - a);
  for (const depth of depths) {
    for (const node of model.nodesByDepth.get(depth) ?? []) {
      if (node.isInput) continue;
      const layer = node.outboundLayer;
      if (node.hasCallOptions) {
        // an inference graph has no training mode to keep (Monte Carlo dropout) and the converters read no options
        throw new Error(
          `ONNX export: layer "${layer.name}" (${layer.className}) is called with options ${JSON.stringify(node.callOptions)}, which ONNX export does not carry; call it without them to export.`,
        );
      }
      const ins = node.inputTensors.map((t) => {
        const value = values.get(t);
        if (!value)
          throw new Error(`ONNX export: model "${model.name}" reaches layer "${layer.name}" before its input ${t.name}.`);
        return value;
      });
      const path = `${prefix}${layer.name}`;
      const outputShapes = node.outputTensors.map((t) => t.shape);
      let outs: OnnxValue[];
      if (isGraphModel(layer)) outs = emitModel(ctx, layer, ins, `${path}/`);
      else {
        const entry = converterFor(layer);
        if (!entry) throw unsupported(layer);
        outs = entry.convert(ctx, { layer, inputs: ins, outputShapes, path });
      }
      node.outputTensors.forEach((t, i) => {
        values.set(t, outs[i] as OnnxValue);
      });
    }
  }
  return model.outputs.map((t) => values.get(t) as OnnxValue);
}

interface ValueInfo {
  name: string;
  type: { tensor_type: { elem_type: number; shape: { dim: { dim_value?: number; dim_param?: string }[] } } };
}

/** A float tensor's declaration; the batch axis (0) is the symbolic `batch`, other unknown axes stay unnamed. */
function valueInfo(name: string, shape: SymbolicShape, batchAxis: number): ValueInfo {
  const dim = shape.map((d, i): { dim_value?: number; dim_param?: string } =>
    d !== null ? { dim_value: d } : i === batchAxis ? { dim_param: 'batch' } : {},
  );
  return { name, type: { tensor_type: { elem_type: ONNX_FLOAT, shape: { dim } } } };
}

function checkOptions(options: ExportOptions): { opset: number; layout: 'nhwc' | 'nchw' } {
  const opset = options.opset ?? DEFAULT_OPSET;
  if (!Number.isInteger(opset) || opset < MIN_OPSET || opset > MAX_OPSET) {
    throw new Error(
      `ONNX export: opset must be an integer from ${MIN_OPSET} to ${MAX_OPSET}, received ${String(options.opset)}.`,
    );
  }
  const layout = options.layout ?? 'nhwc';
  if (layout !== 'nhwc' && layout !== 'nchw') {
    throw new Error(`ONNX export: layout must be 'nhwc' or 'nchw', received ${JSON.stringify(options.layout)}.`);
  }
  return { opset, layout };
}

/** The model's checks before anything is read: a built Sequential or functional model. */
function checkModel(model: Layer): Model {
  if (!(model instanceof Model)) {
    throw new Error(`ONNX export: expected a Model or Sequential, received layer "${model.name}" (${model.className}).`);
  }
  if (!isGraphModel(model)) throw unsupported(model);
  if (model.outputs.length === 0) {
    throw new Error(
      `ONNX export: model "${model.name}" has not yet been built. Build it first (give its first layer an inputShape, or call it on data).`,
    );
  }
  return model;
}

/**
 * Every variable's values, read through `data()`, which every backend offers (some read only
 * asynchronously); the conversion itself then runs synchronously.
 */
export async function readWeights(model: Layer): Promise<Map<Variable, Float32Array>> {
  const values = new Map<Variable, Float32Array>();
  for (const variable of checkModel(model).weights) {
    if (values.has(variable)) continue;
    if (variable.dtype !== 'float32') {
      throw new Error(`ONNX export: variable "${variable.name}" is ${variable.dtype}; the exporter writes float32 weights.`);
    }
    values.set(variable, (await variable.data()) as Float32Array);
  }
  return values;
}

/** The ONNX ModelProto (as a plain object) of a built model whose weights were read by `readWeights`. */
export function modelToOnnxObject(
  layer: Layer,
  weights: ReadonlyMap<Variable, Float32Array>,
  options: ExportOptions = {},
): Record<string, unknown> {
  const { opset, layout } = checkOptions(options);
  const model = checkModel(layer);
  const graph = new GraphBuilder();
  const ctx = new ExportContext(graph, weights);
  const boundaryPerm = (rank: number): number[] | null => (layout === 'nchw' ? normalizePerm(channelsFirstPerm(rank)) : null);

  const inputs = model.inputs.map((t): OnnxValue => {
    const name = graph.reserveName(t.sourceLayer.name);
    return { name, shape: t.shape.slice(), perm: boundaryPerm(t.shape.length) };
  });
  const results = emitModel(ctx, model, inputs, '');
  const outputs = results.map((value, i) => {
    const final = ctx.inLayout(value, boundaryPerm(value.shape.length));
    const outputLayer = (model.outputs[i] as SymbolicTensor).sourceLayer;
    const name = graph.op('Identity', [final.name], `${outputLayer.name}`);
    return { ...final, name };
  });

  return {
    ir_version: IR_VERSION,
    opset_import: [{ domain: '', version: opset }],
    producer_name: 'capa',
    producer_version: CAPA_VERSION,
    graph: {
      name: model.name,
      node: graph.nodes,
      initializer: graph.initializers,
      input: inputs.map((v) => valueInfo(v.name, physicalShape(v), 0)),
      output: outputs.map((v) => valueInfo(v.name, physicalShape(v), 0)),
    },
  };
}

/** The `.onnx` file's bytes for a built model. */
export async function modelToOnnxBytes(model: Layer, options: ExportOptions = {}): Promise<Uint8Array> {
  checkOptions(options);
  const object = modelToOnnxObject(model, await readWeights(model), options);
  checkProtobufSize(model.name, (object.graph as { initializer: OnnxTensor[] }).initializer);
  const type = onnxType('ModelProto');
  return type.encode(type.fromObject(object)).finish();
}

/** Protobuf messages stop at 2 GiB; larger models need ONNX's external-data files. */
export const PROTOBUF_LIMIT = 2 ** 31 - 1;

/** Refuses, before encoding, weights that cannot fit in one protobuf message. */
export function checkProtobufSize(modelName: string, initializers: readonly OnnxTensor[], limit = PROTOBUF_LIMIT): void {
  const bytes = initializers.reduce((sum, t) => sum + t.raw_data.length, 0);
  if (bytes > limit) {
    throw new Error(
      `ONNX export: model "${modelName}" holds ${(bytes / 2 ** 30).toFixed(2)} GiB of weights; one .onnx file holds at most 2 GiB, ` +
        'and the exporter does not write external-data files yet.',
    );
  }
}
