/**
 * BatchNormalization at inference, as ONNX BatchNormalization, which normalizes physical axis 1:
 * the value is put in a layout with the layer's axis there (channels-first for the usual
 * channels-last axis, which the neighbouring convs want anyway).
 */
import { BatchNormalization } from '../../../layers/normalization/batch-normalization.js';
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

export const normalizationConverters: readonly ConverterEntry[] = [converter(BatchNormalization, convertBatchNormalization)];
