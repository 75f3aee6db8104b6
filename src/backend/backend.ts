/**
 * The kernel contract, in two parts. `RequiredPrimitives` is what a new backend must implement:
 * its storage (`StorageBackend`, tensor/storage.ts), cast, elementwise math with broadcasting,
 * reductions, matmul, indexing and layout moves, and the forward convolution and pooling
 * windows. `CompositeKernels` are the rest (conv and pooling backward, depthwise, batch norm,
 * softmax, activation gradients, tile, oneHot, concat, every optimizer update and gradient
 * clipping): `BaseBackend` (base-backend.ts) gives each a default written only in primitives
 * (`composites/`), and a fast backend overrides them one kernel at a time. docs/backends.md
 * explains the split.
 *
 * A backend owns its tensors' storage: kernels receive the backend's own storage handles (dense,
 * row-major) plus shape metadata, and write into output storage the caller allocated with
 * `allocate`/`allocateZeroed` of the same backend. On the CPU backends a handle is the typed
 * array itself, so the native backend needs no copies at the boundary. Argument names say the
 * dtype a kernel expects where it matters (float32 unless the comment says int32). Backends never
 * see gradients: backward passes are written once in `ops/` from these kernels.
 *
 * A kernel may assume its arguments were validated by the op that calls it (shapes agree,
 * output sized right, indices in range); error messages for users are the ops' job.
 * Unless a kernel's comment says it accumulates (scatterAdd, sliceAssign with accumulate), it
 * overwrites every element of its outputs and must not rely on them being zeroed. Unless its
 * comment says so (unary), an output never aliases an input: a GPU cannot bind one buffer for
 * both reading and writing in one dispatch, so the composites never ask for it.
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

/**
 * What a backend must implement. Each entry says why it is primitive: why composing it from
 * the others would cost a pass over memory, a host round trip, or could not be done at all.
 */
export interface RequiredPrimitives extends StorageBackend {
  // ---- storage: StorageBackend's methods (allocate, allocateZeroed, upload, read, copy, write,
  // storageMark, release), plus ----
  /**
   * Number of elements `storage` holds. Primitive: handles are opaque, and the defaults of kernels
   * whose signature carries no shape (elementwise gradients, optimizer updates) size their
   * temporaries from it.
   */
  sizeOf(storage: Storage): number;
  /**
   * Converts between dtypes, or copies when both share one; float to int truncates toward zero.
   * Primitive: the copy every other kernel's aliasing rule relies on.
   */
  cast(x: Storage, out: Storage): void;

  // ---- elementwise ----
  /**
   * out[i] = op(x[i]); alpha/beta are the op's parameters where it has them. out may alias x.
   * Primitive: transcendental functions have no cheaper expression in the other kernels.
   */
  unary(op: UnaryOp, x: Storage, out: Storage, alpha: number, beta: number): void;
  /**
   * out = a op b with NumPy broadcasting into outShape. a, b and out share a dtype. Primitive:
   * broadcasting inside the loop is what saves materializing expanded operands.
   */
  binary(
    op: BinaryOp,
    a: Storage,
    aShape: readonly number[],
    b: Storage,
    bShape: readonly number[],
    out: Storage,
    outShape: readonly number[],
  ): void;
  /** out (int32 0/1) = a op b with broadcasting. Primitive: the only kernel producing masks. */
  compare(
    op: CompareOp,
    a: Storage,
    aShape: readonly number[],
    b: Storage,
    bShape: readonly number[],
    out: Storage,
    outShape: readonly number[],
  ): void;
  /**
   * out = cond != 0 ? a : b, all three broadcast to outShape. Primitive: a mask times a value
   * would turn Infinity * 0 into NaN, so branches need their own kernel.
   */
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

  // ---- reductions ----
  /**
   * Reduces `axes` (sorted, unique) of x; out has the shape with those axes removed. Primitive:
   * a reduction changes the shape, which no elementwise kernel can.
   */
  reduce(op: ReduceOp, x: Storage, shape: readonly number[], axes: readonly number[], out: Storage): void;
  /** Index of the max/min along one axis (first on ties). Primitive: positions are not values. */
  argReduce(op: 'argmax' | 'argmin', x: Storage, shape: readonly number[], axis: number, out: Storage): void;

