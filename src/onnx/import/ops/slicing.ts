/**
 * Concat, Split, Slice, Gather and Pad on the stored layout: their axes are read through the
 * value's perm, so an NHWC map is concatenated, split or padded on its stored channel axis
 * without a transpose. Constants fold.
 */
import { Concatenate } from '../../../layers/merging/merge.js';
import { ZeroPadding2D } from '../../../layers/reshaping/zero-padding.js';
import * as ops from '../../../ops/index.js';
import type { Tensor } from '../../../tensor/tensor.js';
import { constant, dyn, type OpNode } from '../builder.js';
import { constValues } from '../const-array.js';
import { concatConst, gatherConst, sliceConst, sliceRange } from '../const-eval.js';
import { channelsLastPerm, type DynValue, logicalShape, permWithout, storedAxis, type Value } from '../values.js';
import { checkElements, constInput, fail, input, intsFrom, normalizeAxis, type OpHandler, optionalInput } from './common.js';

function concat(node: OpNode): Value[] {
  const parts = node.inputs.map((_, i) => input(node, i));
  const first = parts[0] as Value;
  const rank = first.kind === 'const' ? first.value.dims.length : first.perm.length;
  const axis = normalizeAxis(node, node.attrs.int('axis', 0), rank);
  if (parts.every((p) => p.kind === 'const'))
    return [
      constant(
        concatConst(
          parts.map((p) => (p.kind === 'const' ? p.value : fail(node, 'unreachable'))),
          axis,
        ),
      ),
    ];
  if (parts.some((p) => p.kind === 'const')) fail(node, 'concatenating a constant with a computed tensor is not supported');
  const dyns = parts as DynValue[];
  const lead = dyns[0] as DynValue;
  const aligned = dyns.map((v) => node.b.toPerm(node, v, lead.perm));
  const at = storedAxis(lead, axis);
  const tensors = aligned.map((v) => v.tensor);
  const out =
    at !== 0
      ? (node.b.apply(new Concatenate({ axis: at, name: node.b.layerName(node) }), tensors)[0] as DynValue['tensor'])
      : node.b.opOne(node, tensors, (ts) => ops.concat(ts, 0));
  return [
    dyn(
      out,
      lead.perm,
      aligned.every((v) => v.nonNegative === true),
    ),
  ];
}

function split(node: OpNode): Value[] {
  const x = input(node, 0);
  const rank = x.kind === 'const' ? x.value.dims.length : x.perm.length;
  const axis = normalizeAxis(node, node.attrs.int('axis', 0), rank);
  const length = x.kind === 'const' ? (x.value.dims[axis] as number) : logicalShape(x)[axis];
  if (length === null || length === undefined) fail(node, 'cannot split the free batch axis');
  let sizes = intsFrom(node, 1, 'split');
  if (!sizes) {
    const parts = node.attrs.int('num_outputs', node.outputCount);
    const each = Math.ceil(length / parts);
    sizes = Array.from({ length: parts }, (_, i) => Math.min(each, length - i * each));
  }
  if (sizes.reduce((a, b) => a + b, 0) !== length)
    fail(node, `split sizes [${sizes.join(', ')}] do not add up to the axis length ${length}`);
  if (x.kind === 'const') {
    let begin = 0;
    return sizes.map((n) => {
      const ranges = x.value.dims.map((d, i) =>
        Array.from({ length: i === axis ? n : d }, (_, k) => (i === axis ? begin + k : k)),
      );
      begin += n;
      return constant(sliceConst(x.value, ranges));
    });
  }
  const at = storedAxis(x, axis);
  const outs = node.b.op(node, [x.tensor], ([t]) => ops.split(t as Tensor, sizes as number[], at));
  return outs.map((t) => dyn(t, x.perm, x.nonNegative === true));
}

function slice(node: OpNode): Value[] {
  const x = input(node, 0);
  const shape = x.kind === 'const' ? x.value.dims : logicalShape(x);
  const rank = shape.length;
  const starts = intsFrom(node, 1, 'starts');
  const ends = intsFrom(node, 2, 'ends');
  if (!starts || !ends) fail(node, 'starts and ends are required');
  const axes = (intsFrom(node, 3, 'axes') ?? starts.map((_, i) => i)).map((a) => normalizeAxis(node, a, rank));
  const steps = optionalInput(node, 4) ? constValues(constInput(node, 4, 'steps').value) : starts.map(() => 1);
  const ranges = new Map<number, number[]>();
  axes.forEach((a, i) => {
    const n = shape[a];
    const [s, e, step] = [starts[i] as number, ends[i] as number, steps[i] as number];
    if (step === 0) fail(node, 'a step of 0 is not allowed');
    if (n === null || n === undefined) {
      if (s === 0 && step === 1 && e >= 2 ** 31 - 1) return; // the whole free batch axis
      fail(node, 'cannot slice the free batch axis');
    }
    ranges.set(a, sliceRange(s, e, step, n));
  });
  if (x.kind === 'const')
    return [
      constant(
        sliceConst(
          x.value,
          x.value.dims.map((d, a) => ranges.get(a) ?? Array.from({ length: d }, (_, k) => k)),
        ),
      ),
    ];
  for (const [a, r] of ranges) {
    if (r.some((idx, k) => k > 0 && idx !== (r[k - 1] as number) + 1))
      fail(node, `only unit steps are supported on computed tensors (axis ${a})`);
  }
  const begin = x.perm.map((p) => ranges.get(p)?.[0] ?? 0);
  const size = x.perm.map((p) => ranges.get(p)?.length ?? -1);
  const out = node.b.opOne(node, [x.tensor], ([t]) => ops.slice(t as Tensor, begin, size));
  return [dyn(out, x.perm, x.nonNegative === true)];
}

