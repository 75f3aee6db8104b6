/**
 * Conv1D, Conv2D, DepthwiseConv2D and SeparableConv2D as ONNX Conv on channels-first values.
 * Keras kernels are [...spatial, in, out]; ONNX's are [out, in / group, ...spatial]. TensorFlow's
 * 'same' padding puts the odd pixel after, which is ONNX's SAME_UPPER; explicit pads are written
 * when the spatial sizes are known, so the file does not depend on auto_pad.
 */
import type { ActivationFunction } from '../../../layers/activations/functions.js';
import { Conv1D, Conv2D } from '../../../layers/convolutional/conv.js';
import { DepthwiseConv2D, SeparableConv2D } from '../../../layers/convolutional/depthwise.js';
import type { Layer } from '../../../layers/engine/layer.js';
import type { Variable } from '../../../tensor/tensor.js';
import { type ExportContext, type LayerCall, singleInput, singleOutputShape } from '../context.js';
import { type ConverterEntry, converter } from '../converter.js';
import type { AttributeValue } from '../graph-builder.js';
import { channelsFirstPerm, normalizePerm, type OnnxValue } from '../layout.js';
import { emitActivation } from './activations.js';

/** Keras kernel values [...spatial, inner, outer] as ONNX's [outer, inner, ...spatial]. */
export function toChannelsFirstKernel(
  kernel: Variable,
  source: Float32Array,
  inner: number,
  outer: number,
): { values: Float32Array; dims: number[] } {
  const spatialDims = kernel.shape.slice(0, -2);
  const spatial = spatialDims.reduce((a, b) => a * b, 1);
  if (spatial * inner * outer !== source.length) {
    throw new Error(
      `ONNX export: kernel "${kernel.name}" of shape [${kernel.shape.join(', ')}] does not hold ${inner}x${outer} filters.`,
    );
  }
  const values = new Float32Array(source.length);
  for (let s = 0; s < spatial; s++) {
    for (let i = 0; i < inner; i++) {
      for (let o = 0; o < outer; o++) values[(o * inner + i) * spatial + s] = source[(s * inner + i) * outer + o] as number;
    }
  }
  return { values, dims: [outer, inner, ...spatialDims] };
}

export interface ConvGeometry {
  kernelSize: readonly number[];
  strides: readonly number[];
  dilations: readonly number[];
  padding: string;
}

/**
 * Conv / pooling padding attributes: explicit pads from TensorFlow's rule when the spatial sizes
 * are known, SAME_UPPER (the same rule) when they are not.
 */
export function paddingAttributes(
  spatialSizes: readonly (number | null)[],
  geometry: ConvGeometry,
): Record<string, AttributeValue> {
  const { kernelSize, strides, dilations, padding } = geometry;
  const rank = kernelSize.length;
  if (padding === 'valid') return { pads: new Array<number>(2 * rank).fill(0) };
  if (padding === 'causal') {
    const k = kernelSize[0] as number;
    const d = dilations[0] as number;
    return { pads: [(k - 1) * d, 0] };
  }
  if (spatialSizes.some((d) => d === null)) return { auto_pad: 'SAME_UPPER' };
  const before: number[] = [];
  const after: number[] = [];
  spatialSizes.forEach((size, i) => {
    const s = strides[i] as number;
    const effective = ((kernelSize[i] as number) - 1) * (dilations[i] as number) + 1;
    const total = Math.max((Math.ceil((size as number) / s) - 1) * s + effective - (size as number), 0);
    before.push(Math.floor(total / 2));
    after.push(total - Math.floor(total / 2));
  });
  return { pads: [...before, ...after] };
}

/** The spatial sizes (Keras shape without batch and channels). */
function spatialOf(value: OnnxValue): (number | null)[] {
  return value.shape.slice(1, -1);
}

interface ConvNode {
  x: OnnxValue;
  weight: string;
  bias: string | null;
  geometry: ConvGeometry;
  group: number;
  name: string;
}

/** One ONNX Conv on a channels-first value; returns the output name. */
function emitConv(ctx: ExportContext, { x, weight, bias, geometry, group, name }: ConvNode): string {
  const input = ctx.channelsFirst(x);
  return ctx.graph.op('Conv', bias ? [input.name, weight, bias] : [input.name, weight], name, {
    kernel_shape: geometry.kernelSize.slice(),
    strides: geometry.strides.slice(),
    dilations: geometry.dilations.slice(),
    group,
    ...paddingAttributes(spatialOf(x), geometry),
  });
}

