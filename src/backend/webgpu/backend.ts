/// <reference types="@webgpu/types" />
/**
 * The WebGPU backend: tensors live in GPU buffers (buffers.ts), kernels are WGSL compute shaders
 * recorded into a batched command encoder (queue.ts), and values reach the host only through
 * `read` (an async map), so there is no `readSync`: `dataSync()` says to use `await data()`.
 * Every required primitive has a kernel here, and so do the composites training spends its time in
 * (convolution, depthwise and pooling gradients, batch norm, softmax, sgd/adam); the others run as
 * BaseBackend's defaults on these primitives.
 */
import type { DType, TypedArray } from '../../tensor/dtype.js';
import type { Storage } from '../backend.js';
import { type Args, BaseBackend } from '../base-backend.js';
import { batchNormGrad, batchNormInference, batchNormTraining } from './batchnorm.js';
import { BufferPool, GpuStorage } from './buffers.js';
import { conv2dBackpropFilter, conv2dBackpropInput } from './conv-grad.js';
import { depthwiseConv2d, depthwiseConv2dBackpropFilter, depthwiseConv2dBackpropInput } from './depthwise.js';
import { binary, cast, compare, selectWhere, unary } from './elementwise.js';
import { gather, scatterAdd } from './gather.js';
import { conv2d, matmul } from './gemm.js';
import type { GpuDevice } from './gpu.js';
import { pad, slice, sliceAssign, transpose } from './layout.js';
import { adamUpdate, sgdUpdate } from './optimizers.js';
import { avgPool2d, maxPool2d } from './pool.js';
import { avgPool2dGrad, maxPool2dGrad } from './pool-grad.js';
import { GpuQueue, type QueueStats } from './queue.js';
import { argReduce, reduce } from './reduce.js';
import { logSoftmax, softmax } from './softmax.js';

function describe(x: unknown): string {
  return x === null || typeof x !== 'object' ? String(x) : (x.constructor?.name ?? 'object');
}

export class WebGpuBackend extends BaseBackend {
  readonly name = 'webgpu';
  readonly storageKind = 'webgpu';
  /** What the adapter calls itself. */
  readonly adapterName: string;
  readonly device: GPUDevice;
  /** Keeps Dawn's instance alive as long as the backend (see GpuDevice.gpu). */
  private readonly gpu: GpuDevice;
  private readonly queue: GpuQueue;
  private readonly pool: BufferPool;

  constructor(gpu: GpuDevice) {
    super();
    this.gpu = gpu;
    this.device = gpu.device;
    this.adapterName = gpu.adapterName;
    this.queue = new GpuQueue(gpu.device, 'webgpu');
    this.pool = new BufferPool(gpu.device);
  }

  /** Counts of buffer maps (CPU waits on the GPU), submits and dispatches since the backend started. */
  get stats(): Readonly<QueueStats> {
    return this.queue.stats;
  }

  /** Submits recorded work now (reads do this themselves). */
  flush(): void {
    this.queue.flush();
  }

  /** A handle of this backend; anything else is a bug in whoever passed it. */
  private open(storage: Storage): GpuStorage {
    if (storage instanceof GpuStorage) return storage;
    throw new Error(`webgpu backend: a kernel was given storage that is not a GPU buffer (${describe(storage)}).`);
  }

  private optional(storage: Storage | null): GpuStorage | null {
    return storage === null ? null : this.open(storage);
  }

  // ---- storage ----
  allocate(dtype: DType, size: number): Storage {
    this.queue.ensureUsable();
    return this.pool.allocate(dtype, size);
  }

  allocateZeroed(dtype: DType, size: number): Storage {
    const s = this.pool.allocate(dtype, size);
    this.queue.clear(s.buffer, s.buffer.size);
    return s;
  }

  upload(values: TypedArray): Storage {
    const s = this.pool.allocate(values instanceof Int32Array ? 'int32' : 'float32', values.length);
    this.queue.upload(s.buffer, values);
    return s;
  }

  async read(storage: Storage, dtype: DType, size: number): Promise<TypedArray> {
    const bytes = await this.queue.read(this.open(storage).buffer, size * 4);
    return dtype === 'int32' ? new Int32Array(bytes) : new Float32Array(bytes);
  }

