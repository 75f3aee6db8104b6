/**
 * Flatten, Reshape, Permute and zero padding. Flatten and Reshape read elements in Keras's
 * (channels-last) order, so they work on the logical layout; Permute only relabels axes and emits
 * nothing; padding pads the value in whatever layout it has.
 */
import { Flatten } from '../../../layers/core/flatten.js';
import { Identity } from '../../../layers/core/identity.js';
import { Permute, Reshape } from '../../../layers/core/reshape.js';
import { Cropping1D, Cropping2D } from '../../../layers/reshaping/cropping.js';
import { RepeatVector } from '../../../layers/reshaping/repeat-vector.js';
import { UpSampling1D, UpSampling2D } from '../../../layers/reshaping/up-sampling.js';
import { ZeroPadding1D, ZeroPadding2D } from '../../../layers/reshaping/zero-padding.js';
import { type ExportContext, type LayerCall, singleInput, singleOutputShape } from '../context.js';
import { type ConverterEntry, converter } from '../converter.js';
import { identityPerm, invertPerm, normalizePerm, type OnnxValue, physicalAxis } from '../layout.js';

function convertFlatten(ctx: ExportContext, call: LayerCall<Flatten>): OnnxValue[] {
  const x = ctx.logical(singleInput(call));
  const name = ctx.graph.op('Flatten', [x.name], `${call.path}/Flatten`, { axis: 1 });
  return [{ name, shape: singleOutputShape(call), perm: null }];
}

/** ONNX's Reshape copies a 0 from the input, which keeps the batch dimension dynamic. */
function convertReshape(ctx: ExportContext, call: LayerCall<Reshape>): OnnxValue[] {
  const x = ctx.logical(singleInput(call));
  const shape = ctx.graph.int64s(`${call.path}/shape`, [0, ...call.layer.targetShape]);
  const name = ctx.graph.op('Reshape', [x.name, shape], `${call.path}/Reshape`);
  return [{ name, shape: singleOutputShape(call), perm: null }];
}

/**
 * Output logical axis k is input logical axis q[k] (q = [0, ...dims]); the data stays where it
 * is and only the value's axis bookkeeping changes.
 */
function convertPermute(_ctx: ExportContext, call: LayerCall<Permute>): OnnxValue[] {
  const x = singleInput(call);
  const q = [0, ...call.layer.dims];
  const fromInputAxis = invertPerm(q);
  const physical = x.perm ?? identityPerm(x.shape.length);
  return [{ name: x.name, shape: singleOutputShape(call), perm: normalizePerm(physical.map((p) => fromInputAxis[p] as number)) }];
}

/** Pads [before, after] per logical axis, placed on the value's physical axes. */
function pad(ctx: ExportContext, call: LayerCall, logicalPads: readonly (readonly [number, number])[]): OnnxValue[] {
  const x = singleInput(call);
  const physical = x.perm ?? identityPerm(x.shape.length);
  const perAxis = physical.map((logical) => logicalPads[logical] as readonly [number, number]);
  const pads = ctx.graph.int64s(`${call.path}/pads`, [...perAxis.map((p) => p[0]), ...perAxis.map((p) => p[1])]);
  const name = ctx.graph.op('Pad', [x.name, pads], `${call.path}/Pad`, { mode: 'constant' });
  return [{ name, shape: singleOutputShape(call), perm: x.perm }];
}

/** Cuts [before, after] off each logical spatial axis (1, 2, ...) with a Slice on the physical axes. */
function crop(ctx: ExportContext, call: LayerCall, spatialCrops: readonly (readonly [number, number])[]): OnnxValue[] {
  const x = singleInput(call);
  const g = ctx.graph;
  const axes = spatialCrops.map((_, i) => physicalAxis(x, i + 1));
  const sizes = spatialCrops.map((_, i) => x.shape[i + 1]);
  if (sizes.some((d) => d === null || d === undefined)) {
    throw new Error(
      `ONNX export: layer "${call.layer.name}" (${call.layer.className}) needs known spatial sizes, received shape [${x.shape.map(String).join(', ')}].`,
    );
  }
  const name = g.op(
    'Slice',
    [
      x.name,
      g.int64s(
        `${call.path}/starts`,
        spatialCrops.map((c) => c[0]),
      ),
      g.int64s(
        `${call.path}/ends`,
        spatialCrops.map((c, i) => (sizes[i] as number) - c[1]),
      ),
      g.int64s(`${call.path}/axes`, axes),
    ],
    `${call.path}/Slice`,
  );
  return [{ name, shape: singleOutputShape(call), perm: x.perm }];
}

/**
 * UpSampling as ONNX Resize by integer scales on the spatial axes: nearest with 'asymmetric'
 * coordinates and floor (output i reads input floor(i / k), a repeat); bilinear with half-pixel
 * centres (tf.image.resize's).
 */
function upSample(
  ctx: ExportContext,
  call: LayerCall,
  factors: readonly number[],
  interpolation: 'nearest' | 'bilinear',
): OnnxValue[] {
  const x = singleInput(call);
  const rank = x.shape.length;
  const logicalScales = [1, ...factors, ...new Array<number>(rank - 1 - factors.length).fill(1)];
  const scales = new Array<number>(rank).fill(1);
  logicalScales.forEach((s, logical) => {
    scales[physicalAxis(x, logical)] = s;
  });
  const attributes: Record<string, string> =
    interpolation === 'bilinear'
      ? { mode: 'linear', coordinate_transformation_mode: 'half_pixel' }
      : { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' };
  const g = ctx.graph;
  const name = g.op(
    'Resize',
    [x.name, '', g.floats(`${call.path}/scales`, Float32Array.from(scales), [rank])],
    `${call.path}/Resize`,
    attributes,
  );
  return [{ name, shape: singleOutputShape(call), perm: x.perm }];
}

/** [batch, features] -> Unsqueeze to [batch, 1, features] -> Tile n times along axis 1. */
function convertRepeatVector(ctx: ExportContext, call: LayerCall<RepeatVector>): OnnxValue[] {
  const x = ctx.logical(singleInput(call));
  const g = ctx.graph;
  const expanded = g.op('Unsqueeze', [x.name, g.int64s(`${call.path}/axes`, [1])], `${call.path}/Unsqueeze`);
  const name = g.op('Tile', [expanded, g.int64s(`${call.path}/repeats`, [1, call.layer.n, 1])], `${call.path}/Tile`);
  return [{ name, shape: singleOutputShape(call), perm: null }];
}

export const reshapingConverters: readonly ConverterEntry[] = [
  converter(Flatten, convertFlatten),
  converter(Reshape, convertReshape),
  converter(Permute, convertPermute),
  converter(ZeroPadding2D, (ctx, call) => {
    const [h, w] = call.layer.padding;
    return pad(ctx, call, [[0, 0], h, w, [0, 0]]);
  }),
  converter(ZeroPadding1D, (ctx, call) => pad(ctx, call, [[0, 0], call.layer.padding, [0, 0]])),
  converter(Cropping2D, (ctx, call) => crop(ctx, call, call.layer.cropping)),
  converter(Cropping1D, (ctx, call) => crop(ctx, call, [call.layer.cropping])),
  converter(UpSampling2D, (ctx, call) => upSample(ctx, call, call.layer.size, call.layer.interpolation)),
  converter(UpSampling1D, (ctx, call) => upSample(ctx, call, [call.layer.size], 'nearest')),
  converter(RepeatVector, convertRepeatVector),
  converter(Identity, (_ctx, call) => [singleInput(call)]),
];
