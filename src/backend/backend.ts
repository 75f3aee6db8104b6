/**
 * The kernel contract every backend implements. A backend owns its tensors' storage (the storage
 * methods of `StorageBackend`, tensor/storage.ts): kernels receive the backend's own storage
 * handles (dense, row-major) plus shape metadata, and write into output storage the caller
 * allocated with `allocate`/`allocateZeroed` of the same backend. On the CPU backends a handle is
 * the typed array itself, so the native backend needs no copies at the boundary. Argument names
 * say the dtype a kernel expects where it matters (float32 unless the comment says int32). Backends never see gradients: backward
 * passes are written once in `ops/` from these primitives (plus the fused backward kernels here).
 *
 * A kernel may assume its arguments were validated by the op that calls it (shapes agree,
 * output sized right, indices in range); error messages for users are the ops' job.
 * Unless a kernel's comment says it accumulates (scatterAdd, sliceAssign with accumulate), it
 * overwrites every element of its outputs and must not rely on them being zeroed.
 */
import type { Storage, StorageBackend } from '../tensor/storage.js';

export type { Storage, StorageBackend };

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
  bias?: Storage | undefined;
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

export interface Backend extends StorageBackend {
  // ---- elementwise ----
  /** out[i] = op(x[i]); alpha/beta are the op's parameters where it has them. out may alias x. */
  unary(op: UnaryOp, x: Storage, out: Storage, alpha: number, beta: number): void;
  /**
   * dx[i] = dy[i] * op'(x[i]), given x and y = op(x) (whichever the op needs). dx may alias dy.
   * Fused ops (fusedConv2d, fusedMatmul) keep only y and pass it as x too for relu, relu6, sigmoid
   * and tanh, whose gradients are functions of y alone (relu: y > 0; relu6: 0 < y < 6).
   */
  unaryGrad(op: ActivationOp, x: Storage, y: Storage, dy: Storage, dx: Storage, alpha: number): void;
  /** out = a op b with NumPy broadcasting into outShape. a, b and out share a dtype. */
  binary(
    op: BinaryOp,
    a: Storage,
    aShape: readonly number[],
    b: Storage,
    bShape: readonly number[],
    out: Storage,
    outShape: readonly number[],
  ): void;
  /** out (int32 0/1) = a op b with broadcasting. */
  compare(
    op: CompareOp,
    a: Storage,
    aShape: readonly number[],
    b: Storage,
    bShape: readonly number[],
    out: Storage,
    outShape: readonly number[],
  ): void;
  /** out = cond != 0 ? a : b, all three broadcast to outShape. */
  select(
    cond: Storage,
    condShape: readonly number[],
    a: Storage,
    aShape: readonly number[],
    b: Storage,
    bShape: readonly number[],
    out: Storage,
    outShape: readonly number[],
  ): void;
  /** Converts between dtypes; float to int truncates toward zero. */
  cast(x: Storage, out: Storage): void;

  // ---- reductions ----
  /** Reduces `axes` (sorted, unique) of x; out has the shape with those axes removed. */
  reduce(op: ReduceOp, x: Storage, shape: readonly number[], axes: readonly number[], out: Storage): void;
  /** Index of the max/min along one axis (first on ties). */
  argReduce(op: 'argmax' | 'argmin', x: Storage, shape: readonly number[], axis: number, out: Storage): void;

  // ---- linear algebra ----
  /** out[b] = act(op(A[b]) @ op(B[b]) + bias), out is [batch, m, n]. */
  matmul(a: Storage, b: Storage, out: Storage, args: MatmulArgs): void;