  copy(src: Storage, dst: Storage, size: number): void {
    this.queue.copy(this.open(src).buffer, this.open(dst).buffer, size * 4);
  }

  write(dst: Storage, values: ArrayLike<number>): void {
    const s = this.open(dst);
    const host = s.dtype === 'int32' ? Int32Array.from(values) : Float32Array.from(values);
    this.queue.upload(s.buffer, host.length > s.size ? host.subarray(0, s.size) : host);
  }

  storageMark(): number {
    return this.pool.mark();
  }

  release(storage: Storage, mark: number): boolean {
    return storage instanceof GpuStorage && this.pool.release(storage, mark);
  }

  sizeOf(storage: Storage): number {
    return this.open(storage).size;
  }

  // ---- required kernels ----
  cast(x: Storage, out: Storage): void {
    cast(this.queue, this.open(x), this.open(out));
  }
  unary(...[op, x, out, alpha, beta]: Args<'unary'>): void {
    unary(this.queue, op, this.open(x), this.open(out), alpha, beta);
  }
  binary(...[op, a, aShape, b, bShape, out, outShape]: Args<'binary'>): void {
    binary(this.queue, op, this.open(a), aShape, this.open(b), bShape, this.open(out), outShape);
  }
  compare(...[op, a, aShape, b, bShape, out, outShape]: Args<'compare'>): void {
    compare(this.queue, op, this.open(a), aShape, this.open(b), bShape, this.open(out), outShape);
  }
  select(...[cond, condShape, a, aShape, b, bShape, out, outShape]: Args<'select'>): void {
    selectWhere(this.queue, this.open(cond), condShape, this.open(a), aShape, this.open(b), bShape, this.open(out), outShape);
  }
  reduce(...[op, x, shape, axes, out]: Args<'reduce'>): void {
    reduce(this.queue, op, this.open(x), shape, axes, this.open(out));
  }
  argReduce(...[op, x, shape, axis, out]: Args<'argReduce'>): void {
    argReduce(this.queue, op, this.open(x), shape, axis, this.open(out));
  }
  matmul(...[a, b, out, args]: Args<'matmul'>): void {
    const bias = args.bias === undefined ? undefined : this.open(args.bias);
    matmul(this.queue, this.open(a), this.open(b), this.open(out), { ...args, bias });
  }
  transpose(...[x, shape, perm, out]: Args<'transpose'>): void {
    transpose(this.queue, this.open(x), shape, perm, this.open(out));
  }
  slice(...[x, shape, begin, size, step, out]: Args<'slice'>): void {
    slice(this.queue, this.open(x), shape, begin, size, step, this.open(out));
  }
  sliceAssign(...[dst, dstShape, src, srcShape, begin, step, accumulate]: Args<'sliceAssign'>): void {
    sliceAssign(this.queue, this.open(dst), dstShape, this.open(src), srcShape, begin, step, accumulate);
  }
  pad(...[x, shape, paddings, mode, value, out]: Args<'pad'>): void {
    pad(this.queue, this.open(x), shape, paddings, mode, value, this.open(out));
  }
  gather(...[x, shape, indices, axis, out]: Args<'gather'>): void {
    gather(this.queue, this.open(x), shape, this.open(indices), axis, this.open(out));
  }
  scatterAdd(...[updates, indices, axis, out, outShape]: Args<'scatterAdd'>): void {
    scatterAdd(this.queue, this.open(updates), this.open(indices), axis, this.open(out), outShape);
  }
  conv2d(...[x, filter, out, info, bias, activation]: Args<'conv2d'>): void {
    conv2d(
      this.queue,
      this.open(x),
      this.open(filter),
      this.open(out),
      info,
      bias === undefined ? undefined : this.open(bias),
      activation,
    );
  }
  maxPool2d(...[x, out, info]: Args<'maxPool2d'>): void {
    maxPool2d(this.queue, this.open(x), this.open(out), info);
  }
  avgPool2d(...[x, out, info]: Args<'avgPool2d'>): void {
    avgPool2d(this.queue, this.open(x), this.open(out), info);
  }

