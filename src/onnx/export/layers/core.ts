/** Dense, Embedding, and the layers that are the identity at inference (dropout, noise, random augmentation). */
import { Dense } from '../../../layers/core/dense.js';
import { Dropout } from '../../../layers/core/dropout.js';
import { Embedding } from '../../../layers/core/embedding.js';
import { RandomRotation, RandomTranslation, RandomZoom } from '../../../layers/preprocessing/random-affine.js';
import { RandomBrightness, RandomContrast } from '../../../layers/preprocessing/random-color.js';
import { RandomFlip } from '../../../layers/preprocessing/random-flip.js';
import { GaussianNoise, SpatialDropout2D } from '../../../layers/regularization/noise.js';
import type { Variable } from '../../../tensor/tensor.js';
import { type ExportContext, type LayerCall, singleInput } from '../context.js';
import { type ConverterEntry, converter } from '../converter.js';
import { ONNX_INT64 } from '../graph-builder.js';
import type { OnnxValue } from '../layout.js';
import { emitActivation } from './activations.js';

/** x @ kernel + bias over the last axis: Gemm for 2-D inputs, MatMul + Add above. */
function convertDense(ctx: ExportContext, call: LayerCall<Dense>): OnnxValue[] {
  const layer = call.layer;
  const x = ctx.logical(singleInput(call));
  const g = ctx.graph;
  const kernel = ctx.weight(layer.kernel as Variable);
  const bias = layer.bias ? ctx.weight(layer.bias) : null;
  let y: string;
  if (x.shape.length === 2) {
    y = g.op('Gemm', bias ? [x.name, kernel, bias] : [x.name, kernel], `${call.path}/Gemm`);
  } else {
    y = g.op('MatMul', [x.name, kernel], `${call.path}/MatMul`);
    if (bias) y = g.op('Add', [y, bias], `${call.path}/Add`);
  }
  const shape = call.outputShapes[0] ?? x.shape;
  return [emitActivation(ctx, layer.activation, { name: y, shape, perm: null }, layer, call.path)];
}

/** Rows of the embedding matrix by index: the (float) indices cast to int64 for ONNX's Gather. */
function convertEmbedding(ctx: ExportContext, call: LayerCall<Embedding>): OnnxValue[] {
  if (call.layer.maskZero) {
    // the graph would carry no mask, and the layers after it would compute over the padding
    throw new Error(
      `ONNX export: layer "${call.layer.name}" (Embedding) has maskZero: true; masks cannot be exported to ONNX. Export a model without masking.`,
    );
  }
  const x = ctx.logical(singleInput(call));
  const g = ctx.graph;
  const indices = g.op('Cast', [x.name], `${call.path}/Cast`, { to: ONNX_INT64 });
  const name = g.op('Gather', [ctx.weight(call.layer.embeddings as Variable), indices], `${call.path}/Gather`, { axis: 0 });
  return [{ name, shape: call.outputShapes[0] ?? [...x.shape, call.layer.outputDim], perm: null }];
}

/** At inference these layers return their input unchanged (Keras's `training=False`). */
function identity(_ctx: ExportContext, call: LayerCall): OnnxValue[] {
  return [singleInput(call)];
}

export const coreConverters: readonly ConverterEntry[] = [
  converter(Dense, convertDense),
  converter(Embedding, convertEmbedding),
  ...[
    Dropout,
    SpatialDropout2D,
    GaussianNoise,
    RandomFlip,
    RandomRotation,
    RandomTranslation,
    RandomZoom,
    RandomContrast,
    RandomBrightness,
  ].map((cls) => converter(cls, identity)),
];