function gather(node: OpNode): Value[] {
  const x = input(node, 0);
  const indices = input(node, 1);
  if (indices.kind !== 'const') fail(node, 'indices computed by the graph are not supported (only constant indices)');
  const rank = x.kind === 'const' ? x.value.dims.length : x.perm.length;
  const axis = normalizeAxis(node, node.attrs.int('axis', 0), rank);
  if (x.kind === 'const') return [constant(gatherConst(x.value, indices.value, axis))];
  const n = logicalShape(x)[axis];
  if (n === null || n === undefined) fail(node, 'cannot gather along the free batch axis');
  const idx = constValues(indices.value).map((i) => (i < 0 ? i + n : i));
  if (idx.some((i) => !(i >= 0 && i < n)))
    fail(node, `indices [${constValues(indices.value).join(', ')}] are out of range for an axis of ${n}`);
  const at = storedAxis(x, axis);
  const k = indices.value.dims.length;
  if (k > 1) fail(node, `indices of rank ${k} are not supported (rank 0 or 1)`);
  const out = node.b.opOne(node, [x.tensor], ([t]) => {
    const g = ops.gather(t as Tensor, idx, at);
    return k === 0 ? ops.squeeze(g, [at]) : g;
  });
  return [dyn(out, k === 0 ? permWithout(x.perm, [axis]) : x.perm, x.nonNegative === true)];
}

function pad(node: OpNode): Value[] {
  const x = input(node, 0);
  if (x.kind === 'const') fail(node, 'padding a constant is not folded');
  const rank = x.perm.length;
  const given = intsFrom(node, 1, 'pads');
  // From opset 18 an optional axes input says which axes the pads are for.
  const axes = optionalInput(node, 3)
    ? constValues(constInput(node, 3, 'axes').value).map((a) => normalizeAxis(node, a, rank))
    : null;
  const padAxes = axes ?? Array.from({ length: rank }, (_, i) => i);
  if (!given || given.length !== 2 * padAxes.length)
    fail(node, `pads must list ${2 * padAxes.length} values for ${padAxes.length} axes`);
  const pads = new Array<number>(2 * rank).fill(0);
  padAxes.forEach((a, i) => {
    pads[a] = given[i] as number;
    pads[a + rank] = given[i + padAxes.length] as number;
  });
  checkElements(
    node,
    logicalShape(x).map((d, i) => (d === null ? null : d + (pads[i] as number) + (pads[i + rank] as number))),
  );
  if (pads.some((p) => p < 0)) fail(node, `negative pads (cropping) [${pads.join(', ')}] are not supported`);
  const valueInput = optionalInput(node, 2);
  const value = valueInput ? (constValues(constInput(node, 2, 'constant_value').value)[0] ?? 0) : node.attrs.float('value', 0);
  const mode = node.attrs.string('mode', 'constant');
  if (mode !== 'constant' && mode !== 'reflect') fail(node, `mode '${mode}' is not supported (constant, reflect)`);
  const spatialOnly = rank === 4 && [0, 1, 4, 5].every((i) => pads[i] === 0);
  if (spatialOnly && mode === 'constant' && value === 0) {
    const v = node.b.toPerm(node, x, channelsLastPerm(4));
    const layer = new ZeroPadding2D(
      [
        [pads[2] as number, pads[6] as number],
        [pads[3] as number, pads[7] as number],
      ],
      { name: node.b.layerName(node) },
    );
    return [dyn(node.b.applyOne(layer, v.tensor), v.perm, v.nonNegative === true)];
  }
  const paddings = x.perm.map((p) => [pads[p] as number, pads[p + rank] as number] as [number, number]);
  const out = node.b.opOne(node, [x.tensor], ([t]) => ops.pad(t as Tensor, paddings, { mode, constantValue: value }));
  return [dyn(out, x.perm, x.nonNegative === true && value >= 0)];
}

export const SLICING_OPS: Record<string, OpHandler> = { Concat: concat, Split: split, Slice: slice, Gather: gather, Pad: pad };