  // ---- fused overrides of composite defaults ----
  override softmax(...[x, rows, cols, out]: Args<'softmax'>): void {
    softmax(this.queue, this.open(x), rows, cols, this.open(out));
  }
  override logSoftmax(...[x, rows, cols, out]: Args<'logSoftmax'>): void {
    logSoftmax(this.queue, this.open(x), rows, cols, this.open(out));
  }
  override sgdUpdate(...[param, grad, velocity, learningRate, momentum, nesterov]: Args<'sgdUpdate'>): void {
    sgdUpdate(
      this.queue,
      this.open(param),
      this.open(grad),
      velocity === null ? null : this.open(velocity),
      learningRate,
      momentum,
      nesterov,
    );
  }
  override adamUpdate(...[param, grad, m, v, vMax, stepSize, beta1, beta2, epsilon]: Args<'adamUpdate'>): void {
    adamUpdate(
      this.queue,
      this.open(param),
      this.open(grad),
      this.open(m),
      this.open(v),
      vMax === null ? null : this.open(vMax),
      {
        stepSize,
        beta1,
        beta2,
        epsilon,
      },
    );
  }

  override conv2dBackpropInput(...[dy, filter, dx, info]: Args<'conv2dBackpropInput'>): void {
    conv2dBackpropInput(this.queue, this.open(dy), this.open(filter), this.open(dx), info);
  }
  override conv2dBackpropFilter(...[x, dy, dFilter, info]: Args<'conv2dBackpropFilter'>): void {
    const mark = this.pool.mark();
    const scratch: GpuStorage[] = [];
    conv2dBackpropFilter(this.queue, this.open(x), this.open(dy), this.open(dFilter), info, (size) => {
      const s = this.pool.allocate('float32', size);
      scratch.push(s);
      return s;
    });
    // recorded uses come before any later reuse of these buffers (queue order), so they go back now
    for (const s of scratch) this.pool.release(s, mark);
  }
  override depthwiseConv2d(...[x, filter, out, info]: Args<'depthwiseConv2d'>): void {
    depthwiseConv2d(this.queue, this.open(x), this.open(filter), this.open(out), info);
  }
  override depthwiseConv2dBackpropInput(...[dy, filter, dx, info]: Args<'depthwiseConv2dBackpropInput'>): void {
    depthwiseConv2dBackpropInput(this.queue, this.open(dy), this.open(filter), this.open(dx), info);
  }
  override depthwiseConv2dBackpropFilter(...[x, dy, dFilter, info]: Args<'depthwiseConv2dBackpropFilter'>): void {
    depthwiseConv2dBackpropFilter(this.queue, this.open(x), this.open(dy), this.open(dFilter), info);
  }
  override maxPool2dGrad(...[x, dy, dx, info]: Args<'maxPool2dGrad'>): void {
    maxPool2dGrad(this.queue, this.open(x), this.open(dy), this.open(dx), info);
  }
  override avgPool2dGrad(...[dy, dx, info]: Args<'avgPool2dGrad'>): void {
    avgPool2dGrad(this.queue, this.open(dy), this.open(dx), info);
  }
  override batchNormInference(...[x, mean, variance, gamma, beta, epsilon, channels, out]: Args<'batchNormInference'>): void {
    batchNormInference(
      this.queue,
      this.open(x),
      this.open(mean),
      this.open(variance),
      this.optional(gamma),
      this.optional(beta),
      epsilon,
      channels,
      this.open(out),
    );
  }
  override batchNormTraining(...[x, gamma, beta, epsilon, channels, out, mean, variance]: Args<'batchNormTraining'>): void {
    batchNormTraining(
      this.queue,
      this.open(x),
      this.optional(gamma),
      this.optional(beta),
      epsilon,
      channels,
      this.open(out),
      this.open(mean),
      this.open(variance),
    );
  }
  override batchNormGrad(...[x, dy, mean, variance, gamma, epsilon, channels, dx, dGamma, dBeta]: Args<'batchNormGrad'>): void {
    batchNormGrad(
      this.queue,
      this.open(x),
      this.open(dy),
      this.open(mean),
      this.open(variance),
      this.optional(gamma),
      epsilon,
      channels,
      this.open(dx),
      this.open(dGamma),
      this.open(dBeta),
    );
  }

  /** Frees the pooled buffers and the device (the backend cannot be used afterwards). */
  destroy(): void {
    this.queue.flush();
    this.pool.clear();
    this.device.destroy();
  }
}
