/**
 * Gemm and MatMul with a constant right operand are Keras's Dense (kernel [K, N]); a Flatten of an
 * NHWC map in front is absorbed by permuting the kernel's rows into the stored order. A product of
 * two computed tensors (attention) is an OnnxOp batched matmul in the graph's layout.
 */
import { Dense } from '../../../layers/core/dense.js';
import * as ops from '../../../ops/index.js';
import type { Tensor } from '../../../tensor/tensor.js';
import { dyn, type OpNode } from '../builder.js';
import { type ConstArray, toFloat32, transposeConst } from '../const-array.js';
import { mapConst } from '../const-eval.js';
import { type DynValue, identityPerm, type Value } from '../values.js';
import { constInput, dynInput, fail, input, type OpHandler, optionalInput } from './common.js';

/** Kernel rows reordered so stored column j of the input meets logical row order[j]. */
function permuteRows(kernel: ConstArray, order: Int32Array): ConstArray {
  const [k, n] = kernel.dims as [number, number];
  const data = new Float64Array(k * n);
  for (let j = 0; j < k; j++) data.set(kernel.data.subarray((order[j] as number) * n, ((order[j] as number) + 1) * n), j * n);
  return { dims: [k, n], data, dtype: kernel.dtype };
}

function dense(node: OpNode, x: DynValue, kernel: ConstArray, bias: ConstArray | null): Value[] {
  let k = kernel;
  let input = x;
  if (x.flat) k = permuteRows(kernel, x.flat.order);
  else if (x.perm[x.perm.length - 1] !== x.perm.length - 1) input = node.b.logical(node, x);
  const n = k.dims[1] as number;
  const layer = new Dense(n, { name: node.b.layerName(node), useBias: bias !== null, kernelInitializer: 'zeros' });
  const weights = [{ values: toFloat32(k), shape: k.dims }, ...(bias ? [{ values: toFloat32(bias), shape: [n] }] : [])];
  return [dyn(node.b.applyOne(layer, input.tensor, weights), input.perm)];
}

function gemm(node: OpNode): Value[] {
  const a = dynInput(node, 0);
  const b = input(node, 1);
  const alpha = node.attrs.float('alpha', 1);
  const beta = node.attrs.float('beta', 1);
  if (node.attrs.int('transA', 0) !== 0) fail(node, 'transA=1 is not supported');
  if (a.perm.length !== 2) fail(node, `A must have rank 2, received rank ${a.perm.length}`);
  if (b.kind !== 'const') fail(node, 'B must be a constant (a weight); products of two computed tensors use MatMul');
  let kernel = node.attrs.int('transB', 0) === 1 ? transposeConst(b.value, [1, 0]) : b.value;
  if (alpha !== 1) kernel = mapConst(kernel, (v) => v * alpha);
  const n = kernel.dims[1] as number;
  const cInput = optionalInput(node, 2);
  let bias: ConstArray | null = null;
  if (cInput) {
    const c = constInput(node, 2, 'C').value;
    if (c.data.length !== n && c.data.length !== 1)
      fail(node, `C of shape [${c.dims.join(', ')}] is not a per-output bias of ${n}`);
    bias = {
      dims: [n],
      data: c.data.length === n ? c.data.map((v) => v * beta) : new Float64Array(n).fill((c.data[0] as number) * beta),
      dtype: c.dtype,
    };
  }
  return dense(node, a, kernel, bias);
}

function matmul(node: OpNode): Value[] {
  const a = input(node, 0);
  const b = input(node, 1);
  if (a.kind === 'dyn' && b.kind === 'const' && b.value.dims.length === 2) return dense(node, a, b.value, null);
  if (a.kind !== 'dyn' || b.kind !== 'dyn')
    fail(node, 'a product with a constant left operand (or a constant of rank other than 2) is not supported');
  const [x, y] = [node.b.logical(node, a), node.b.logical(node, b)];
  if (x.perm.length < 2 || y.perm.length < 2) fail(node, 'rank-1 operands are not supported');
  const out = node.b.opOne(node, [x.tensor, y.tensor], ([p, q]) => ops.matmul(p as Tensor, q as Tensor));
  return [dyn(out, identityPerm(out.shape.length))];
}

export const MATMUL_OPS: Record<string, OpHandler> = { Gemm: gemm, MatMul: matmul };

/** The ops that read a flattened NHWC map in its stored order (by permuting their kernel); every other op gets the graph's order. */
export const READS_FLATTENED_ORDER: ReadonlySet<string> = new Set(Object.keys(MATMUL_OPS));
