/**
 * Shape ops. On constants they fold (const-eval.ts); on computed tensors Transpose only changes
 * the stored perm, Flatten of an NHWC map keeps the stored order for a Dense to absorb, and the
 * others work in the graph's layout: Keras's Reshape/Flatten when the batch axis is untouched,
 * an OnnxOp reshape otherwise.
 */
import { Flatten } from '../../../layers/core/flatten.js';
import { Reshape } from '../../../layers/core/reshape.js';
import * as ops from '../../../ops/index.js';
import type { Tensor } from '../../../tensor/tensor.js';
import { constant, dyn, type OpNode } from '../builder.js';
import { constArray, constValues, sizeOfDims } from '../const-array.js';
import { expandConst, mapConst, reshapeConst, transposeConst } from '../const-eval.js';
import { readInlineTensor } from '../tensor-proto.js';
import { channelsLastPerm, type DynValue, identityPerm, logicalShape, permWithout, type Value } from '../values.js';
import { checkElements, constInput, fail, input, intsFrom, normalizeAxis, type OpHandler } from './common.js';

/**
 * A graph-layout tensor reshaped to `shape` (null: the free batch): Keras's Reshape when the batch
 * axis is kept, else an OnnxOp.
 */
export function reshapeTo(node: OpNode, x: DynValue, shape: readonly (number | null)[]): DynValue {
  const inShape = x.tensor.shape;
  const perm = identityPerm(shape.length);
  if (shape.length === inShape.length && shape.every((d, i) => d === inShape[i])) return dyn(x.tensor, perm);
  if (shape.length >= 1 && shape[0] === inShape[0] && shape.slice(1).every((d) => d !== null)) {
    const layer = new Reshape(shape.slice(1) as number[], { name: node.b.layerName(node) });
    return dyn(node.b.applyOne(layer, x.tensor), perm);
  }
  if (shape.includes(null))
    fail(node, `cannot reshape a tensor of shape [${inShape.join(', ')}] with a free batch to [${shape.join(', ')}]`);
  return dyn(
    node.b.opOne(node, [x.tensor], ([t]) => ops.reshape(t as Tensor, shape as number[])),
    perm,
  );
}

/** ONNX Reshape's target: 0 copies the input dim (unless allowzero), one -1 takes the rest. */
function reshapeTarget(node: OpNode, inShape: readonly (number | null)[], raw: readonly number[]): (number | null)[] {
  const allowZero = node.attrs.int('allowzero', 0) === 1;
  if (raw.some((d, i) => Number.isNaN(d) && (i > 0 || inShape[0] !== null))) {
    fail(
      node,
      `the shape [${raw.map((d) => (Number.isNaN(d) ? 'batch' : d)).join(', ')}] uses the free batch size other than as its first entry`,
    );
  }
  const out: (number | null)[] = raw.map((d, i) => {
    if (Number.isNaN(d)) return null;
    if (d !== 0 || allowZero) return d;
    if (i >= inShape.length) fail(node, `shape entry ${i} copies a missing input dim`);
    return inShape[i] ?? null;
  });
  const free = out.indexOf(-1);
  if (free >= 0) {
    const known = out.filter((_, i) => i !== free);
    if (known.includes(null) || inShape.slice(0).includes(null)) {
      // The batch is free: it must stay the first axis, the -1 is then the rest of the per-sample size.
      if (inShape[0] !== null || out[0] !== null)
        fail(node, `cannot infer -1 in [${raw.join(', ')}] for an input of shape [${inShape.join(', ')}]`);
      const per = sizeOfDims(inShape.slice(1) as number[]);
      out[free] = per / sizeOfDims(known.slice(1) as number[]);
    } else {
      out[free] = sizeOfDims(inShape as number[]) / sizeOfDims(known as number[]);
    }
    if (!Number.isInteger(out[free]))
      fail(node, `shape [${raw.join(', ')}] does not divide an input of shape [${inShape.join(', ')}]`);
  }
  return out;
}

function reshape(node: OpNode): Value[] {
  const x = input(node, 0);
  const raw = constValues(constInput(node, 1, 'the shape', true).value);
  if (x.kind === 'const') return [constant(reshapeConst(x.value, reshapeTarget(node, x.value.dims, raw) as number[]))];
  const target = reshapeTarget(node, logicalShape(x), raw);
  const perSample = x.tensor.shape.slice(1).reduce<number>((a, d) => a * (d ?? 0), 1);
  // Reshape(x, [batch, -1]) of an NHWC map is a Flatten: keep the stored order for a Dense to absorb.
  const flattened =
    target.length === 2 && target[0] === x.tensor.shape[0] && target[1] === perSample ? flattenNhwc(node, x) : null;
  if (flattened) return [flattened];
  const v = node.b.logical(node, x);
  return [reshapeTo(node, v, target)];
}

