/**
 * What an `.onnx` file declares, read from its protobuf without building a model: graph name,
 * producer, opsets, inputs and outputs with their shapes, op counts and initializer sizes. Used by
 * `capa summary model.onnx`.
 */
import { onnxType } from './proto.js';

export interface OnnxTensorInfo {
  name: string;
  /** Element type name (FLOAT, INT64, ...). */
  type: string;
  /** Each axis: a size, a symbolic name (`batch`), or null when the file leaves it open. */
  shape: (number | string | null)[] | null;
}

export interface OnnxModelInfo {
  graphName: string;
  producer: string;
  irVersion: number;
  opsets: { domain: string; version: number }[];
  inputs: OnnxTensorInfo[];
  outputs: OnnxTensorInfo[];
  /** Node count per op type, most used first (ties by name). */
  opCounts: [string, number][];
  nodeCount: number;
  initializerCount: number;
  /** Values held by the initializers (weights, and the constants the graph uses). */
  initializerValues: number;
}

interface Dim {
  dim_value?: number;
  dim_param?: string;
}

interface ValueInfo {
  name?: string;
  type?: { tensor_type?: { elem_type?: number; shape?: { dim?: Dim[] } } };
}

interface DecodedModel {
  ir_version?: number;
  producer_name?: string;
  producer_version?: string;
  opset_import?: { domain?: string; version?: number }[];
  graph?: {
    name?: string;
    node?: { op_type?: string; domain?: string }[];
    input?: ValueInfo[];
    output?: ValueInfo[];
    initializer?: { name?: string; dims?: number[] }[];
  };
}

const DATA_TYPES = onnxType('TensorProto').lookupEnum('DataType').valuesById;

function tensorInfo(value: ValueInfo): OnnxTensorInfo {
  const tensor = value.type?.tensor_type;
  const dims = tensor?.shape?.dim;
  return {
    name: value.name ?? '',
    type: DATA_TYPES[tensor?.elem_type ?? 0] ?? `type ${tensor?.elem_type}`,
    shape: dims ? dims.map((d) => (d.dim_param ? d.dim_param : d.dim_value !== undefined ? Number(d.dim_value) : null)) : null,
  };
}

/** Reads an `.onnx` file's bytes; a file that is not an ONNX model fails with the decoder's reason. */
export function inspectOnnx(bytes: Uint8Array): OnnxModelInfo {
  const type = onnxType('ModelProto');
  let model: DecodedModel;
  try {
    model = type.toObject(type.decode(bytes), { longs: Number }) as DecodedModel;
  } catch (error) {
    throw new Error(`not an ONNX model (${error instanceof Error ? error.message : String(error)})`);
  }
  const graph = model.graph;
  if (!graph) throw new Error('not an ONNX model (it has no graph)');
  const initializers = graph.initializer ?? [];
  const initializerNames = new Set(initializers.map((t) => t.name));
  const counts = new Map<string, number>();
  for (const node of graph.node ?? []) {
    const op = node.domain ? `${node.domain}.${node.op_type}` : (node.op_type ?? '?');
    counts.set(op, (counts.get(op) ?? 0) + 1);
  }
  return {
    graphName: graph.name ?? '',
    producer: [model.producer_name, model.producer_version].filter(Boolean).join(' '),
    irVersion: Number(model.ir_version ?? 0),
    opsets: (model.opset_import ?? []).map((o) => ({ domain: o.domain || 'ai.onnx', version: Number(o.version ?? 0) })),
    // Older exporters list initializers among the inputs too; those are weights, not inputs.
    inputs: (graph.input ?? []).filter((v) => !initializerNames.has(v.name)).map(tensorInfo),
    outputs: (graph.output ?? []).map(tensorInfo),
    opCounts: [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])),
    nodeCount: (graph.node ?? []).length,
    initializerCount: initializers.length,
    initializerValues: initializers.reduce((sum, t) => sum + (t.dims ?? []).reduce((n, d) => n * Number(d), 1), 0),
  };
}

function formatShape(shape: OnnxTensorInfo['shape']): string {
  if (!shape) return '(unknown rank)';
  return `[${shape.map((d) => (d === null ? '?' : String(d))).join(', ')}]`;
}

/** The summary as printed by `capa summary model.onnx`. */
export function formatOnnxSummary(info: OnnxModelInfo): string {
  const width = Math.max(12, ...info.opCounts.map(([op]) => op.length)) + 2;
  const tensorLines = (list: OnnxTensorInfo[]): string[] => list.map((t) => `  ${t.name}  ${t.type} ${formatShape(t.shape)}`);
  return [
    `ONNX model "${info.graphName}"${info.producer ? ` from ${info.producer}` : ''}, IR version ${info.irVersion}, opset ${info.opsets.map((o) => `${o.domain} ${o.version}`).join(', ')}`,
    'Inputs:',
    ...tensorLines(info.inputs),
    'Outputs:',
    ...tensorLines(info.outputs),
    `Ops (${info.nodeCount.toLocaleString('en-US')} nodes):`,
    ...info.opCounts.map(([op, n]) => `  ${op.padEnd(width)}${n.toLocaleString('en-US')}`),
    `Initializers: ${info.initializerCount.toLocaleString('en-US')} tensors, ${info.initializerValues.toLocaleString('en-US')} values`,
  ].join('\n');
}
