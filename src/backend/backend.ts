/**
 * The kernel contract every backend implements. Kernels work on the tensors' own typed arrays
 * (row-major, dense) plus shape metadata, and write into an output array the caller allocated,
 * so the native backend needs no copies at the boundary. Backends never see gradients: backward
 * passes are written once in `ops/` from these primitives (plus the fused backward kernels here).
 *
 * A kernel may assume its arguments were validated by the op that calls it (shapes agree,
 * output sized right, indices in range); error messages for users are the ops' job.
 * Unless a kernel's comment says it accumulates (scatterAdd, sliceAssign with accumulate), it
 * overwrites every element of its outputs and must not rely on them being zeroed.
 */
import type { TypedArray } from '../tensor/dtype.js';

export type UnaryOp =
  | 'neg'
  | 'abs'
  | 'sign'
  | 'exp'
  | 'expm1'
  | 'log'
  | 'log1p'
  | 'sqrt'
  | 'rsqrt'
  | 'square'
  | 'reciprocal'
  | 'floor'
  | 'ceil'
  | 'round'
  | 'sin'
  | 'cos'
  | 'erf'
  /** out = clamp(x, alpha, beta) */
  | 'clip'
  /** out = x * alpha + beta */
  | 'affine'
  /** out = x ** alpha */
  | 'powScalar'
  | ActivationOp;

/** Activations whose gradient has a fused kernel (`unaryGrad`). */
export type ActivationOp =
  | 'linear'
  | 'relu'
  | 'relu6'
  /** slope alpha for x < 0 */
  | 'leakyRelu'
  /** alpha * (exp(x) - 1) for x < 0 */
  | 'elu'
  | 'selu'
  /** exact (erf) GELU */
  | 'gelu'
  /** tanh approximation of GELU */
  | 'geluTanh'
  | 'sigmoid'
  /** Keras 3: relu6(x + 3) / 6 */
  | 'hardSigmoid'
  | 'tanh'
  | 'softplus'
  | 'softsign'
  /** x * sigmoid(x) */
  | 'silu';

export type BinaryOp =
  | 'add'
  | 'sub'
  | 'mul'
  | 'div'
  | 'pow'
  | 'maximum'
  | 'minimum'
  | 'squaredDifference'
  | 'floorDiv'
  | 'mod'
  | 'atan2';

/** Comparisons and logic write int32 0/1. */
export type CompareOp = 'equal' | 'notEqual' | 'less' | 'lessEqual' | 'greater' | 'greaterEqual' | 'logicalAnd' | 'logicalOr';

export type ReduceOp = 'sum' | 'mean' | 'max' | 'min' | 'prod';

export type PadMode = 'constant' | 'reflect' | 'symmetric';

/** Activations a matmul or conv can apply in its store (fused forward). */
export type FusedActivation = 'linear' | 'relu' | 'relu6' | 'sigmoid' | 'tanh';

export interface MatmulArgs {
  /** Number of matrix products. */
  batch: number;
  /** Rows of op(A) and of the output. */
  m: number;
  /** Columns of op(B) and of the output. */
  n: number;
  /** Shared dimension. */
  k: number;
  /** A is stored [k, m] (per batch) and used transposed. */
  transposeA: boolean;
  /** B is stored [n, k] (per batch) and used transposed. */
  transposeB: boolean;
  /** Elements between consecutive batch matrices of A; 0 broadcasts one matrix. */
  aBatchStride: number;
  bBatchStride: number;
  /** Optional bias of length n added to every row before the activation. */
  bias?: Float32Array | undefined;
  activation?: FusedActivation | undefined;
}

/**
 * Geometry of a 2-D convolution or pooling window over NHWC data. For convolutions the filter
 * is HWIO ([filterHeight, filterWidth, inChannels, outChannels]); for depthwise it is
 * [filterHeight, filterWidth, inChannels, channelMultiplier] and outChannels = inChannels * multiplier;
 * for pooling outChannels = inChannels.
 */
