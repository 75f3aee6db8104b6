/**
 * The kernel contract, in two parts. `RequiredPrimitives` is what a new backend must implement:
 * storage, cast, elementwise math with broadcasting, reductions, matmul, indexing and layout
 * moves, and the forward convolution and pooling windows. `CompositeKernels` are the rest (conv
 * and pooling backward, depthwise, batch norm, softmax, activation gradients, tile, oneHot,
 * concat, every optimizer update and gradient clipping): `BaseBackend` (base-backend.ts) gives
 * each a default written only in primitives (`composites/`), and a fast backend overrides them
 * one kernel at a time. docs/backends.md explains the split.
 *
 * Kernels work on the tensors' own storage (row-major, dense) plus shape metadata, and write
 * into an output the caller allocated, so the native backend needs no copies at the boundary.
 * Backends never see gradients: backward passes are written once in `ops/` from these kernels.
 *
 * A kernel may assume its arguments were validated by the op that calls it (shapes agree,
 * output sized right, indices in range); error messages for users are the ops' job.
 * Unless a kernel's comment says it accumulates (scatterAdd, sliceAssign with accumulate), it
 * overwrites every element of its outputs and must not rely on them being zeroed. Unless its
 * comment says so (unary), an output never aliases an input: a GPU cannot bind one buffer for
 * both reading and writing in one dispatch, so the composites never ask for it.
 */
import type { DType, TypedArray } from '../tensor/dtype.js';

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

/**
 * What a backend must implement. Each entry says why it is primitive: why composing it from
 * the others would cost a pass over memory, a host round trip, or could not be done at all.
 */
export interface RequiredPrimitives {
  readonly name: string;

  // ---- storage ----
  /**
   * Zero-filled storage for `size` elements of `dtype`, owned by this backend. Primitive: only
   * the backend knows where its memory lives (host, wasm heap, GPU buffer).
   */
  alloc(dtype: DType, size: number): TypedArray;
  /**
   * Copies host values into storage (dst.length values). Primitive: the one way in from the
   * host. Composites use it only for small tables that depend on geometry, never on tensor data
   * (index lists, scalars).
   */
  write(dst: TypedArray, values: ArrayLike<number>): void;
  /**
   * Converts between dtypes, or copies when both share one; float to int truncates toward zero.
   * Primitive: the copy every other kernel's aliasing rule relies on.
   */
  cast(x: TypedArray, out: TypedArray): void;

  // ---- elementwise ----
  /**
   * out[i] = op(x[i]); alpha/beta are the op's parameters where it has them. out may alias x.
   * Primitive: transcendental functions have no cheaper expression in the other kernels.
   */
  unary(op: UnaryOp, x: TypedArray, out: TypedArray, alpha: number, beta: number): void;
  /**
   * out = a op b with NumPy broadcasting into outShape. a, b and out share a dtype. Primitive:
   * broadcasting inside the loop is what saves materializing expanded operands.
   */
  binary(
    op: BinaryOp,
    a: TypedArray,
    aShape: readonly number[],
    b: TypedArray,
    bShape: readonly number[],
    out: TypedArray,
    outShape: readonly number[],
  ): void;
  /** out (int32 0/1) = a op b with broadcasting. Primitive: the only kernel producing masks. */
  compare(
    op: CompareOp,
    a: TypedArray,
    aShape: readonly number[],
    b: TypedArray,
    bShape: readonly number[],
    out: Int32Array,
    outShape: readonly number[],
  ): void;
  /**
   * out = cond != 0 ? a : b, all three broadcast to outShape. Primitive: a mask times a value
   * would turn Infinity * 0 into NaN, so branches need their own kernel.
   */
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

  // ---- reductions ----
  /**
   * Reduces `axes` (sorted, unique) of x; out has the shape with those axes removed. Primitive:
   * a reduction changes the shape, which no elementwise kernel can.
   */
  reduce(op: ReduceOp, x: TypedArray, shape: readonly number[], axes: readonly number[], out: TypedArray): void;
  /** Index of the max/min along one axis (first on ties). Primitive: positions are not values. */
  argReduce(op: 'argmax' | 'argmin', x: TypedArray, shape: readonly number[], axis: number, out: Int32Array): void;

  // ---- linear algebra ----
  /**
   * out[b] = act(op(A[b]) @ op(B[b]) + bias), out is [batch, m, n]. Primitive: composed from
   * broadcast multiply and reduce it would materialize an [m, k, n] product. A backend without a
   * fused store applies bias and activation with `BaseBackend.applyBiasActivation`.
   */
  matmul(a: Float32Array, b: Float32Array, out: Float32Array, args: MatmulArgs): void;

