/// <reference types="@webgpu/types" />
/**
 * Recording GPU work without a CPU round trip per op. Kernels append dispatches to one pending
 * command encoder (one compute pass kept open between them); the encoder is submitted when values
 * are read, when a direct queue write must not overtake it, or after a threshold of dispatches.
 * Nothing here waits for the GPU except `read`.
 *
 * Small host data travels inside the batch: each dispatch's parameters (shapes, strides, scalars)
 * and small uploads are packed into a per-batch arena, written with one `writeBuffer` just before
 * the batch is submitted, and bound (parameters) or copied (uploads) at their offset. Queue
 * operations run in order, so rewriting the arena for the next batch cannot overtake this one.
 */
import { mb } from './buffers.js';

const MAP_READ = 0x1;
const COPY_DST = 0x8;
const STORAGE = 0x80;
const COPY_SRC = 0x4;

/** Bytes of the arena; a batch whose parameters and uploads outgrow it is submitted early. */
const ARENA_BYTES = 4 << 20;
/** Offsets of bound arena ranges must be multiples of this (WebGPU's minStorageBufferOffsetAlignment). */
const ALIGN = 256;
/** Dispatches recorded before a batch is submitted anyway, so the GPU starts while the CPU records. */
const MAX_DISPATCHES = 256;
/** Uploads larger than this go through their own writeBuffer after a flush, not the arena. */
const ARENA_UPLOAD_LIMIT = 256 << 10;

/** Parameters of one dispatch, as 32-bit words: integers as they are, floats as their bits. */
export class Params {
  readonly words: number[] = [];
  private static readonly bits = new Float32Array(1);
  private static readonly asInt = new Int32Array(Params.bits.buffer);

  i(...values: number[]): this {
    for (const v of values) this.words.push(v | 0);
    return this;
  }
  list(values: readonly number[]): this {
    return this.i(...values);
  }
  f(...values: number[]): this {
    for (const v of values) {
      Params.bits[0] = v;
      this.words.push(Params.asInt[0] as number);
    }
    return this;
  }
}

/** How many maps (`mapAsync`) the backend has made: the number of times the CPU waited on the GPU. */
export interface QueueStats {
  maps: number;
  submits: number;
  dispatches: number;
}

export class GpuQueue {
  readonly stats: QueueStats = { maps: 0, submits: 0, dispatches: 0 };
  private encoder: GPUCommandEncoder | null = null;
  private pass: GPUComputePassEncoder | null = null;
  private readonly arena: GPUBuffer;
  private readonly arenaHost = new ArrayBuffer(ARENA_BYTES);
  private readonly arenaWords = new Int32Array(this.arenaHost);
  private arenaUsed = 0;
  private pending = 0;
  private readonly pipelines = new Map<string, GPUComputePipeline>();
  private readonly staging = new Map<number, GPUBuffer[]>();
  /** Why the device stopped working; every later call fails with it. */
  private failure: string | null = null;
  /** An allocation the GPU could not satisfy; the next read fails with it (its values are not computed). */
  private outOfMemory: string | null = null;

  constructor(
    readonly device: GPUDevice,
    private readonly backendName: string,
  ) {
    this.arena = device.createBuffer({ size: ARENA_BYTES, usage: STORAGE | COPY_DST | COPY_SRC });
    device.lost.then((info) => {
      this.failure = `the GPU device was lost (${info.message || info.reason || 'no reason given'})`;
    });
    device.addEventListener('uncapturederror', (event) => {
      const error = (event as GPUUncapturedErrorEvent).error;
      const message = error.message.split('\n')[0];
      if (error.constructor?.name === 'GPUOutOfMemoryError') this.outOfMemory ??= message ?? '';
      else this.failure ??= `a GPU error: ${message}`;
    });
  }

  /** Throws if the device can no longer run work, naming the backend, the cause and what to do. */
  ensureUsable(): void {
    if (this.failure !== null) {
      throw new Error(
        `${this.backendName}: ${this.failure}; tensors on this device are gone. ` +
          "Call await capa.setBackend('webgpu') in a new process, or switch to another backend (await capa.setBackend('native')).",
      );
    }
  }

  /** The compute pipeline for a shader, compiled on first use and kept by key. */
  pipeline(key: string, code: () => string): GPUComputePipeline {
    let p = this.pipelines.get(key);
    if (!p) {
      const module = this.device.createShaderModule({ code: code(), label: key });
      p = this.device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' }, label: key });
      this.pipelines.set(key, p);
    }
    return p;
  }