  // ---- linear algebra ----
  /**
   * out[b] = act(op(A[b]) @ op(B[b]) + bias), out is [batch, m, n]. Primitive: composed from
   * broadcast multiply and reduce it would materialize an [m, k, n] product. A backend without a
   * fused store applies bias and activation with `BaseBackend.applyBiasActivation`.
   */
  matmul(a: Storage, b: Storage, out: Storage, args: MatmulArgs): void;

  // ---- data movement ----
  /** Primitive: a permutation of strides, one read and one write per element. */
  transpose(x: Storage, shape: readonly number[], perm: readonly number[], out: Storage): void;
  /**
   * out[i...] = x[begin + i * step ...]; out has `size` along each axis (steps are >= 1, the box is
   * inside x). Primitive: strided windows are how the composites read shifted copies of a tensor.
   */
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
   * accumulate. Elements of dst outside the box are left unchanged. Primitive: the only kernel
   * that writes part of a tensor (concat, dilation, pooling backward are built on it).
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
  /**
   * paddings[i] = [before, after]; reflect excludes the edge, symmetric repeats it ([1,2,3] padded
   * by 2 each side: reflect 3,2,1,2,3,2,1; symmetric 2,1,1,2,3,3,2). `value` is used by constant only.
   * The op guarantees before/after <= n-1 (reflect) or <= n (symmetric). Primitive: mirrored
   * borders would otherwise need an index table per axis and a gather each.
   */
  pad(
    x: Storage,
    shape: readonly number[],
    paddings: readonly (readonly [number, number])[],
    mode: PadMode,
    value: number,
    out: Storage,
  ): void;
  /**
   * Takes indices along axis: out shape = shape[:axis] + [indices.length] + shape[axis+1:]. Indices
   * are in range. Primitive: data-dependent addressing.
   */
  gather(x: Storage, shape: readonly number[], indices: Storage, axis: number, out: Storage): void;
  /**
   * Adjoint of gather: out (shape outShape, zeroed by caller) += updates scattered at indices along
   * axis. Primitive: data-dependent addressing with collisions that must add.
   */
  scatterAdd(updates: Storage, indices: Storage, axis: number, out: Storage, outShape: readonly number[]): void;