function flatten(node: OpNode): Value[] {
  const x = input(node, 0);
  const rank = x.kind === 'const' ? x.value.dims.length : x.perm.length;
  const axis = normalizeAxis(node, node.attrs.int('axis', 1), rank + 1);
  if (x.kind === 'const') {
    const d = x.value.dims;
    return [constant(reshapeConst(x.value, [sizeOfDims(d.slice(0, axis)), sizeOfDims(d.slice(axis))]))];
  }
  const flattened = axis === 1 ? flattenNhwc(node, x) : null;
  if (flattened) return [flattened];
  return [flattenLogical(node, node.b.logical(node, x), axis, '')];
}

/** [N, C, H, W] -> [N, C*H*W] of a map stored NHWC: Keras's Flatten on the stored map, in stored order. */
function flattenNhwc(node: OpNode, x: DynValue): DynValue | null {
  const nhwc = channelsLastPerm(4);
  if (x.perm.length !== 4 || !x.perm.every((p, i) => p === nhwc[i])) return null;
  const [, h, w, c] = x.tensor.shape as [number | null, number, number, number];
  const out = node.b.applyOne(new Flatten({ name: node.b.layerName(node) }), x.tensor);
  if (h * w === 1) return dyn(out, [0, 1]);
  // Stored column (i, j, k) of the NHWC map is logical column k*h*w + i*w + j of the NCHW one.
  const order = new Int32Array(h * w * c);
  for (let i = 0, n = 0; i < h; i++) for (let j = 0; j < w; j++) for (let k = 0; k < c; k++) order[n++] = k * h * w + i * w + j;
  let logical: DynValue | null = null;
  const build = (): DynValue => {
    logical ??= flattenLogical(node, node.b.logical(node, x), 1, '.logical');
    return logical;
  };
  return { kind: 'dyn', tensor: out, perm: [0, 1], flat: { order, logical: build } };
}

function flattenLogical(node: OpNode, x: DynValue, axis: number, suffix: string): DynValue {
  if (axis === 1) return dyn(node.b.applyOne(new Flatten({ name: node.b.layerName(node, suffix) }), x.tensor), [0, 1]);
  const tensor = node.b.opOne(node, [x.tensor], ([t]) => {
    const s = (t as Tensor).shape;
    return ops.reshape(t as Tensor, [sizeOfDims(s.slice(0, axis)), sizeOfDims(s.slice(axis))]);
  });
  return dyn(tensor, [0, 1]);
}

function transpose(node: OpNode): Value[] {
  const x = input(node, 0);
  const rank = x.kind === 'const' ? x.value.dims.length : x.perm.length;
  const p = node.attrs.ints('perm', identityPerm(rank).reverse()) as number[];
  if (p.length !== rank || [...p].sort((a, b) => a - b).some((v, i) => v !== i))
    fail(node, `perm [${p.join(', ')}] is not a permutation of ${rank} axes`);
  if (x.kind === 'const') return [constant(transposeConst(x.value, p))];
  const inverse = new Array<number>(rank);
  p.forEach((axis, i) => {
    inverse[axis] = i;
  });
  // Free: stored axis j held input axis perm[j], which is output axis inverse[perm[j]].
  return [
    dyn(
      x.tensor,
      x.perm.map((q) => inverse[q] as number),
      x.nonNegative === true,
    ),
  ];
}

function squeezeOrUnsqueeze(node: OpNode): Value[] {
  const x = input(node, 0);
  const inShape = x.kind === 'const' ? x.value.dims : logicalShape(x);
  const rank = inShape.length;
  const axesRaw = intsFrom(node, 1, 'axes');
  let outShape: (number | null)[];
  if (node.opType === 'Squeeze') {
    const axes = (axesRaw ?? inShape.flatMap((d, i) => (d === 1 ? [i] : []))).map((a) => normalizeAxis(node, a, rank));
    for (const a of axes) if (inShape[a] !== 1) fail(node, `axis ${a} has size ${inShape[a]}, not 1`);
    outShape = inShape.filter((_, i) => !axes.includes(i));
    if (
      x.kind === 'dyn' &&
      !x.flat &&
      axes.every((a) => x.tensor.shape[x.perm.indexOf(a)] === 1) &&
      !axes.includes(x.perm[0] as number)
    ) {
      // Dropping unit axes keeps the stored order of the others: reshape the stored tensor, keep the layout.
      const stored = x.tensor.shape.filter((_, j) => !axes.includes(x.perm[j] as number));
      const out = reshapeTo(node, dyn(x.tensor, identityPerm(x.tensor.shape.length)), stored);
      return [dyn(out.tensor, permWithout(x.perm, axes), x.nonNegative === true)];
    }
  } else {
    if (!axesRaw) fail(node, 'axes are missing');
    const outRank = rank + axesRaw.length;
    const axes = axesRaw.map((a) => normalizeAxis(node, a, outRank));
    outShape = [];
    for (let i = 0, k = 0; i < outRank; i++) outShape.push(axes.includes(i) ? 1 : (inShape[k++] ?? null));
  }
  if (x.kind === 'const') return [constant(reshapeConst(x.value, outShape as number[]))];
  return [reshapeTo(node, node.b.logical(node, x), outShape)];
}