  /** Records one dispatch: binding 0 is the parameters, 1.. the buffers in order. */
  dispatch(
    pipeline: GPUComputePipeline,
    buffers: readonly GPUBuffer[],
    params: Params,
    groups: readonly [number, number, number],
  ): void {
    this.ensureUsable();
    if (groups[0] === 0 || groups[1] === 0 || groups[2] === 0) return;
    const words = Math.max(params.words.length, 1);
    const offset = this.reserve(words * 4);
    this.arenaWords.set(params.words, offset / 4);
    const entries: GPUBindGroupEntry[] = [
      { binding: 0, resource: { buffer: this.arena, offset, size: words * 4 } },
      ...buffers.map((buffer, i) => ({ binding: i + 1, resource: { buffer } })),
    ];
    const bindGroup = this.device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries });
    const pass = this.computePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(groups[0], groups[1], groups[2]);
    this.stats.dispatches++;
    if (++this.pending >= MAX_DISPATCHES) this.flush();
  }

  /** Host values into `target` at byteOffset, in command order with the kernels around it. */
  upload(target: GPUBuffer, data: ArrayBufferView, byteOffset = 0): void {
    this.ensureUsable();
    const bytes = data.byteLength;
    if (bytes === 0) return;
    const src = new Uint8Array(data.buffer, data.byteOffset, bytes);
    if (bytes > ARENA_UPLOAD_LIMIT) {
      // everything recorded so far runs first, so the write cannot overtake a pending use of target
      this.flush();
      this.device.queue.writeBuffer(target, byteOffset, data.buffer as ArrayBuffer, data.byteOffset, bytes);
      return;
    }
    const offset = this.reserve(bytes);
    new Uint8Array(this.arenaHost, offset, bytes).set(src);
    this.endPass();
    this.commandEncoder().copyBufferToBuffer(this.arena, offset, target, byteOffset, bytes);
  }

  copy(src: GPUBuffer, dst: GPUBuffer, bytes: number): void {
    this.ensureUsable();
    if (bytes === 0) return;
    this.endPass();
    this.commandEncoder().copyBufferToBuffer(src, 0, dst, 0, bytes);
  }

  /** Zeros `bytes` of a buffer, in command order. */
  clear(buffer: GPUBuffer, bytes: number): void {
    this.ensureUsable();
    if (bytes === 0) return;
    this.endPass();
    this.commandEncoder().clearBuffer(buffer, 0, bytes);
  }

  /** Submits everything recorded so far (does not wait for it). */
  flush(): void {
    if (this.encoder === null) return;
    this.endPass();
    if (this.arenaUsed > 0) this.device.queue.writeBuffer(this.arena, 0, this.arenaHost, 0, this.arenaUsed);
    this.device.queue.submit([this.encoder.finish()]);
    this.stats.submits++;
    this.encoder = null;
    this.arenaUsed = 0;
    this.pending = 0;
  }

  /** The first `bytes` of a buffer on the host, after everything recorded before it has run: one map. */
  async read(buffer: GPUBuffer, bytes: number): Promise<ArrayBuffer> {
    this.ensureUsable();
    if (bytes === 0) return new ArrayBuffer(0);
    const size = Math.ceil(bytes / ALIGN) * ALIGN;
    const staging = this.staging.get(size)?.pop() ?? this.device.createBuffer({ size, usage: MAP_READ | COPY_DST });
    this.endPass();
    this.commandEncoder().copyBufferToBuffer(buffer, 0, staging, 0, bytes);
    this.flush();
    this.stats.maps++;
    try {
      await staging.mapAsync(MAP_READ, 0, size);
    } catch (err) {
      this.ensureUsable();
      throw new Error(`${this.backendName}: reading ${mb(bytes)} back from the GPU failed (${(err as Error).message})`);
    }
    const values = staging.getMappedRange(0, bytes).slice(0);
    staging.unmap();
    let list = this.staging.get(size);
    if (!list) {
      list = [];
      this.staging.set(size, list);
    }
    list.push(staging);
    this.ensureUsable();
    if (this.outOfMemory !== null) {
      const detail = this.outOfMemory;
      this.outOfMemory = null;
      throw new Error(
        `${this.backendName}: the GPU ran out of memory while computing this value (${detail}); ` +
          'use smaller batches or layers, or another backend (await capa.setBackend("native"))',
      );
    }
    return values;
  }

  private reserve(bytes: number): number {
    const aligned = Math.ceil(bytes / ALIGN) * ALIGN;
    if (this.arenaUsed + aligned > ARENA_BYTES) this.flush();
    const offset = this.arenaUsed;
    this.arenaUsed += aligned;
    return offset;
  }

  private commandEncoder(): GPUCommandEncoder {
    this.encoder ??= this.device.createCommandEncoder();
    return this.encoder;
  }

  private computePass(): GPUComputePassEncoder {
    this.pass ??= this.commandEncoder().beginComputePass();
    return this.pass;
  }

  private endPass(): void {
    if (this.pass !== null) {
      this.pass.end();
      this.pass = null;
    }
  }
}
