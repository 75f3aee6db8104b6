/**
 * Chainable Tensor methods (`x.add(y).relu()`), attached to the prototype here so the tensor
 * module itself does not depend on ops. Every method forwards to the function of the same name.
 */
import type { DType } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import * as ops from './index.js';
import type { Axes } from './reduce.js';

type TensorLike = ops.TensorLike;

declare module '../tensor/tensor.js' {
  interface Tensor {
    add(b: TensorLike): Tensor;
    sub(b: TensorLike): Tensor;
    mul(b: TensorLike): Tensor;
    div(b: TensorLike): Tensor;
    pow(b: TensorLike): Tensor;
    maximum(b: TensorLike): Tensor;
    minimum(b: TensorLike): Tensor;
    squaredDifference(b: TensorLike): Tensor;
    mod(b: TensorLike): Tensor;
    floorDiv(b: TensorLike): Tensor;
    neg(): Tensor;
    abs(): Tensor;
    sign(): Tensor;
    exp(): Tensor;
    log(): Tensor;
    sqrt(): Tensor;
    rsqrt(): Tensor;
    square(): Tensor;
    reciprocal(): Tensor;
    clip(min: number, max: number): Tensor;
    relu(): Tensor;
    sigmoid(): Tensor;
    tanh(): Tensor;
    matmul(b: Tensor, options?: ops.MatmulOptions): Tensor;
    reshape(shape: readonly number[]): Tensor;
    flatten(): Tensor;
    expandDims(axis?: number): Tensor;
    squeeze(axes?: readonly number[]): Tensor;
    transpose(perm?: readonly number[]): Tensor;
    sum(axis?: Axes, keepDims?: boolean): Tensor;
    mean(axis?: Axes, keepDims?: boolean): Tensor;
    max(axis?: Axes, keepDims?: boolean): Tensor;
    min(axis?: Axes, keepDims?: boolean): Tensor;
    argmax(axis?: number): Tensor;
    argmin(axis?: number): Tensor;
    logSumExp(axis?: Axes, keepDims?: boolean): Tensor;
    variance(axis?: Axes, keepDims?: boolean): Tensor;
    expm1(): Tensor;
    log1p(): Tensor;
    sin(): Tensor;
    cos(): Tensor;
    relu6(): Tensor;
    leakyRelu(alpha?: number): Tensor;
    elu(alpha?: number): Tensor;
    selu(): Tensor;
    gelu(approximate?: boolean): Tensor;
    hardSigmoid(): Tensor;
    softplus(): Tensor;
    softsign(): Tensor;
    silu(): Tensor;
    swish(): Tensor;
    softmax(axis?: number): Tensor;
    logSoftmax(axis?: number): Tensor;
    cast(dtype: DType): Tensor;
    slice(begin: number | readonly number[], size?: number | readonly number[]): Tensor;
    split(numOrSizes: number | readonly number[], axis?: number): Tensor[];
    pad(paddings: readonly (readonly [number, number])[], options?: ops.PadOptions): Tensor;
    gather(indices: Tensor | readonly number[], axis?: number): Tensor;
    tile(reps: readonly number[]): Tensor;
    broadcastTo(shape: readonly number[]): Tensor;
    equal(b: TensorLike): Tensor;
    notEqual(b: TensorLike): Tensor;
    less(b: TensorLike): Tensor;
    lessEqual(b: TensorLike): Tensor;
    greater(b: TensorLike): Tensor;
    greaterEqual(b: TensorLike): Tensor;
    logicalAnd(b: TensorLike): Tensor;
    logicalOr(b: TensorLike): Tensor;
    logicalNot(): Tensor;
    conv2d(kernel: Tensor, options?: ops.Conv2DOptions): Tensor;
    maxPool2d(poolSize: number | readonly [number, number], options?: ops.PoolOptions): Tensor;
    avgPool2d(poolSize: number | readonly [number, number], options?: ops.PoolOptions): Tensor;
    dropout(rate: number, options?: ops.DropoutOptions): Tensor;
    oneHot(depth: number, options?: ops.OneHotOptions): Tensor;
  }
}

