/**
 * The functions the N-API addon (native/src/binding.cc) exports. Integer parameters travel in a
 * shared Int32Array `meta` whose layout each function documents in binding.cc.
 */
type F32 = Float32Array;
type Any32 = Float32Array | Int32Array;

export interface NativeInfo {
  /** The instruction set the kernels run with now. */
  isa: 'avx512' | 'avx2' | 'scalar';
  /** Instruction sets this CPU supports, best first. */
  isas: string[];
  /** Threads of the kernel pool (CAPA_NUM_THREADS overrides the CPU count). */
  threads: number;
}

export interface NativeAddon {
  unary(x: F32, out: F32, op: number, alpha: number, beta: number): void;
  unaryGrad(x: F32, y: F32, dy: F32, dx: F32, op: number, alpha: number): void;
  binary(a: F32, b: F32, out: F32, op: number, meta: Int32Array): void;
  compare(a: F32, b: F32, out: Int32Array, op: number, meta: Int32Array): void;
  select(cond: Any32, a: Any32, b: Any32, out: Any32, meta: Int32Array): void;
  cast(x: Any32, out: Any32): void;
  reduce(x: F32, out: F32, op: number, meta: Int32Array): void;
  argReduce(x: F32, out: Int32Array, isMin: boolean, meta: Int32Array): void;
  matmul(a: F32, b: F32, out: F32, bias: F32 | null, meta: Int32Array): void;
  softmax(x: F32, out: F32, rows: number, cols: number, log: boolean): void;
  softmaxGrad(y: F32, dy: F32, dx: F32, rows: number, cols: number, log: boolean): void;
  conv2d(x: F32, filter: F32, out: F32, bias: F32 | null, activation: number, meta: Int32Array): void;
  conv2dBackpropInput(dy: F32, filter: F32, dx: F32, meta: Int32Array): void;
  conv2dBackpropFilter(x: F32, dy: F32, dFilter: F32, meta: Int32Array): void;
  depthwiseConv2d(x: F32, filter: F32, out: F32, meta: Int32Array): void;
  depthwiseConv2dBackpropInput(dy: F32, filter: F32, dx: F32, meta: Int32Array): void;
  depthwiseConv2dBackpropFilter(x: F32, dy: F32, dFilter: F32, meta: Int32Array): void;
  pool2d(x: F32, out: F32, average: boolean, meta: Int32Array): void;
  maxPool2dGrad(x: F32, dy: F32, dx: F32, meta: Int32Array): void;
  avgPool2dGrad(dy: F32, dx: F32, meta: Int32Array): void;
  batchNormInference(
    x: F32,
    mean: F32,
    variance: F32,
    gamma: F32 | null,
    beta: F32 | null,
    out: F32,
    epsilon: number,
    channels: number,
  ): void;
  batchNormTraining(
    x: F32,
    gamma: F32 | null,
    beta: F32 | null,
    out: F32,
    mean: F32,
    variance: F32,
    epsilon: number,
    channels: number,
  ): void;
  batchNormGrad(
    x: F32,
    dy: F32,
    mean: F32,
    variance: F32,
    gamma: F32 | null,
    dx: F32,
    dGamma: F32,
    dBeta: F32,
    epsilon: number,
    channels: number,
  ): void;
  sgdUpdate(param: F32, grad: F32, velocity: F32 | null, learningRate: number, momentum: number, nesterov: boolean): void;
  adamUpdate(
    param: F32,
    grad: F32,
    m: F32,
    v: F32,
    vMax: F32 | null,
    stepSize: number,
    beta1: number,
    beta2: number,
    epsilon: number,
  ): void;
  transpose(x: Any32, out: Any32, meta: Int32Array): void;
  slice(x: Any32, out: Any32, meta: Int32Array): void;
  sliceAssign(dst: Any32, src: Any32, accumulate: boolean, meta: Int32Array): void;
  concat(inputs: readonly Any32[], out: Any32, meta: Int32Array): void;
  pad(x: Any32, out: Any32, mode: number, value: number, meta: Int32Array): void;
  tile(x: Any32, out: Any32, meta: Int32Array): void;
  gather(x: Any32, indices: Int32Array, out: Any32, meta: Int32Array): void;
  scatterAdd(updates: Any32, indices: Int32Array, out: Any32, meta: Int32Array): void;
  oneHot(indices: Int32Array, out: Any32, depth: number, onValue: number, offValue: number): void;
  info(): NativeInfo;
  /** Switches the kernels' instruction set; false when this CPU cannot run it. */
  setIsa(isa: string): boolean;
  setThreads(threads: number): void;
}
