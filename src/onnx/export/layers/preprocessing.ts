/**
 * Preprocessing layers active at inference: Rescaling (Mul, Add), Resizing and RandomCrop's
 * inference path (a centred crop, then ONNX Resize). tf.image.resize's half-pixel centres are
 * ONNX's `half_pixel`; its nearest rule floor((x + 0.5) * scale) is `round_prefer_ceil` there.
 */
import { smartCropWindow } from '../../../data/image-kernels/resize-tf.js';
import type { Layer } from '../../../layers/engine/layer.js';
import { RandomCrop } from '../../../layers/preprocessing/random-crop.js';
import { Rescaling } from '../../../layers/preprocessing/rescaling.js';
import { Resizing } from '../../../layers/preprocessing/resizing.js';
import { type ExportContext, type LayerCall, singleInput, singleOutputShape } from '../context.js';
import { type ConverterEntry, converter } from '../converter.js';
import { type OnnxValue, physicalAxis, physicalShape } from '../layout.js';

function convertRescaling(ctx: ExportContext, call: LayerCall<Rescaling>): OnnxValue[] {
  const x = singleInput(call);
  const g = ctx.graph;
  let y = g.op('Mul', [x.name, g.scalar(`${call.path}/scale`, call.layer.scale)], `${call.path}/Mul`);
  if (call.layer.offset !== 0) y = g.op('Add', [y, g.scalar(`${call.path}/offset`, call.layer.offset)], `${call.path}/Add`);
  return [{ ...x, name: y }];
}

/** Images as (batch, height, width, channels): the logical axes of height and width. */
function imageAxes(layer: Layer, x: OnnxValue): { heightAxis: number; widthAxis: number; height: number; width: number } {
  const rank = x.shape.length;
  const height = x.shape[rank - 3];
  const width = x.shape[rank - 2];
  if ((rank !== 3 && rank !== 4) || typeof height !== 'number' || typeof width !== 'number') {
    throw new Error(
      `ONNX export: layer "${layer.name}" (${layer.className}) needs images of a known height and width, received shape [${x.shape.map(String).join(', ')}].`,
    );
  }
  return { heightAxis: rank - 3, widthAxis: rank - 2, height, width };
}

/** The centred window of the target's aspect ratio (Keras's smart_resize crop), as a Slice. */
function centredCrop(ctx: ExportContext, layer: Layer, x: OnnxValue, targetH: number, targetW: number, path: string): OnnxValue {
  const { heightAxis, widthAxis, height, width } = imageAxes(layer, x);
  const { top, left, cropH, cropW } = smartCropWindow(height, width, targetH, targetW);
  if (cropH === height && cropW === width) return x;
  const g = ctx.graph;
  const name = g.op(
    'Slice',
    [
      x.name,
      g.int64s(`${path}/crop_starts`, [top, left]),
      g.int64s(`${path}/crop_ends`, [top + cropH, left + cropW]),
      g.int64s(`${path}/crop_axes`, [physicalAxis(x, heightAxis), physicalAxis(x, widthAxis)]),
    ],
    `${path}/Slice`,
  );
  const shape = x.shape.slice();
  shape[heightAxis] = cropH;
  shape[widthAxis] = cropW;
  return { name, shape, perm: x.perm };
}

const RESIZE_MODES: Readonly<Record<string, Record<string, string>>> = {
  bilinear: { mode: 'linear', coordinate_transformation_mode: 'half_pixel' },
  nearest: { mode: 'nearest', coordinate_transformation_mode: 'half_pixel', nearest_mode: 'round_prefer_ceil' },
};

function resize(
  ctx: ExportContext,
  layer: Layer,
  x: OnnxValue,
  outShape: (number | null)[],
  interpolation: string,
  path: string,
): OnnxValue {
  const { height, width } = imageAxes(layer, x);
  const rank = x.shape.length;
  if (outShape[rank - 3] === height && outShape[rank - 2] === width) return x;
  const attributes = RESIZE_MODES[interpolation];
  if (!attributes) {
    throw new Error(
      `ONNX export: layer "${layer.name}" (${layer.className}) uses interpolation '${interpolation}', which ONNX's Resize does not compute as tf.image.resize does; ` +
        `exportable: ${Object.keys(RESIZE_MODES).join(', ')}.`,
    );
  }
  // `sizes` must list every axis and the batch may be dynamic: sizes = Shape(x) * keep + target,
  // where keep is 1 on the axes that stay (batch, channels) and target holds the new height and width.
  const g = ctx.graph;
  const spatial = new Set([physicalAxis(x, rank - 3), physicalAxis(x, rank - 2)]);
  const physicalOut = physicalShape({ ...x, shape: outShape });
  const keep = physicalOut.map((_, i) => (spatial.has(i) ? 0 : 1));
  const target = physicalOut.map((d, i) => (spatial.has(i) ? (d as number) : 0));
  const inputShape = g.op('Shape', [x.name], `${path}/Shape`);
  const kept = g.op('Mul', [inputShape, g.int64s(`${path}/keep_axes`, keep)], `${path}/Mul_keep`);
  const sizes = g.op('Add', [kept, g.int64s(`${path}/target_size`, target)], `${path}/sizes`);
  const name = g.op('Resize', [x.name, '', '', sizes], `${path}/Resize`, attributes);
  return { name, shape: outShape, perm: x.perm };
}

function convertResizing(ctx: ExportContext, call: LayerCall<Resizing>): OnnxValue[] {
  const layer = call.layer;
  if (layer.padToAspectRatio) {
    throw new Error(
      `ONNX export: layer "${layer.name}" (Resizing) uses pad_to_aspect_ratio, which the exporter does not support yet.`,
    );
  }
  let x = singleInput(call);
  if (layer.cropToAspectRatio) x = centredCrop(ctx, layer, x, layer.height, layer.width, call.path);
  return [resize(ctx, layer, x, singleOutputShape(call), layer.interpolation, call.path)];
}

/** At inference RandomCrop takes the centred window and resizes it bilinearly to its size. */
function convertRandomCrop(ctx: ExportContext, call: LayerCall<RandomCrop>): OnnxValue[] {
  const layer = call.layer;
  const x = centredCrop(ctx, layer, singleInput(call), layer.height, layer.width, call.path);
  return [resize(ctx, layer, x, singleOutputShape(call), 'bilinear', call.path)];
}

export const preprocessingConverters: readonly ConverterEntry[] = [
  converter(Rescaling, convertRescaling),
  converter(Resizing, convertResizing),
  converter(RandomCrop, convertRandomCrop),
];
