/**
 * Accumulates an ONNX graph as plain objects shaped like the schema's messages (NodeProto,
 * TensorProto, ...; snake_case fields), ready for `onnxType('ModelProto').fromObject`. It owns
 * name uniqueness, so converters can name things after their layer without colliding.
 */

/** TensorProto.DataType values used by the exporter. */
export const ONNX_FLOAT = 1;
export const ONNX_INT64 = 7;

/** AttributeProto.AttributeType values. */
const ATTR_FLOAT = 1;
const ATTR_INT = 2;
const ATTR_STRING = 3;
const ATTR_INTS = 7;

export type AttributeValue = number | string | readonly number[];

export interface OnnxAttribute {
  name: string;
  type: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  ints?: number[];
}

export interface OnnxNode {
  name: string;
  op_type: string;
  input: string[];
  output: string[];
  attribute: OnnxAttribute[];
}

export interface OnnxTensor {
  name: string;
  data_type: number;
  dims: number[];
  raw_data: Uint8Array;
}

/**
 * An attribute from a JavaScript value: an integer or an array of integers is INT / INTS (ONNX's
 * int attributes: kernel sizes, axes, flags), a string is STRING, and a float must be passed
 * through `floatAttr` so that `1` meant as a float is not written as an int.
 */
function toAttribute(name: string, value: AttributeValue | FloatAttr): OnnxAttribute {
  if (value instanceof FloatAttr) return { name, type: ATTR_FLOAT, f: value.value };
  if (typeof value === 'string') return { name, type: ATTR_STRING, s: new TextEncoder().encode(value) };
  if (typeof value === 'number') {
    if (!Number.isInteger(value))
      throw new Error(`ONNX export: attribute '${name}' = ${value} is not an integer; use floatAttr().`);
    return { name, type: ATTR_INT, i: value };
  }
  return { name, type: ATTR_INTS, ints: value.slice() };
}

/** Marks a number as a FLOAT attribute (alpha, epsilon, ...). */
export class FloatAttr {
  constructor(readonly value: number) {}
}

export function floatAttr(value: number): FloatAttr {
  return new FloatAttr(value);
}

export class GraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  private readonly usedNames = new Set<string>();
  private readonly scalars = new Map<number, string>();

  /** `base` if no value, node or initializer has that name yet, else `base_1`, `base_2`, ... */
  uniqueName(base: string): string {
    let name = base;
    for (let i = 1; this.usedNames.has(name); i++) name = `${base}_${i}`;
    this.usedNames.add(name);
    return name;
  }

  /** Reserves a name that must be kept exactly (a graph input); throws if it is taken. */
  reserveName(name: string): string {
    if (this.usedNames.has(name)) throw new Error(`ONNX export: the name "${name}" is used twice.`);
    this.usedNames.add(name);
    return name;
  }

  /**
   * Adds a node computing `opType` and returns its output names. `name` (the layer's path plus
   * what the node does) names the node and, made unique, its outputs.
   */
  node(
    opType: string,
    inputs: readonly string[],
    name: string,
    attributes: Readonly<Record<string, AttributeValue | FloatAttr>> = {},
    outputCount = 1,
  ): string[] {
    const nodeName = this.uniqueName(name);
    const outputs = Array.from({ length: outputCount }, (_, i) =>
      outputCount === 1 ? nodeName : this.uniqueName(`${nodeName}:${i}`),
    );
    this.nodes.push({
      name: nodeName,
      op_type: opType,
      input: inputs.slice(),
      output: outputs,
      attribute: Object.entries(attributes).map(([key, value]) => toAttribute(key, value)),
    });
    return outputs;
  }

  /** One-output shorthand for `node`. */
  op(
    opType: string,
    inputs: readonly string[],
    name: string,
    attributes: Readonly<Record<string, AttributeValue | FloatAttr>> = {},
  ): string {
    return this.node(opType, inputs, name, attributes)[0] as string;
  }

  /** A float32 initializer; returns its name. */
  floats(name: string, values: Float32Array, dims: readonly number[]): string {
    const size = dims.reduce((a, b) => a * b, 1);
    if (size !== values.length) {
      throw new Error(`ONNX export: initializer "${name}" has ${values.length} values for dims [${dims.join(', ')}].`);
    }
    const unique = this.uniqueName(name);
    this.initializers.push({ name: unique, data_type: ONNX_FLOAT, dims: dims.slice(), raw_data: littleEndianFloats(values) });
    return unique;
  }

  /**
   * A float32 scalar initializer (rank 0) for broadcasting arithmetic, shared by every node that
   * uses the same value (the first user's name names it).
   */
  scalar(name: string, value: number): string {
    const key = Math.fround(value);
    const existing = this.scalars.get(key);
    if (existing) return existing;
    const created = this.floats(name, Float32Array.of(value), []);
    this.scalars.set(key, created);
    return created;
  }

  /** An int64 initializer (shapes, pads, axes, sizes); returns its name. */
  int64s(name: string, values: readonly number[]): string {
    const unique = this.uniqueName(name);
    const bytes = new Uint8Array(values.length * 8);
    const view = new DataView(bytes.buffer);
    values.forEach((v, i) => {
      view.setBigInt64(i * 8, BigInt(v), true);
    });
    this.initializers.push({ name: unique, data_type: ONNX_INT64, dims: [values.length], raw_data: bytes });
    return unique;
  }
}

const HOST_IS_LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** ONNX's raw_data is little-endian whatever the host; a copy, so later weight updates do not leak in. */
function littleEndianFloats(values: Float32Array): Uint8Array {
  if (HOST_IS_LITTLE_ENDIAN) return new Uint8Array(values.slice().buffer);
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i] as number, true);
  return bytes;
}
