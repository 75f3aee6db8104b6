/**
 * BatchNormalization at inference, as ONNX BatchNormalization, which normalizes physical axis 1:
 * the value is put in a layout with the layer's axis there (channels-first for the usual
 * channels-last axis, which the neighbouring convs want anyway). LayerNormalization (trailing
 * axes) is composed from ReduceMean and arithmetic, since ONNX's own op needs opset 17.
 */
import { BatchNormalization } from '../../../layers/normalization/batch-normalization.js';
import { LayerNormalization } from '../../../layers/normalization/layer-normalization.js';
import type { Variable } from '../../../tensor/tensor.js';
import { type ExportContext, type LayerCall, singleInput } from '../context.js';
import { type ConverterEntry, converter } from '../converter.js';
import { floatAttr } from '../graph-builder.js';
import { identityPerm, normalizePerm, type OnnxValue } from '../layout.js';

/** A layout with logical axis `axis` at physical position 1: the current one if it already is. */
function layoutWithAxisSecond(x: OnnxValue, axis: number): number[] | null {
  const rank = x.shape.length;
  const current = x.perm ?? identityPerm(rank);
  if (current[1] === axis) return x.perm ? x.perm.slice() : null;
  const rest = identityPerm(rank).filter((a) => a !== 0 && a !== axis);
  return normalizePerm([0, axis, ...rest]);
}

function convertBatchNormalization(ctx: ExportContext, call: LayerCall<BatchNormalization>): OnnxValue[] {
  const layer = call.layer;
  const input = singleInput(call);
  const rank = input.shape.length;
  const axis = layer.axis < 0 ? rank + layer.axis : layer.axis;
  if (axis <= 0 || axis >= rank) {
    throw new Error(
      `ONNX export: layer "${layer.name}" (BatchNormalization) normalizes axis ${layer.axis} of a rank-${rank} input; only a non-batch axis can be exported.`,
    );
  }
  const x = ctx.inLayout(input, layoutWithAxisSecond(input, axis));
  const mean = layer.movingMean as Variable;
  const channels = mean.shape[0] as number;
  const g = ctx.graph;
  const scale = layer.gamma
    ? ctx.weight(layer.gamma)
    : g.floats(`${call.path}/gamma`, new Float32Array(channels).fill(1), [channels]);
  const bias = layer.beta ? ctx.weight(layer.beta) : g.floats(`${call.path}/beta`, new Float32Array(channels), [channels]);
  const name = g.op(
    'BatchNormalization',
    [x.name, scale, bias, ctx.weight(mean), ctx.weight(layer.movingVariance as Variable)],
    `${call.path}/BatchNormalization`,
    { epsilon: floatAttr(layer.epsilon) },
  );
  return [{ ...x, name }];
}

/** (x - mean) / sqrt(variance + epsilon) * gamma + beta over the trailing axes, in Keras's layout. */
function convertLayerNormalization(ctx: ExportContext, call: LayerCall<LayerNormalization>): OnnxValue[] {
  const layer = call.layer;
  const x = ctx.logical(singleInput(call));
  const rank = x.shape.length;
  const axes = (Array.isArray(layer.axis) ? layer.axis : [layer.axis]).map((a) => (a < 0 ? rank + a : a)).sort((a, b) => a - b);
  const g = ctx.graph;
  const path = call.path;
  const mean = g.op('ReduceMean', [x.name], `${path}/mean`, { axes, keepdims: 1 });
  const centered = g.op('Sub', [x.name, mean], `${path}/Sub`);
  const squared = g.op('Mul', [centered, centered], `${path}/square`);
  const variance = g.op('ReduceMean', [squared], `${path}/variance`, { axes, keepdims: 1 });
  const epsilon = g.scalar(`${path}/epsilon`, layer.epsilon);
  const deviation = g.op('Sqrt', [g.op('Add', [variance, epsilon], `${path}/Add_epsilon`)], `${path}/Sqrt`);
  let y = g.op('Div', [centered, deviation], `${path}/Div`);
  if (layer.gamma) y = g.op('Mul', [y, ctx.weight(layer.gamma)], `${path}/Mul_gamma`);
  if (layer.beta) y = g.op('Add', [y, ctx.weight(layer.beta)], `${path}/Add_beta`);
  return [{ ...x, name: y }];
}

export const normalizationConverters: readonly ConverterEntry[] = [
  converter(BatchNormalization, convertBatchNormalization),
  converter(LayerNormalization, convertLayerNormalization),
];