export interface Conv2DInfo {
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  outChannels: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  dilationHeight: number;
  dilationWidth: number;
  padTop: number;
  padLeft: number;
  padBottom: number;
  padRight: number;
}

export interface Backend {
  readonly name: string;

  // ---- elementwise ----
  /** out[i] = op(x[i]); alpha/beta are the op's parameters where it has them. out may alias x. */
  unary(op: UnaryOp, x: TypedArray, out: TypedArray, alpha: number, beta: number): void;
  /**
   * dx[i] = dy[i] * op'(x[i]), given x and y = op(x) (whichever the op needs). dx may alias dy.
   * Fused ops (fusedConv2d, fusedMatmul) keep only y and pass it as x too for relu, relu6, sigmoid
   * and tanh, whose gradients are functions of y alone (relu: y > 0; relu6: 0 < y < 6).
   */
  unaryGrad(op: ActivationOp, x: Float32Array, y: Float32Array, dy: Float32Array, dx: Float32Array, alpha: number): void;
  /** out = a op b with NumPy broadcasting into outShape. a, b and out share a dtype. */
  binary(
    op: BinaryOp,
    a: TypedArray,
    aShape: readonly number[],
    b: TypedArray,
    bShape: readonly number[],
    out: TypedArray,
    outShape: readonly number[],
  ): void;
  /** out (int32 0/1) = a op b with broadcasting. */
  compare(
    op: CompareOp,
    a: TypedArray,
    aShape: readonly number[],
    b: TypedArray,
    bShape: readonly number[],
    out: Int32Array,
    outShape: readonly number[],
  ): void;
  /** out = cond != 0 ? a : b, all three broadcast to outShape. */
  select(
    cond: TypedArray,
    condShape: readonly number[],
    a: TypedArray,
    aShape: readonly number[],
    b: TypedArray,
    bShape: readonly number[],
    out: TypedArray,
    outShape: readonly number[],
  ): void;
  /** Converts between dtypes; float to int truncates toward zero. */
  cast(x: TypedArray, out: TypedArray): void;

  // ---- reductions ----
  /** Reduces `axes` (sorted, unique) of x; out has the shape with those axes removed. */
  reduce(op: ReduceOp, x: TypedArray, shape: readonly number[], axes: readonly number[], out: TypedArray): void;
  /** Index of the max/min along one axis (first on ties). */
  argReduce(op: 'argmax' | 'argmin', x: TypedArray, shape: readonly number[], axis: number, out: Int32Array): void;

  // ---- linear algebra ----
  /** out[b] = act(op(A[b]) @ op(B[b]) + bias), out is [batch, m, n]. */
  matmul(a: Float32Array, b: Float32Array, out: Float32Array, args: MatmulArgs): void;