function shape(node: OpNode): Value[] {
  const x = input(node, 0);
  const dims = x.kind === 'const' ? x.value.dims : logicalShape(x);
  const rank = dims.length;
  const clampAxis = (a: number) => Math.min(Math.max(a < 0 ? a + rank : a, 0), rank);
  const part = dims.slice(clampAxis(node.attrs.int('start', 0)), clampAxis(node.attrs.int('end', rank)));
  // The free batch folds to NaN: Gather/Concat/Unsqueeze move it, a Reshape reads it as "the batch".
  return [
    constant(
      constArray(
        [part.length],
        part.map((d) => d ?? Number.NaN),
        'int',
      ),
    ),
  ];
}

function constantNode(node: OpNode): Value[] {
  const what = `node '${node.name}' (Constant) attribute 'value'`;
  const t = node.attrs.tensor('value');
  if (t) return [constant(readInlineTensor(t, what))];
  if (node.attrs.has('value_float')) return [constant(constArray([], [node.attrs.float('value_float', 0)], 'float'))];
  if (node.attrs.has('value_int')) return [constant(constArray([], [node.attrs.int('value_int', 0)], 'int'))];
  const floats = node.attrs.floats('value_floats');
  if (floats) return [constant(constArray([floats.length], floats, 'float'))];
  const ints = node.attrs.ints('value_ints');
  if (ints) return [constant(constArray([ints.length], ints, 'int'))];
  return fail(node, 'has no value attribute capa reads (value, value_float(s), value_int(s))');
}

function constantOfShape(node: OpNode): Value[] {
  const dims = constValues(constInput(node, 0, 'the shape').value);
  const t = node.attrs.tensor('value');
  const fill = t ? readInlineTensor(t, `node '${node.name}' attribute 'value'`) : constArray([1], [0], 'float');
  const size = sizeOfDims(dims);
  if (!(size <= 2 ** 26)) fail(node, `a constant of shape [${dims.join(', ')}] is larger than capa folds at import`);
  return [constant(constArray(dims, new Float64Array(size).fill(fill.data[0] ?? 0), fill.dtype))];
}

function cast(node: OpNode): Value[] {
  const x = input(node, 0);
  const to = node.attrs.int('to', 1);
  const isFloat = to === 1 || to === 10 || to === 11 || to === 16;
  if (x.kind === 'const') {
    if (isFloat) return [constant({ ...x.value, dtype: 'float' })];
    if (to === 9) return [constant(mapConst(x.value, (v) => (v !== 0 ? 1 : 0), 'bool'))];
    return [constant(mapConst(x.value, Math.trunc, 'int'))];
  }
  if (!isFloat) fail(node, `casting a computed tensor to data_type ${to} is not supported (capa's graphs compute in float32)`);
  return [x];
}

function expand(node: OpNode): Value[] {
  const x = input(node, 0);
  const target = constValues(constInput(node, 1, 'the shape').value);
  if (x.kind === 'const') return [constant(expandConst(x.value, target))];
  const v = node.b.logical(node, x);
  const inShape = v.tensor.shape;
  const outRank = Math.max(inShape.length, target.length);
  checkElements(
    node,
    Array.from({ length: outRank }, (_, i) => {
      const a = inShape[inShape.length - outRank + i] ?? 1;
      const b = target[target.length - outRank + i] ?? 1;
      return a === 1 ? b : a;
    }),
  );
  const out = node.b.opOne(node, [v.tensor], ([t]) => {
    const s = (t as Tensor).shape;
    const rank = Math.max(s.length, target.length);
    const dims = Array.from({ length: rank }, (_, i) => {
      const a = s[s.length - rank + i] ?? 1;
      const b = target[target.length - rank + i] ?? 1;
      return a === 1 ? b : a;
    });
    return ops.broadcastTo(t as Tensor, dims);
  });
  return [dyn(out, identityPerm(out.shape.length))];
}

function range(node: OpNode): Value[] {
  const [start, limit, delta] = [0, 1, 2].map(
    (i) => constValues(constInput(node, i, ['start', 'limit', 'delta'][i] as string).value)[0] as number,
  ) as [number, number, number];
  const n = Math.max(Math.ceil((limit - start) / delta), 0);
  if (!(n <= 2 ** 26)) fail(node, `a range of ${n} values is larger than capa folds at import`);
  const dtype = constInput(node, 0, 'start').value.dtype;
  return [
    constant(
      constArray(
        [n],
        Array.from({ length: n }, (_, i) => start + i * delta),
        dtype,
      ),
    ),
  ];
}

const passThrough: OpHandler = (node) => {
  if (node.outputCount > 1 && node.opType === 'Dropout') fail(node, "Dropout's mask output is not supported");
  return [input(node, 0)];
};

export const SHAPE_OPS: Record<string, OpHandler> = {
  Reshape: reshape,
  Flatten: flatten,
  Transpose: transpose,
  Squeeze: squeezeOrUnsqueeze,
  Unsqueeze: squeezeOrUnsqueeze,
  Shape: shape,
  Constant: constantNode,
  ConstantOfShape: constantOfShape,
  Cast: cast,
  Expand: expand,
  Range: range,
  Identity: passThrough,
  Dropout: passThrough,
};
