/**
 * Flatten, Reshape, Permute and zero padding. Flatten and Reshape read elements in Keras's
 * (channels-last) order, so they work on the logical layout; Permute only relabels axes and emits
 * nothing; padding pads the value in whatever layout it has.
 */
import { Flatten } from '../../../layers/core/flatten.js';
import { Permute, Reshape } from '../../../layers/core/reshape.js';
import { ZeroPadding1D, ZeroPadding2D } from '../../../layers/reshaping/zero-padding.js';
import { type ExportContext, type LayerCall, singleInput, singleOutputShape } from '../context.js';
import { type ConverterEntry, converter } from '../converter.js';
import { identityPerm, invertPerm, normalizePerm, type OnnxValue } from '../layout.js';

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

export const reshapingConverters: readonly ConverterEntry[] = [
  converter(Flatten, convertFlatten),
  converter(Reshape, convertReshape),
  converter(Permute, convertPermute),
  converter(ZeroPadding2D, (ctx, call) => {
    const [h, w] = call.layer.padding;
    return pad(ctx, call, [[0, 0], h, w, [0, 0]]);
  }),
  converter(ZeroPadding1D, (ctx, call) => pad(ctx, call, [[0, 0], call.layer.padding, [0, 0]])),
];
