/**
 * Elementwise ops. Two computed operands of one shape map to Keras's Add/Subtract/Multiply;
 * anything else (a constant operand, broadcasting, Div, Pow) is an OnnxOp whose constant is a
 * weight, transposed once into the other operand's stored layout. Unary ops keep the layout.
 */

import { ReLU, Softmax } from '../../../layers/activations/layers.js';
import { Activation } from '../../../layers/core/activation.js';
import { Add, Multiply, Subtract } from '../../../layers/merging/merge.js';
import * as ops from '../../../ops/index.js';
import type { Tensor } from '../../../tensor/tensor.js';
import { constant, dyn, type OpNode } from '../builder.js';
import { type ConstArray, constValues, toFloat32, transposeConst } from '../const-array.js';
import { CONST_BINARY, mapConst, whereConst } from '../const-eval.js';
import { type ConstValue, type DynValue, identityPerm, storedAxis, type Value } from '../values.js';
import { constInput, fail, input, normalizeAxis, type OpHandler, optionalInput } from './common.js';

type BinaryFn = (a: Tensor, b: Tensor) => Tensor;

const BINARY: Record<string, BinaryFn> = {
  Add: ops.add,
  Sub: ops.sub,
  Mul: ops.mul,
  Div: ops.div,
  Pow: ops.pow,
  // Comparisons give 0/1 as float32, the graph's one dtype (Where reads nonzero as true).
  Equal: (a, b) => ops.cast(ops.equal(a, b), 'float32'),
  Less: (a, b) => ops.cast(ops.less(a, b), 'float32'),
  Greater: (a, b) => ops.cast(ops.greater(a, b), 'float32'),
};

const MERGE: Record<string, new (args: { name: string }) => Add | Subtract | Multiply> = { Add, Sub: Subtract, Mul: Multiply };

/** A constant brought to the rank and stored layout of `v` (prepended unit axes, then `v`'s perm). */
function constInLayout(c: ConstArray, v: DynValue): ConstArray {
  const rank = v.perm.length;
  const dims = [...new Array<number>(rank - c.dims.length).fill(1), ...c.dims];
  return transposeConst({ dims, data: c.data, dtype: c.dtype }, v.perm);
}

function binaryHandler(node: OpNode): Value[] {
  const fn = BINARY[node.opType] as BinaryFn;
  const a = input(node, 0);
  const b = input(node, 1);
  const { b: builder } = node;
  if (a.kind === 'const' && b.kind === 'const')
    return [constant((CONST_BINARY[node.opType] as (x: ConstArray, y: ConstArray) => ConstArray)(a.value, b.value))];
  if (a.kind === 'dyn' && b.kind === 'dyn') {
    let [x, y] = [a, b];
    if (x.perm.length !== y.perm.length) [x, y] = [builder.logical(node, x), builder.logical(node, y)];
    else y = builder.toPerm(node, y, x.perm);
    const same = x.tensor.shape.length === y.tensor.shape.length && x.tensor.shape.every((d, i) => d === y.tensor.shape[i]);
    const Merge = MERGE[node.opType];
    const out =
      same && Merge
        ? (builder.apply(new Merge({ name: builder.layerName(node) }), [x.tensor, y.tensor])[0] as DynValue['tensor'])
        : builder.opOne(node, [x.tensor, y.tensor], ([p, q]) => fn(p as Tensor, q as Tensor));
    return [dyn(out, x.perm)];
  }
  const [v, c, constFirst] = a.kind === 'dyn' ? [a, b as ConstValue, false] : [b as DynValue, a as ConstValue, true];
  let x = v;
  if (c.value.dims.length > x.perm.length) x = builder.logical(node, x);
  const k = constInLayout(c.value, x);
  const w = { ...builder.weight('constant', c), values: toFloat32(k), shape: k.dims };
  const out = builder.opOne(
    node,
    [x.tensor],
    ([t], [cw]) => (constFirst ? fn(cw as Tensor, t as Tensor) : fn(t as Tensor, cw as Tensor)),
    [w],
  );
  const rank = Math.max(x.perm.length, c.value.dims.length);
  return [dyn(out, rank === x.perm.length ? x.perm : identityPerm(rank))];
}

/** Unary ops: the Keras activation where there is one, else an OnnxOp; constants fold. */
function unary(
  keras: (node: OpNode) => Activation | ReLU | null,
  fn: (x: Tensor) => Tensor,
  fold: (x: number) => number,
  nonNegative = false,
): OpHandler {
  return (node) => {
    const x = input(node, 0);
    if (x.kind === 'const') return [constant(mapConst(x.value, fold))];
    const layer = keras(node);
    const out = layer ? node.b.applyOne(layer, x.tensor) : node.b.opOne(node, [x.tensor], ([t]) => fn(t as Tensor));
    return [dyn(out, x.perm, nonNegative || (x.nonNegative === true && fn === ops.relu))];
  };
}

