/**
 * Chainable Tensor methods (`x.add(y).relu()`), attached to the prototype here so the tensor
 * module itself does not depend on ops. Every method forwards to the function of the same name.
 */
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
};

for (const [name, fn] of Object.entries(methods)) {
  Object.defineProperty(Tensor.prototype, name, { value: fn, writable: true, configurable: true });
}