const methods: Record<string, (this: Tensor, ...args: never[]) => Tensor> = {
  add(b: TensorLike) {
    return ops.add(this, b);
  },
  sub(b: TensorLike) {
    return ops.sub(this, b);
  },
  mul(b: TensorLike) {
    return ops.mul(this, b);
  },
  div(b: TensorLike) {
    return ops.div(this, b);
  },
  pow(b: TensorLike) {
    return ops.pow(this, b);
  },
  maximum(b: TensorLike) {
    return ops.maximum(this, b);
  },
  minimum(b: TensorLike) {
    return ops.minimum(this, b);
  },
  squaredDifference(b: TensorLike) {
    return ops.squaredDifference(this, b);
  },
  mod(b: TensorLike) {
    return ops.mod(this, b);
  },
  floorDiv(b: TensorLike) {
    return ops.floorDiv(this, b);
  },
  neg() {
    return ops.neg(this);
  },
  abs() {
    return ops.abs(this);
  },
  sign() {
    return ops.sign(this);
  },
  exp() {
    return ops.exp(this);
  },
  log() {
    return ops.log(this);
  },
  sqrt() {
    return ops.sqrt(this);
  },
  rsqrt() {
    return ops.rsqrt(this);
  },
  square() {
    return ops.square(this);
  },
  reciprocal() {
    return ops.reciprocal(this);
  },
  clip(min: number, max: number) {
    return ops.clip(this, min, max);
  },
  relu() {
    return ops.relu(this);
  },
  sigmoid() {
    return ops.sigmoid(this);
  },
  tanh() {
    return ops.tanh(this);
  },
  matmul(b: Tensor, options?: ops.MatmulOptions) {
    return ops.matmul(this, b, options);
  },
  reshape(shape: readonly number[]) {
    return ops.reshape(this, shape);
  },
  flatten() {
    return ops.flatten(this);
  },
  expandDims(axis?: number) {
    return ops.expandDims(this, axis);
  },
  squeeze(axes?: readonly number[]) {
    return ops.squeeze(this, axes);
  },
  transpose(perm?: readonly number[]) {
    return ops.transpose(this, perm);
  },
  sum(axis?: Axes, keepDims?: boolean) {
    return ops.sum(this, axis, keepDims);
  },
  mean(axis?: Axes, keepDims?: boolean) {
    return ops.mean(this, axis, keepDims);
  },
  max(axis?: Axes, keepDims?: boolean) {
    return ops.max(this, axis, keepDims);
  },
  min(axis?: Axes, keepDims?: boolean) {
    return ops.min(this, axis, keepDims);
  },
  argmax(axis?: number) {
    return ops.argmax(this, axis);
  },
  argmin(axis?: number) {
    return ops.argmin(this, axis);
  },
  logSumExp(axis?: Axes, keepDims?: boolean) {
    return ops.logSumExp(this, axis, keepDims);
  },
  variance(axis?: Axes, keepDims?: boolean) {
    return ops.variance(this, axis, keepDims);
  },
  expm1() {
    return ops.expm1(this);
  },
  log1p() {
    return ops.log1p(this);
  },
  sin() {
    return ops.sin(this);
  },
  cos() {
    return ops.cos(this);
  },
  relu6() {
    return ops.relu6(this);
  },
  selu() {
    return ops.selu(this);
  },
  hardSigmoid() {
    return ops.hardSigmoid(this);
  },
  softplus() {
    return ops.softplus(this);
  },
  softsign() {
    return ops.softsign(this);
  },
  silu() {
    return ops.silu(this);
  },
  swish() {
    return ops.swish(this);
  },
  logicalNot() {
    return ops.logicalNot(this);
  },
  equal(b: TensorLike) {
    return ops.equal(this, b);
  },
  notEqual(b: TensorLike) {
    return ops.notEqual(this, b);
  },
  less(b: TensorLike) {
    return ops.less(this, b);
  },
  lessEqual(b: TensorLike) {
    return ops.lessEqual(this, b);
  },
  greater(b: TensorLike) {
    return ops.greater(this, b);
  },
  greaterEqual(b: TensorLike) {
    return ops.greaterEqual(this, b);
  },
  logicalAnd(b: TensorLike) {
    return ops.logicalAnd(this, b);
  },
  logicalOr(b: TensorLike) {
    return ops.logicalOr(this, b);
  },
  leakyRelu(alpha?: number) {
    return ops.leakyRelu(this, alpha);
  },
  elu(alpha?: number) {
    return ops.elu(this, alpha);
  },
  gelu(approximate?: boolean) {
    return ops.gelu(this, approximate);
  },
  softmax(axis?: number) {
    return ops.softmax(this, axis);
  },
  logSoftmax(axis?: number) {
    return ops.logSoftmax(this, axis);
  },
  cast(dtype: DType) {
    return ops.cast(this, dtype);
  },
  slice(begin: number | readonly number[], size?: number | readonly number[]) {
    return ops.slice(this, begin, size);
  },
  pad(paddings: readonly (readonly [number, number])[], options?: ops.PadOptions) {
    return ops.pad(this, paddings, options);
  },
  gather(indices: Tensor | readonly number[], axis?: number) {
    return ops.gather(this, indices, axis);
  },
  tile(reps: readonly number[]) {
    return ops.tile(this, reps);
  },
  broadcastTo(shape: readonly number[]) {
    return ops.broadcastTo(this, shape);
  },
  conv2d(kernel: Tensor, options?: ops.Conv2DOptions) {
    return ops.conv2d(this, kernel, options);
  },
  maxPool2d(poolSize: number | readonly [number, number], options?: ops.PoolOptions) {
    return ops.maxPool2d(this, poolSize, options);
  },
  avgPool2d(poolSize: number | readonly [number, number], options?: ops.PoolOptions) {
    return ops.avgPool2d(this, poolSize, options);
  },
  dropout(rate: number, options?: ops.DropoutOptions) {
    return ops.dropout(this, rate, options);
  },
  oneHot(depth: number, options?: ops.OneHotOptions) {
    return ops.oneHot(this, depth, options);
  },
};

/** Methods returning several tensors. */
const listMethods: Record<string, (this: Tensor, ...args: never[]) => Tensor[]> = {
  split(numOrSizes: number | readonly number[], axis?: number) {
    return ops.split(this, numOrSizes, axis);
  },
};

for (const [name, fn] of [...Object.entries(methods), ...Object.entries(listMethods)]) {
  Object.defineProperty(Tensor.prototype, name, { value: fn, writable: true, configurable: true });
}