  // ---- data movement ----
  /** Primitive: a permutation of strides, one read and one write per element. */
  transpose(x: TypedArray, shape: readonly number[], perm: readonly number[], out: TypedArray): void;
  /**
   * out[i...] = x[begin + i * step ...]; out has `size` along each axis (steps are >= 1, the box is
   * inside x). Primitive: strided windows are how the composites read shifted copies of a tensor.
   */
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
   * accumulate. Elements of dst outside the box are left unchanged. Primitive: the only kernel
   * that writes part of a tensor (concat, dilation, pooling backward are built on it).
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
  /**
   * paddings[i] = [before, after]; reflect excludes the edge, symmetric repeats it ([1,2,3] padded
   * by 2 each side: reflect 3,2,1,2,3,2,1; symmetric 2,1,1,2,3,3,2). `value` is used by constant only.
   * The op guarantees before/after <= n-1 (reflect) or <= n (symmetric). Primitive: mirrored
   * borders would otherwise need an index table per axis and a gather each.
   */
  pad(
    x: TypedArray,
    shape: readonly number[],
    paddings: readonly (readonly [number, number])[],
    mode: PadMode,
    value: number,
    out: TypedArray,
  ): void;
  /**
   * Takes indices along axis: out shape = shape[:axis] + [indices.length] + shape[axis+1:]. Indices
   * are in range. Primitive: data-dependent addressing.
   */
  gather(x: TypedArray, shape: readonly number[], indices: Int32Array, axis: number, out: TypedArray): void;
  /**
   * Adjoint of gather: out (shape outShape, zeroed by caller) += updates scattered at indices along
   * axis. Primitive: data-dependent addressing with collisions that must add.
   */
  scatterAdd(updates: TypedArray, indices: Int32Array, axis: number, out: TypedArray, outShape: readonly number[]): void;

  // ---- convolution and pooling windows (NHWC) ----
  /**
   * out = act(conv(x, filter) + bias): bias (length outChannels) and the activation are applied in the
   * store; no bias and no activation mean a plain convolution. Padding cells read as zero.
   * Primitive: as slices and a matmul it would copy the input once per filter tap (im2col);
   * every convolution backward default is built on it.
   */
  conv2d(
    x: Float32Array,
    filter: Float32Array,
    out: Float32Array,
    info: Conv2DInfo,
    bias?: Float32Array,
    activation?: FusedActivation,
  ): void;
  /**
   * Padding cells never win the max; NaN propagates. A window with no cell inside the input
   * yields 0. Primitive: composed it reads one strided copy of the input per window cell.
   */
  maxPool2d(x: Float32Array, out: Float32Array, info: Conv2DInfo): void;
  /**
   * Averages over the window cells inside the input (padding not counted, as TensorFlow does).
   * Primitive for the same reason as maxPool2d.
   */
  avgPool2d(x: Float32Array, out: Float32Array, info: Conv2DInfo): void;
}

/** Nadam's per-step scalars (Keras 3's formula; see training/optimizers/nadam.ts). */
export interface NadamStep {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** u_t = beta1 * (1 - 0.5 * 0.96^t) */
  momentum: number;
  /** u_{t+1} */
  nextMomentum: number;
  /** u_1 * ... * u_t */
  momentumProduct: number;
  /** u_1 * ... * u_{t+1} */
  nextMomentumProduct: number;
  /** beta2^t */
  beta2Power: number;
}

/**
 * Kernels with a default in `BaseBackend` written only in primitives (composites/); a backend
 * overrides one when it has something faster.
 */
export interface CompositeKernels {
  // ---- elementwise ----
  /**
   * dx[i] = dy[i] * op'(x[i]), given x and y = op(x) (whichever the op needs). dx may alias dy.
   * Fused ops (fusedConv2d, fusedMatmul) keep only y and pass it as x too for relu, relu6, sigmoid
   * and tanh, whose gradients are functions of y alone (relu: y > 0; relu6: 0 < y < 6).
   */
  unaryGrad(op: ActivationOp, x: Float32Array, y: Float32Array, dy: Float32Array, dx: Float32Array, alpha: number): void;

  // ---- layout ----
  concat(inputs: readonly TypedArray[], shapes: readonly (readonly number[])[], axis: number, out: TypedArray): void;
  /** out = x repeated reps[i] times along axis i. */
  tile(x: TypedArray, shape: readonly number[], reps: readonly number[], out: TypedArray): void;
  /** out [indices.length, depth] = onValue where index matches, else offValue (out of range: all off). */
  oneHot(indices: Int32Array, depth: number, onValue: number, offValue: number, out: TypedArray): void;

  // ---- softmax family (over the last axis of a [rows, cols] view) ----
  softmax(x: Float32Array, rows: number, cols: number, out: Float32Array): void;
  logSoftmax(x: Float32Array, rows: number, cols: number, out: Float32Array): void;
  /** dx = y * (dy - sum(dy * y)) per row. */
  softmaxGrad(y: Float32Array, dy: Float32Array, rows: number, cols: number, dx: Float32Array): void;
  /** dx = dy - exp(y) * sum(dy) per row, for y = logSoftmax(x). */
  logSoftmaxGrad(y: Float32Array, dy: Float32Array, rows: number, cols: number, dx: Float32Array): void;