  // ---- data movement ----
  transpose(x: Storage, shape: readonly number[], perm: readonly number[], out: Storage): void;
  /** out[i...] = x[begin + i * step ...]; out has `size` along each axis (steps are >= 1, the box is inside x). */
  slice(
    x: Storage,
    shape: readonly number[],
    begin: readonly number[],
    size: readonly number[],
    step: readonly number[],
    out: Storage,
  ): void;
  /**
   * Writes `src` (shape srcShape) into `dst` at `begin` with `step`: the adjoint of slice. Adds when
   * accumulate. Elements of dst outside the box are left unchanged.
   */
  sliceAssign(
    dst: Storage,
    dstShape: readonly number[],
    src: Storage,
    srcShape: readonly number[],
    begin: readonly number[],
    step: readonly number[],
    accumulate: boolean,
  ): void;
  concat(inputs: readonly Storage[], shapes: readonly (readonly number[])[], axis: number, out: Storage): void;
  /**
   * paddings[i] = [before, after]; reflect excludes the edge, symmetric repeats it ([1,2,3] padded
   * by 2 each side: reflect 3,2,1,2,3,2,1; symmetric 2,1,1,2,3,3,2). `value` is used by constant only.
   * The op guarantees before/after <= n-1 (reflect) or <= n (symmetric).
   */
  pad(
    x: Storage,
    shape: readonly number[],
    paddings: readonly (readonly [number, number])[],
    mode: PadMode,
    value: number,
    out: Storage,
  ): void;
  /** out = x repeated reps[i] times along axis i. */
  tile(x: Storage, shape: readonly number[], reps: readonly number[], out: Storage): void;
  /** Takes indices along axis: out shape = shape[:axis] + [indices.length] + shape[axis+1:]. Indices are in range. */
  gather(x: Storage, shape: readonly number[], indices: Storage, axis: number, out: Storage): void;
  /** Adjoint of gather: out (shape outShape, zeroed by caller) += updates scattered at indices along axis. */
  scatterAdd(updates: Storage, indices: Storage, axis: number, out: Storage, outShape: readonly number[]): void;
  /** out [indices.length, depth] = onValue where index matches, else offValue (out of range: all off). */
  oneHot(indices: Storage, depth: number, onValue: number, offValue: number, out: Storage): void;

  // ---- softmax family (over the last axis of a [rows, cols] view) ----
  softmax(x: Storage, rows: number, cols: number, out: Storage): void;
  logSoftmax(x: Storage, rows: number, cols: number, out: Storage): void;
  /** dx = y * (dy - sum(dy * y)) per row. */
  softmaxGrad(y: Storage, dy: Storage, rows: number, cols: number, dx: Storage): void;
  /** dx = dy - exp(y) * sum(dy) per row, for y = logSoftmax(x). */
  logSoftmaxGrad(y: Storage, dy: Storage, rows: number, cols: number, dx: Storage): void;

  // ---- convolution and pooling (NHWC) ----
  /**
   * out = act(conv(x, filter) + bias): bias (length outChannels) and the activation are applied in the
   * store; no bias and no activation mean a plain convolution. Padding cells read as zero.
   */
  conv2d(x: Storage, filter: Storage, out: Storage, info: Conv2DInfo, bias?: Storage, activation?: FusedActivation): void;
  /** dx (shape [batch, inHeight, inWidth, inChannels], overwritten) = gradient of conv2d w.r.t. x for dy. */
  conv2dBackpropInput(dy: Storage, filter: Storage, dx: Storage, info: Conv2DInfo): void;
  /** dFilter (HWIO, overwritten) = gradient of conv2d w.r.t. the filter for dy. */
  conv2dBackpropFilter(x: Storage, dy: Storage, dFilter: Storage, info: Conv2DInfo): void;
  /** Output channel c * multiplier + m is input channel c convolved with filter[:, :, c, m]. */
  depthwiseConv2d(x: Storage, filter: Storage, out: Storage, info: Conv2DInfo): void;
  depthwiseConv2dBackpropInput(dy: Storage, filter: Storage, dx: Storage, info: Conv2DInfo): void;
  depthwiseConv2dBackpropFilter(x: Storage, dy: Storage, dFilter: Storage, info: Conv2DInfo): void;
  /** Padding cells never win the max; NaN propagates. A window with no cell inside the input yields 0. */
  maxPool2d(x: Storage, out: Storage, info: Conv2DInfo): void;
  /**
   * Routes each dy to the first position (row-major within the window) of its window's max; overlapping
   * windows add. dx is zeroed by the kernel.
   */
  maxPool2dGrad(x: Storage, dy: Storage, dx: Storage, info: Conv2DInfo): void;
  /** Averages over the window cells inside the input (padding not counted, as TensorFlow does). */
  avgPool2d(x: Storage, out: Storage, info: Conv2DInfo): void;
  /** Spreads each dy / (number of in-input cells) over its window's in-input cells; dx is zeroed by the kernel. */
  avgPool2dGrad(dy: Storage, dx: Storage, info: Conv2DInfo): void;