  // ---- data movement ----
  transpose(x: TypedArray, shape: readonly number[], perm: readonly number[], out: TypedArray): void;
  /** out[i...] = x[begin + i * step ...]; out has `size` along each axis (steps are >= 1, the box is inside x). */
  slice(
    x: TypedArray,
    shape: readonly number[],
    begin: readonly number[],
    size: readonly number[],
    step: readonly number[],
    out: TypedArray,
  ): void;
  /**
   * Writes `src` (shape srcShape) into `dst` at `begin` with `step`: the adjoint of slice. Adds when
   * accumulate. Elements of dst outside the box are left unchanged.
   */
  sliceAssign(
    dst: TypedArray,
    dstShape: readonly number[],
    src: TypedArray,
    srcShape: readonly number[],
    begin: readonly number[],
    step: readonly number[],
    accumulate: boolean,
  ): void;
  concat(inputs: readonly TypedArray[], shapes: readonly (readonly number[])[], axis: number, out: TypedArray): void;
  /**
   * paddings[i] = [before, after]; reflect excludes the edge, symmetric repeats it ([1,2,3] padded
   * by 2 each side: reflect 3,2,1,2,3,2,1; symmetric 2,1,1,2,3,3,2). `value` is used by constant only.
   * The op guarantees before/after <= n-1 (reflect) or <= n (symmetric).
   */
  pad(
    x: TypedArray,
    shape: readonly number[],
    paddings: readonly (readonly [number, number])[],
    mode: PadMode,
    value: number,
    out: TypedArray,
  ): void;
  /** out = x repeated reps[i] times along axis i. */
  tile(x: TypedArray, shape: readonly number[], reps: readonly number[], out: TypedArray): void;
  /** Takes indices along axis: out shape = shape[:axis] + [indices.length] + shape[axis+1:]. Indices are in range. */
  gather(x: TypedArray, shape: readonly number[], indices: Int32Array, axis: number, out: TypedArray): void;
  /** Adjoint of gather: out (shape outShape, zeroed by caller) += updates scattered at indices along axis. */
  scatterAdd(updates: TypedArray, indices: Int32Array, axis: number, out: TypedArray, outShape: readonly number[]): void;
  /** out [indices.length, depth] = onValue where index matches, else offValue (out of range: all off). */
  oneHot(indices: Int32Array, depth: number, onValue: number, offValue: number, out: TypedArray): void;

  // ---- softmax family (over the last axis of a [rows, cols] view) ----
  softmax(x: Float32Array, rows: number, cols: number, out: Float32Array): void;
  logSoftmax(x: Float32Array, rows: number, cols: number, out: Float32Array): void;
  /** dx = y * (dy - sum(dy * y)) per row. */
  softmaxGrad(y: Float32Array, dy: Float32Array, rows: number, cols: number, dx: Float32Array): void;
  /** dx = dy - exp(y) * sum(dy) per row, for y = logSoftmax(x). */
  logSoftmaxGrad(y: Float32Array, dy: Float32Array, rows: number, cols: number, dx: Float32Array): void;

  // ---- convolution and pooling (NHWC) ----
  /**
   * out = act(conv(x, filter) + bias): bias (length outChannels) and the activation are applied in the
   * store; no bias and no activation mean a plain convolution. Padding cells read as zero.
   */
  conv2d(
    x: Float32Array,
    filter: Float32Array,
    out: Float32Array,
    info: Conv2DInfo,
    bias?: Float32Array,
    activation?: FusedActivation,
  ): void;
  /** dx (shape [batch, inHeight, inWidth, inChannels], overwritten) = gradient of conv2d w.r.t. x for dy. */
  conv2dBackpropInput(dy: Float32Array, filter: Float32Array, dx: Float32Array, info: Conv2DInfo): void;
  /** dFilter (HWIO, overwritten) = gradient of conv2d w.r.t. the filter for dy. */
  conv2dBackpropFilter(x: Float32Array, dy: Float32Array, dFilter: Float32Array, info: Conv2DInfo): void;
  /** Output channel c * multiplier + m is input channel c convolved with filter[:, :, c, m]. */
  depthwiseConv2d(x: Float32Array, filter: Float32Array, out: Float32Array, info: Conv2DInfo): void;
  depthwiseConv2dBackpropInput(dy: Float32Array, filter: Float32Array, dx: Float32Array, info: Conv2DInfo): void;
  depthwiseConv2dBackpropFilter(x: Float32Array, dy: Float32Array, dFilter: Float32Array, info: Conv2DInfo): void;
  /** Padding cells never win the max; NaN propagates. A window with no cell inside the input yields 0. */
  maxPool2d(x: Float32Array, out: Float32Array, info: Conv2DInfo): void;
  /**
   * Routes each dy to the first position (row-major within the window) of its window's max; overlapping
   * windows add. dx is zeroed by the kernel.
   */
  maxPool2dGrad(x: Float32Array, dy: Float32Array, dx: Float32Array, info: Conv2DInfo): void;
  /** Averages over the window cells inside the input (padding not counted, as TensorFlow does). */
  avgPool2d(x: Float32Array, out: Float32Array, info: Conv2DInfo): void;
  /** Spreads each dy / (number of in-input cells) over its window's in-input cells; dx is zeroed by the kernel. */
  avgPool2dGrad(dy: Float32Array, dx: Float32Array, info: Conv2DInfo): void;