  // ---- convolution and pooling windows (NHWC) ----
  /**
   * out = act(conv(x, filter) + bias): bias (length outChannels) and the activation are applied in the
   * store; no bias and no activation mean a plain convolution. Padding cells read as zero.
   * Primitive: as slices and a matmul it would copy the input once per filter tap (im2col);
   * every convolution backward default is built on it.
   */
  conv2d(x: Storage, filter: Storage, out: Storage, info: Conv2DInfo, bias?: Storage, activation?: FusedActivation): void;
  /**
   * Padding cells never win the max; NaN propagates. A window with no cell inside the input
   * yields 0. Primitive: composed it reads one strided copy of the input per window cell.
   */
  maxPool2d(x: Storage, out: Storage, info: Conv2DInfo): void;
  /**
   * Averages over the window cells inside the input (padding not counted, as TensorFlow does).
   * Primitive for the same reason as maxPool2d.
   */
  avgPool2d(x: Storage, out: Storage, info: Conv2DInfo): void;
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
 * Geometry of a recurrent layer's whole sequence: xProj is [batch, steps, gateCount * units] (the input
 * projection x·kernel + bias of every step, Keras's gate order), states are [batch, units]. Step s
 * (0..steps-1, processing order) reads time t = goBackwards ? steps-1-s : s; saved per-step tensors
 * are indexed by s, [steps, batch, width]; `sequences` [batch, steps, units] holds the output of step
 * s at index s (Keras returns the outputs in processing order). With a mask ([batch, steps] float32,
 * nonzero = keep, indexed by t), a masked row carries its states over unchanged and outputs the
 * previous output (its carried h), or zeros when zeroOutputForMask (Keras's `zero_output_for_mask`).
 */
/** Activations of SimpleRNN's fused kernel. */
export type RnnActivation = 'tanh' | 'relu';

export interface RnnInfo {
  batch: number;
  steps: number;
  units: number;
  goBackwards: boolean;
  zeroOutputForMask: boolean;
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
  unaryGrad(op: ActivationOp, x: Storage, y: Storage, dy: Storage, dx: Storage, alpha: number): void;

  // ---- layout ----
  concat(inputs: readonly Storage[], shapes: readonly (readonly number[])[], axis: number, out: Storage): void;
  /** out = x repeated reps[i] times along axis i. */
  tile(x: Storage, shape: readonly number[], reps: readonly number[], out: Storage): void;
  /** out [indices.length, depth] = onValue where index matches, else offValue (out of range: all off). */
  oneHot(indices: Storage, depth: number, onValue: number, offValue: number, out: Storage): void;

  // ---- softmax family (over the last axis of a [rows, cols] view) ----
  softmax(x: Storage, rows: number, cols: number, out: Storage): void;
  logSoftmax(x: Storage, rows: number, cols: number, out: Storage): void;
  /** dx = y * (dy - sum(dy * y)) per row. */
  softmaxGrad(y: Storage, dy: Storage, rows: number, cols: number, dx: Storage): void;
  /** dx = dy - exp(y) * sum(dy) per row, for y = logSoftmax(x). */
  logSoftmaxGrad(y: Storage, dy: Storage, rows: number, cols: number, dx: Storage): void;

  // ---- convolution and pooling backward (NHWC) ----
  /** dx (shape [batch, inHeight, inWidth, inChannels], overwritten) = gradient of conv2d w.r.t. x for dy. */
  conv2dBackpropInput(dy: Storage, filter: Storage, dx: Storage, info: Conv2DInfo): void;
  /** dFilter (HWIO, overwritten) = gradient of conv2d w.r.t. the filter for dy. */
  conv2dBackpropFilter(x: Storage, dy: Storage, dFilter: Storage, info: Conv2DInfo): void;
  /** Output channel c * multiplier + m is input channel c convolved with filter[:, :, c, m]. */
  depthwiseConv2d(x: Storage, filter: Storage, out: Storage, info: Conv2DInfo): void;
  depthwiseConv2dBackpropInput(dy: Storage, filter: Storage, dx: Storage, info: Conv2DInfo): void;
  depthwiseConv2dBackpropFilter(x: Storage, dy: Storage, dFilter: Storage, info: Conv2DInfo): void;
  /**
   * Routes each dy to the first position (row-major within the window) of its window's max; overlapping
   * windows add. dx is zeroed by the kernel.
   */
  maxPool2dGrad(x: Storage, dy: Storage, dx: Storage, info: Conv2DInfo): void;
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

  // ---- recurrent layers: a whole sequence per call (RnnInfo explains the layout) ----
  /**
   * LSTM over the sequence, gates i, f, c, o: i=σ(xi+h·Ri) f=σ(xf+h·Rf) g=tanh(xc+h·Rc) o=σ(xo+h·Ro),
   * c=f·c+i·g, h=o·tanh(c). recurrentKernel [units, 4·units]. Writes sequences, and for the backward
   * hStates/cStates [steps+1, batch, units] (index 0 the initial state, s+1 the state after step s:
   * the last entry is the final state) and gates [steps, batch, 4·units] (i, f, g, o after activation).
   */
  lstmSequence(
    xProj: Storage,
    recurrentKernel: Storage,
    h0: Storage,
    c0: Storage,
    mask: Storage | null,
    info: RnnInfo,
    sequences: Storage,
    hStates: Storage,
    cStates: Storage,
    gates: Storage,
  ): void;
  /**
   * Backpropagation through the whole sequence from lstmSequence's saved tensors, given the gradients
   * of sequences and of the final h and c. Writes dxProj [batch, steps, 4·units], dRecurrentKernel
   * [units, 4·units], dh0 and dc0 [batch, units].
   */
  lstmSequenceGrad(
    recurrentKernel: Storage,
    mask: Storage | null,
    info: RnnInfo,
    hStates: Storage,
    cStates: Storage,
    gates: Storage,
    dSequences: Storage,
    dLastH: Storage,
    dLastC: Storage,
    dxProj: Storage,
    dRecurrentKernel: Storage,
    dh0: Storage,
    dc0: Storage,
  ): void;
  /**
   * GRU over the sequence, gates z, r, h; recurrentKernel [units, 3·units]. resetAfter (Keras's
   * default): hh = h·R + recurrentBias, z=σ(xz+hh_z), r=σ(xr+hh_r), n=tanh(xh + r·hh_h). Otherwise
   * (recurrentBias null): z, r as above without bias, n = tanh(xh + (r·h)·R_h). Then h = z·h + (1-z)·n.
   * Saves hStates [steps+1, batch, units] and gates [steps, batch, 4·units]: z, r, n and hh_h
   * (resetAfter) or r·h (not).
   */
  gruSequence(
    xProj: Storage,
    recurrentKernel: Storage,
    recurrentBias: Storage | null,
    h0: Storage,
    mask: Storage | null,
    info: RnnInfo,
    resetAfter: boolean,
    sequences: Storage,
    hStates: Storage,
    gates: Storage,
  ): void;
  /** BPTT of gruSequence; dRecurrentBias [3·units] is written when given (resetAfter with a bias). */
  gruSequenceGrad(
    recurrentKernel: Storage,
    mask: Storage | null,
    info: RnnInfo,
    resetAfter: boolean,
    hStates: Storage,
    gates: Storage,
    dSequences: Storage,
    dLastH: Storage,
    dxProj: Storage,
    dRecurrentKernel: Storage,
    dRecurrentBias: Storage | null,
    dh0: Storage,
  ): void;
  /** SimpleRNN: h = activation(x + h·R), recurrentKernel [units, units]; saves hStates [steps+1, batch, units]. */
  simpleRnnSequence(
    xProj: Storage,
    recurrentKernel: Storage,
    h0: Storage,
    mask: Storage | null,
    info: RnnInfo,
    activation: RnnActivation,
    sequences: Storage,
    hStates: Storage,
  ): void;
  /** BPTT of simpleRnnSequence. */
  simpleRnnSequenceGrad(
    recurrentKernel: Storage,
    mask: Storage | null,
    info: RnnInfo,
    activation: RnnActivation,
    hStates: Storage,
    dSequences: Storage,
    dLastH: Storage,
    dxProj: Storage,
    dRecurrentKernel: Storage,
    dh0: Storage,
  ): void;

  // ---- optimizer steps, in place on the parameter and its slots (Keras 3's formulas) ----
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
   * m += (g - m) * (1 - beta1); v += (g^2 - v) * (1 - beta2); vMax = max(vMax, v) when given
   * (AMSGrad); p -= stepSize * m / (sqrt(vMax ?? v) + epsilon), where stepSize already folds in
   * bias correction.
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
  /** acc += g^2; p -= lr * g / sqrt(acc + epsilon). */
  adagradUpdate(param: Storage, grad: Storage, accumulator: Storage, learningRate: number, epsilon: number): void;
  /**
   * a = rho * a + (1 - rho) * g^2; delta = -sqrt(d + eps) * g / sqrt(a + eps);
   * d = rho * d + (1 - rho) * delta^2; p += lr * delta.
   */
  adadeltaUpdate(
    param: Storage,
    grad: Storage,
    accumulatedGrad: Storage,
    accumulatedDelta: Storage,
    learningRate: number,
    rho: number,
    epsilon: number,
  ): void;
  /** m += (g - m)(1 - beta1); u = max(beta2 * u, |g|); p -= lr * m / ((1 - beta1^t)(u + eps)). */
  adamaxUpdate(
    param: Storage,
    grad: Storage,
    m: Storage,
    u: Storage,
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
  nadamUpdate(param: Storage, grad: Storage, m: Storage, v: Storage, step: NadamStep): void;
  /**
   * v = rho * v + (1 - rho) * g^2; centered (average given): a = rho * a + (1 - rho) * g and the
   * denominator is v - a^2 + eps, else v + eps; increment = lr * g / sqrt(denominator); with a
   * momentum slot: mom = momentum * mom + increment, p -= mom; else p -= increment.
   */
  rmspropUpdate(
    param: Storage,
    grad: Storage,
    velocity: Storage,
    momentumSlot: Storage | null,
    average: Storage | null,
    learningRate: number,
    rho: number,
    momentum: number,
    epsilon: number,
  ): void;
  /** Decoupled weight decay: p *= factor (the optimizer passes 1 - weightDecay * lr). */
  weightDecayUpdate(param: Storage, factor: number): void;
  /** out = clamp(grad, -clipValue, clipValue). */
  clipByValue(grad: Storage, clipValue: number, out: Storage): void;
  /** out = grad * min(1, maxNorm / ||grad||) (out equals grad when its L2 norm is at most maxNorm). */
  clipByNorm(grad: Storage, maxNorm: number, out: Storage): void;
  /** outs[i] = grads[i] * min(1, maxNorm / ||all grads||): the joint L2 norm (tf.clip_by_global_norm). */
  clipByGlobalNorm(grads: readonly Storage[], maxNorm: number, outs: readonly Storage[]): void;
}

/** A complete backend: the primitives it implements plus the composites (defaults or its own). */
export interface Backend extends RequiredPrimitives, CompositeKernels {}