function channelsFirstOutput(name: string, shape: (number | null)[]): OnnxValue {
  return { name, shape, perm: normalizePerm(channelsFirstPerm(shape.length)) };
}

function finish(
  ctx: ExportContext,
  call: LayerCall,
  y: string,
  layer: Layer & { readonly activation: ActivationFunction },
): OnnxValue[] {
  return [emitActivation(ctx, layer.activation, channelsFirstOutput(y, singleOutputShape(call)), layer, call.path)];
}

function convertConv(ctx: ExportContext, call: LayerCall<Conv1D | Conv2D>): OnnxValue[] {
  const layer = call.layer;
  const x = singleInput(call);
  const kernel = layer.kernel as Variable;
  const inChannels = kernel.shape[kernel.shape.length - 2] as number;
  const y = emitConv(ctx, {
    x,
    weight: ctx.weight(kernel, (source) => toChannelsFirstKernel(kernel, source, inChannels, layer.filters)),
    bias: layer.bias ? ctx.weight(layer.bias) : null,
    geometry: { kernelSize: layer.kernelSize, strides: layer.strides, dilations: layer.dilationRate, padding: layer.padding },
    // grouped: ONNX's W [filters, in / groups, ...] splits channels and filters into groups as Keras does
    group: layer.groups,
    name: `${call.path}/Conv`,
  });
  return finish(ctx, call, y, layer);
}

/** Depthwise: one group per input channel; output channel c * multiplier + m, as in Keras. */
function depthwiseWeight(ctx: ExportContext, layer: DepthwiseConv2D | SeparableConv2D): string {
  const kernel = layer.depthwiseKernel as Variable;
  const [, , channels, multiplier] = kernel.shape as [number, number, number, number];
  return ctx.weight(kernel, (source) => toChannelsFirstKernel(kernel, source, 1, channels * multiplier));
}

function depthwiseGeometry(layer: DepthwiseConv2D | SeparableConv2D): ConvGeometry {
  return { kernelSize: layer.kernelSize, strides: layer.strides, dilations: layer.dilationRate, padding: layer.padding };
}

function convertDepthwise(ctx: ExportContext, call: LayerCall<DepthwiseConv2D>): OnnxValue[] {
  const layer = call.layer;
  const x = singleInput(call);
  const y = emitConv(ctx, {
    x,
    weight: depthwiseWeight(ctx, layer),
    bias: layer.bias ? ctx.weight(layer.bias) : null,
    geometry: depthwiseGeometry(layer),
    group: (layer.depthwiseKernel as Variable).shape[2] as number,
    name: `${call.path}/Conv`,
  });
  return finish(ctx, call, y, layer);
}

/** Depthwise conv (no bias), then the pointwise 1x1 conv with the bias. */
function convertSeparable(ctx: ExportContext, call: LayerCall<SeparableConv2D>): OnnxValue[] {
  const layer = call.layer;
  const x = singleInput(call);
  const depthwiseKernel = layer.depthwiseKernel as Variable;
  const channels = depthwiseKernel.shape[2] as number;
  const multiplier = depthwiseKernel.shape[3] as number;
  const depthwise = emitConv(ctx, {
    x,
    weight: depthwiseWeight(ctx, layer),
    bias: null,
    geometry: depthwiseGeometry(layer),
    group: channels,
    name: `${call.path}/depthwise/Conv`,
  });
  const pointwiseKernel = layer.pointwiseKernel as Variable;
  const outShape = singleOutputShape(call);
  const middle = channelsFirstOutput(depthwise, [...outShape.slice(0, -1), channels * multiplier]);
  const y = emitConv(ctx, {
    x: middle,
    weight: ctx.weight(pointwiseKernel, (source) =>
      toChannelsFirstKernel(pointwiseKernel, source, channels * multiplier, layer.filters),
    ),
    bias: layer.bias ? ctx.weight(layer.bias) : null,
    geometry: { kernelSize: [1, 1], strides: [1, 1], dilations: [1, 1], padding: 'valid' },
    group: 1,
    name: `${call.path}/pointwise/Conv`,
  });
  return finish(ctx, call, y, layer);
}

export const convolutionConverters: readonly ConverterEntry[] = [
  converter(Conv2D, convertConv),
  converter(Conv1D, convertConv),
  converter(DepthwiseConv2D, convertDepthwise),
  converter(SeparableConv2D, convertSeparable),
];