const erf = (x: number): number => {
  // Abramowitz-Stegun 7.1.26 is too coarse for folding; constants reaching Erf are rare, so use the series.
  let sum = x;
  let term = x;
  for (let n = 1; n < 60; n++) {
    term *= (-x * x) / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
};

const named = (activation: 'sigmoid' | 'tanh' | 'gelu') => (node: OpNode) =>
  new Activation(activation, { name: node.b.layerName(node) });

function clip(node: OpNode): Value[] {
  const x = input(node, 0);
  const bound = (i: number, attr: string, fallback: number): number => {
    const v = optionalInput(node, i);
    if (v) return constValues(constInput(node, i, attr).value)[0] ?? fallback;
    return node.attrs.float(attr, fallback);
  };
  const lo = bound(1, 'min', Number.NEGATIVE_INFINITY);
  const hi = bound(2, 'max', Number.POSITIVE_INFINITY);
  if (x.kind === 'const') return [constant(mapConst(x.value, (t) => Math.min(Math.max(t, lo), hi)))];
  if (lo === 0) {
    const layer = new ReLU({ name: node.b.layerName(node), ...(Number.isFinite(hi) ? { maxValue: hi } : {}) });
    return [dyn(node.b.applyOne(layer, x.tensor), x.perm, true)];
  }
  return [
    dyn(
      node.b.opOne(node, [x.tensor], ([t]) => ops.clip(t as Tensor, lo, hi)),
      x.perm,
      lo >= 0,
    ),
  ];
}

function softmaxLike(node: OpNode): Value[] {
  const x = input(node, 0);
  if (x.kind === 'const') fail(node, 'a constant input is not folded for this op');
  const axis = normalizeAxis(node, node.attrs.int('axis', node.opset >= 13 ? -1 : 1), x.perm.length);
  if (node.opset < 13 && axis !== x.perm.length - 1)
    fail(node, 'before opset 13 Softmax flattens from its axis; only the last axis is supported');
  const at = storedAxis(x, axis);
  const log = node.opType === 'LogSoftmax';
  const last = at === x.perm.length - 1;
  const out = !log
    ? node.b.applyOne(new Softmax({ name: node.b.layerName(node), axis: at }), x.tensor)
    : last
      ? node.b.applyOne(new Activation('log_softmax', { name: node.b.layerName(node) }), x.tensor)
      : node.b.opOne(node, [x.tensor], ([t]) => ops.logSoftmax(t as Tensor, at));
  return [dyn(out, x.perm)];
}

function gelu(node: OpNode): Value[] {
  if (node.attrs.string('approximate', 'none') !== 'none') fail(node, "only approximate='none' is supported");
  return unary(
    named('gelu'),
    (t) => ops.gelu(t, false),
    (v) => 0.5 * v * (1 + erf(v / Math.SQRT2)),
  )(node);
}

function whereHandler(node: OpNode): Value[] {
  const all = [input(node, 0), input(node, 1), input(node, 2)];
  const [c, x, y] = all as [Value, Value, Value];
  if (c.kind === 'const' && x.kind === 'const' && y.kind === 'const') return [constant(whereConst(c.value, x.value, y.value))];
  // Computed operands meet in the first one's layout when ranks agree (constants follow it), else in the graph's.
  const firstDyn = all.find((v): v is DynValue => v.kind === 'dyn') as DynValue;
  const rank = Math.max(...all.map((v) => (v.kind === 'dyn' ? v.perm.length : v.value.dims.length)));
  const sameRank = all.every((v) => v.kind === 'const' || v.perm.length === rank) && firstDyn.perm.length === rank;
  const lead = sameRank ? firstDyn : node.b.logical(node, firstDyn);
  const dyns = all.filter((v): v is DynValue => v.kind === 'dyn').map((v) => node.b.toPerm(node, v, lead.perm));
  const weights = all
    .filter((v): v is ConstValue => v.kind === 'const')
    .map((v, i) => {
      const k = constInLayout(v.value, lead);
      return { ...node.b.weight(`operand_${i}`, { ...v, initializer: false }), values: toFloat32(k), shape: k.dims };
    });
  const out = node.b.opOne(
    node,
    dyns.map((d) => d.tensor),
    (ts, ws) => {
      let di = 0;
      let ci = 0;
      const [cond, a, b] = all.map((v) => (v.kind === 'dyn' ? ts[di++] : ws[ci++]) as Tensor);
      return ops.where(cond as Tensor, a as Tensor, b as Tensor);
    },
    weights,
  );
  return [dyn(out, lead.perm)];
}

export const ELEMENTWISE_OPS: Record<string, OpHandler> = {
  Add: binaryHandler,
  Sub: binaryHandler,
  Mul: binaryHandler,
  Div: binaryHandler,
  Pow: binaryHandler,
  Equal: binaryHandler,
  Less: binaryHandler,
  Greater: binaryHandler,
  Relu: unary(
    (n) => new ReLU({ name: n.b.layerName(n) }),
    ops.relu,
    (v) => Math.max(v, 0),
    true,
  ),
  Sigmoid: unary(named('sigmoid'), ops.sigmoid, (v) => 1 / (1 + Math.exp(-v)), true),
  Tanh: unary(named('tanh'), ops.tanh, Math.tanh),
  Erf: unary(() => null, ops.erf, erf),
  Sqrt: unary(() => null, ops.sqrt, Math.sqrt, true),
  Exp: unary(() => null, ops.exp, Math.exp, true),
  Log: unary(() => null, ops.log, Math.log),
  Neg: unary(
    () => null,
    ops.neg,
    (v) => -v,
  ),
  Abs: unary(() => null, ops.abs, Math.abs, true),
  Reciprocal: unary(
    () => null,
    ops.reciprocal,
    (v) => 1 / v,
  ),
  Clip: clip,
  Gelu: gelu,
  Softmax: softmaxLike,
  LogSoftmax: softmaxLike,
  Where: whereHandler,
};