  // ---- batch normalization over the last axis (channels) of x viewed as [rows, channels] ----
  /** out = (x - mean) / sqrt(variance + eps) * gamma + beta; gamma/beta null mean 1/0. */
  batchNormInference(
    x: Storage,
    mean: Storage,
    variance: Storage,
    gamma: Storage | null,
    beta: Storage | null,
    epsilon: number,
    channels: number,
    out: Storage,
  ): void;
  /** Normalizes with the batch's own statistics; writes batch mean and biased variance. */
  batchNormTraining(
    x: Storage,
    gamma: Storage | null,
    beta: Storage | null,
    epsilon: number,
    channels: number,
    out: Storage,
    mean: Storage,
    variance: Storage,
  ): void;
  /**
   * Gradients of batchNormTraining's output given its saved batch mean/variance (the full training
   * gradient: mean and variance depend on x). dGamma = Σ dy·x̂, dBeta = Σ dy, always written.
   */
  batchNormGrad(
    x: Storage,
    dy: Storage,
    mean: Storage,
    variance: Storage,
    gamma: Storage | null,
    epsilon: number,
    channels: number,
    dx: Storage,
    dGamma: Storage,
    dBeta: Storage,
  ): void;

  // ---- layer normalization over each row of x viewed as [rows, cols] ----
  /**
   * out = (x - mean) / sqrt(variance + epsilon) * gamma + beta per row, with the row's mean and
   * biased variance; writes each row's mean and rstd = 1 / sqrt(variance + epsilon) for
   * layerNormGrad. gamma/beta (length cols) null mean 1/0.
   */
  layerNorm(
    x: Storage,
    gamma: Storage | null,
    beta: Storage | null,
    epsilon: number,
    rows: number,
    cols: number,
    out: Storage,
    mean: Storage,
    rstd: Storage,
  ): void;
  /**
   * Gradients of layerNorm's output given its saved mean and rstd (the full gradient: the row
   * statistics depend on x). dGamma = Σ dy·x̂ and dBeta = Σ dy over rows, always written.
   */
  layerNormGrad(
    x: Storage,
    dy: Storage,
    mean: Storage,
    rstd: Storage,
    gamma: Storage | null,
    rows: number,
    cols: number,
    dx: Storage,
    dGamma: Storage,
    dBeta: Storage,
  ): void;

  // ---- optimizer steps, in place on the parameter and its slots (Keras's formulas) ----
  /** velocity null: p -= lr * g. Else v = momentum * v - lr * g; p += v (nesterov: p += momentum * v - lr * g). */
  sgdUpdate(
    param: Storage,
    grad: Storage,
    velocity: Storage | null,
    learningRate: number,
    momentum: number,
    nesterov: boolean,
  ): void;
  /**
   * m += (g - m) * (1 - beta1); v += (g^2 - v) * (1 - beta2); vMax = max(vMax, v) when given;
   * p -= stepSize * m / (sqrt(vMax ?? v) + epsilon), where stepSize already folds in bias correction.
   */
  adamUpdate(
    param: Storage,
    grad: Storage,
    m: Storage,
    v: Storage,
    vMax: Storage | null,
    stepSize: number,
    beta1: number,
    beta2: number,
    epsilon: number,
  ): void;
}