  // ---- convolution and pooling backward (NHWC) ----
  /** dx (shape [batch, inHeight, inWidth, inChannels], overwritten) = gradient of conv2d w.r.t. x for dy. */
  conv2dBackpropInput(dy: Float32Array, filter: Float32Array, dx: Float32Array, info: Conv2DInfo): void;
  /** dFilter (HWIO, overwritten) = gradient of conv2d w.r.t. the filter for dy. */
  conv2dBackpropFilter(x: Float32Array, dy: Float32Array, dFilter: Float32Array, info: Conv2DInfo): void;
  /** Output channel c * multiplier + m is input channel c convolved with filter[:, :, c, m]. */
  depthwiseConv2d(x: Float32Array, filter: Float32Array, out: Float32Array, info: Conv2DInfo): void;
  depthwiseConv2dBackpropInput(dy: Float32Array, filter: Float32Array, dx: Float32Array, info: Conv2DInfo): void;
  depthwiseConv2dBackpropFilter(x: Float32Array, dy: Float32Array, dFilter: Float32Array, info: Conv2DInfo): void;
  /**
   * Routes each dy to the first position (row-major within the window) of its window's max; overlapping
   * windows add. dx is zeroed by the kernel.
   */
  maxPool2dGrad(x: Float32Array, dy: Float32Array, dx: Float32Array, info: Conv2DInfo): void;
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

  // ---- optimizer steps, in place on the parameter and its slots (Keras 3's formulas) ----
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
   * m += (g - m) * (1 - beta1); v += (g^2 - v) * (1 - beta2); vMax = max(vMax, v) when given
   * (AMSGrad); p -= stepSize * m / (sqrt(vMax ?? v) + epsilon), where stepSize already folds in
   * bias correction.
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
  /** acc += g^2; p -= lr * g / sqrt(acc + epsilon). */
  adagradUpdate(param: Float32Array, grad: Float32Array, accumulator: Float32Array, learningRate: number, epsilon: number): void;
  /**
   * a = rho * a + (1 - rho) * g^2; delta = -sqrt(d + eps) * g / sqrt(a + eps);
   * d = rho * d + (1 - rho) * delta^2; p += lr * delta.
   */
  adadeltaUpdate(
    param: Float32Array,
    grad: Float32Array,
    accumulatedGrad: Float32Array,
    accumulatedDelta: Float32Array,
    learningRate: number,
    rho: number,
    epsilon: number,
  ): void;
  /** m += (g - m)(1 - beta1); u = max(beta2 * u, |g|); p -= lr * m / ((1 - beta1^t)(u + eps)). */
  adamaxUpdate(
    param: Float32Array,
    grad: Float32Array,
    m: Float32Array,
    u: Float32Array,
    learningRate: number,
    beta1: number,
    beta2: number,
    epsilon: number,
    step: number,
  ): void;
  /**
   * m += (g - m)(1 - beta1); v += (g^2 - v)(1 - beta2);
   * p -= lr * (u_{t+1} m / (1 - prod_{t+1}) + (1 - u_t) g / (1 - prod_t)) / (sqrt(v / (1 - beta2^t)) + eps).
   */
  nadamUpdate(param: Float32Array, grad: Float32Array, m: Float32Array, v: Float32Array, step: NadamStep): void;
  /**
   * v = rho * v + (1 - rho) * g^2; centered (average given): a = rho * a + (1 - rho) * g and the
   * denominator is v - a^2 + eps, else v + eps; increment = lr * g / sqrt(denominator); with a
   * momentum slot: mom = momentum * mom + increment, p -= mom; else p -= increment.
   */
  rmspropUpdate(
    param: Float32Array,
    grad: Float32Array,
    velocity: Float32Array,
    momentumSlot: Float32Array | null,
    average: Float32Array | null,
    learningRate: number,
    rho: number,
    momentum: number,
    epsilon: number,
  ): void;
  /** Decoupled weight decay: p *= factor (the optimizer passes 1 - weightDecay * lr). */
  weightDecayUpdate(param: Float32Array, factor: number): void;
  /** out = clamp(grad, -clipValue, clipValue). */
  clipByValue(grad: Float32Array, clipValue: number, out: Float32Array): void;
  /** out = grad * min(1, maxNorm / ||grad||) (out equals grad when its L2 norm is at most maxNorm). */
  clipByNorm(grad: Float32Array, maxNorm: number, out: Float32Array): void;
  /** outs[i] = grads[i] * min(1, maxNorm / ||all grads||): the joint L2 norm (tf.clip_by_global_norm). */
  clipByGlobalNorm(grads: readonly Float32Array[], maxNorm: number, outs: readonly Float32Array[]): void;
}

/** A complete backend: the primitives it implements plus the composites (defaults or its own). */
export interface Backend extends RequiredPrimitives, CompositeKernels {}