  // ---- batch normalization over the last axis (channels) of x viewed as [rows, channels] ----
  /** out = (x - mean) / sqrt(variance + eps) * gamma + beta; gamma/beta null mean 1/0. */
  batchNormInference(
    x: Float32Array,
    mean: Float32Array,
    variance: Float32Array,
    gamma: Float32Array | null,
    beta: Float32Array | null,
    epsilon: number,
    channels: number,
    out: Float32Array,
  ): void;
  /** Normalizes with the batch's own statistics; writes batch mean and biased variance. */
  batchNormTraining(
    x: Float32Array,
    gamma: Float32Array | null,
    beta: Float32Array | null,
    epsilon: number,
    channels: number,
    out: Float32Array,
    mean: Float32Array,
    variance: Float32Array,
  ): void;
  /**
   * Gradients of batchNormTraining's output given its saved batch mean/variance (the full training
   * gradient: mean and variance depend on x). dGamma = Σ dy·x̂, dBeta = Σ dy, always written.
   */
  batchNormGrad(
    x: Float32Array,
    dy: Float32Array,
    mean: Float32Array,
    variance: Float32Array,
    gamma: Float32Array | null,
    epsilon: number,
    channels: number,
    dx: Float32Array,
    dGamma: Float32Array,
    dBeta: Float32Array,
  ): void;

  // ---- layer normalization over each row of x viewed as [rows, cols] ----
  /**
   * out = (x - mean) / sqrt(variance + epsilon) * gamma + beta per row, with the row's mean and
   * biased variance; writes each row's mean and rstd = 1 / sqrt(variance + epsilon) for
   * layerNormGrad. gamma/beta (length cols) null mean 1/0.
   */
  layerNorm(
    x: Float32Array,
    gamma: Float32Array | null,
    beta: Float32Array | null,
    epsilon: number,
    rows: number,
    cols: number,
    out: Float32Array,
    mean: Float32Array,
    rstd: Float32Array,
  ): void;
  /**
   * Gradients of layerNorm's output given its saved mean and rstd (the full gradient: the row
   * statistics depend on x). dGamma = Σ dy·x̂ and dBeta = Σ dy over rows, always written.
   */
  layerNormGrad(
    x: Float32Array,
    dy: Float32Array,
    mean: Float32Array,
    rstd: Float32Array,
    gamma: Float32Array | null,
    rows: number,
    cols: number,
    dx: Float32Array,
    dGamma: Float32Array,
    dBeta: Float32Array,
  ): void;

  // ---- optimizer steps, in place on the parameter and its slots (Keras's formulas) ----
  /** velocity null: p -= lr * g. Else v = momentum * v - lr * g; p += v (nesterov: p += momentum * v - lr * g). */
  sgdUpdate(
    param: Float32Array,
    grad: Float32Array,
    velocity: Float32Array | null,
    learningRate: number,
    momentum: number,
    nesterov: boolean,
  ): void;
  /**
   * m += (g - m) * (1 - beta1); v += (g^2 - v) * (1 - beta2); vMax = max(vMax, v) when given;
   * p -= stepSize * m / (sqrt(vMax ?? v) + epsilon), where stepSize already folds in bias correction.
   */
  adamUpdate(
    param: Float32Array,
    grad: Float32Array,
    m: Float32Array,
    v: Float32Array,
    vMax: Float32Array | null,
    stepSize: number,
    beta1: number,
    beta2: number,
    epsilon: number,
  ): void;
}
