/**
 * Conv2DTranspose and Conv1DTranspose as ONNX ConvTranspose on channels-first values. Keras's
 * kernel [...spatial, out, in] is ONNX's [in, out, ...spatial]; TensorFlow's window is written as
 * explicit pads (the forward convolution's padding, which ConvTranspose crops from its full
 * output) and output_padding for the trailing rows no input reaches.
 */
import { Conv1DTranspose, Conv2DTranspose } from '../../../layers/convolutional/conv-transpose.js';
import { convTransposeLength } from '../../../ops/conv-transpose.js';
import type { Variable } from '../../../tensor/tensor.js';
import { type ExportContext, type LayerCall, singleInput, singleOutputShape } from '../context.js';
import { type ConverterEntry, converter } from '../converter.js';
import { channelsFirstPerm, normalizePerm, type OnnxValue } from '../layout.js';
import { emitActivation } from './activations.js';
import { toChannelsFirstKernel } from './convolution.js';

function convertConvTranspose(ctx: ExportContext, call: LayerCall<Conv1DTranspose | Conv2DTranspose>): OnnxValue[] {
  const layer = call.layer;
  const x = singleInput(call);
  const spatial = x.shape.slice(1, -1);
  if (spatial.some((d) => d === null)) {
    throw new Error(
      `ONNX export: layer "${layer.name}" (${layer.className}) needs known spatial sizes to write its padding, received shape [${x.shape.map(String).join(', ')}].`,
    );
  }
  const kernel = layer.kernel as Variable;
  const inChannels = kernel.shape[kernel.shape.length - 1] as number;
  const before: number[] = [];
  const after: number[] = [];
  const outputPadding: number[] = [];
  spatial.forEach((d, i) => {
    const { padBefore, padAfter } = convTransposeLength(
      d as number,
      layer.kernelSize[i] as number,
      layer.padding as 'valid' | 'same',
      layer.strides[i] as number,
      layer.dilationRate[i] as number,
      layer.outputPadding ? (layer.outputPadding[i] as number) : null,
    );
    before.push(padBefore);
    after.push(Math.max(padAfter, 0));
    outputPadding.push(Math.max(-padAfter, 0));
  });
  const input = ctx.channelsFirst(x);
  const weight = ctx.weight(kernel, (source) => toChannelsFirstKernel(kernel, source, layer.filters, inChannels));
  const inputs = [input.name, weight, ...(layer.bias ? [ctx.weight(layer.bias)] : [])];
  const y = ctx.graph.op('ConvTranspose', inputs, `${call.path}/ConvTranspose`, {
    kernel_shape: layer.kernelSize.slice(),
    strides: layer.strides.slice(),
    dilations: layer.dilationRate.slice(),
    pads: [...before, ...after],
    output_padding: outputPadding,
  });
  const shape = singleOutputShape(call);
  const out: OnnxValue = { name: y, shape, perm: normalizePerm(channelsFirstPerm(shape.length)) };
  return [emitActivation(ctx, layer.activation, out, layer, call.path)];
}

export const convTransposeConverters: readonly ConverterEntry[] = [
  converter(Conv2DTranspose, convertConvTranspose),
  converter(Conv1DTranspose, convertConvTranspose),
];
