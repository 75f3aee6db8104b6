/**
 * A backend that implements only the required primitives, each as the plainest loop that works,
 * and inherits every composite kernel (conv and pooling backward, depthwise, batch norm, softmax,
 * activation gradients, optimizer updates, clipping) from BaseBackend. It exists to prove the
 * contract: if a model trains on it, the defaults are complete and need nothing else. It shares
 * no code with the js backend on purpose.
 */
import type {
  BinaryOp,
  CompareOp,
  Conv2DInfo,
  FusedActivation,
  MatmulArgs,
  PadMode,
  ReduceOp,
  UnaryOp,
} from '../../src/backend/backend.js';
import { BaseBackend } from '../../src/backend/base-backend.js';
import type { DType, TypedArray } from '../../src/tensor/dtype.js';
import type { Storage } from '../../src/tensor/storage.js';

/**
 * An opaque toy handle: nothing but this module can reach the values (as with a GPU buffer), so a
 * default that indexed storage, or a host array reaching a kernel, fails loudly.
 */
class ToyBox {
  constructor(readonly values: TypedArray) {}
}

function describe(x: unknown): string {
  return x === null || typeof x !== 'object' ? String(x) : (x.constructor?.name ?? 'object');
}

type Shape = readonly number[];

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/** Abramowitz & Stegun 7.1.26 (error below 1.5e-7). */
function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const r = 1 - poly * Math.exp(-x * x);
  return x >= 0 ? r : -r;
}

function sigmoid(v: number): number {
  return 1 / (1 + Math.exp(-v));
}

function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

const unaryFns: Record<UnaryOp, (v: number, alpha: number, beta: number) => number> = {
  neg: (v) => -v,
  abs: Math.abs,
  sign: Math.sign,
  exp: Math.exp,
  expm1: Math.expm1,
  log: Math.log,
  log1p: Math.log1p,
  sqrt: Math.sqrt,
  rsqrt: (v) => 1 / Math.sqrt(v),
  square: (v) => v * v,
  reciprocal: (v) => 1 / v,
  floor: Math.floor,
  ceil: Math.ceil,
  round: roundHalfEven,
  sin: Math.sin,
  cos: Math.cos,
  erf,
  clip: (v, lo, hi) => Math.min(Math.max(v, lo), hi),
  affine: (v, scale, shift) => v * scale + shift,
  powScalar: (v, p) => v ** p,
  linear: (v) => v,
  relu: (v) => (v > 0 ? v : 0),
  relu6: (v) => Math.min(Math.max(v, 0), 6),
  leakyRelu: (v, alpha) => (v > 0 ? v : v * alpha),
  elu: (v, alpha) => (v > 0 ? v : alpha * Math.expm1(v)),
  selu: (v) => (v > 0 ? SELU_SCALE * v : SELU_SCALE * SELU_ALPHA * Math.expm1(v)),
  gelu: (v) => 0.5 * v * (1 + erf(v / Math.SQRT2)),
  geluTanh: (v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3))),
  sigmoid,
  hardSigmoid: (v) => Math.min(Math.max(v + 3, 0), 6) / 6,
  tanh: Math.tanh,
  softplus: (v) => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v))),
  softsign: (v) => v / (1 + Math.abs(v)),
  silu: (v) => v * sigmoid(v),
};

const binaryFns: Record<BinaryOp, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: (a, b) => a ** b,
  maximum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : Math.max(a, b)),
  minimum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : Math.min(a, b)),
  squaredDifference: (a, b) => (a - b) * (a - b),
  floorDiv: (a, b) => Math.floor(a / b),
  mod: (a, b) => a - Math.floor(a / b) * b,
  atan2: Math.atan2,
};

const compareFns: Record<CompareOp, (a: number, b: number) => boolean> = {
  equal: (a, b) => a === b,
  notEqual: (a, b) => a !== b,
  less: (a, b) => a < b,
  lessEqual: (a, b) => a <= b,
  greater: (a, b) => a > b,
  greaterEqual: (a, b) => a >= b,
  logicalAnd: (a, b) => a !== 0 && b !== 0,
  logicalOr: (a, b) => a !== 0 || b !== 0,
};

function sizeOf(shape: Shape): number {
  return shape.reduce((a, b) => a * b, 1);
}

function stridesOf(shape: Shape): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let d = shape.length - 2; d >= 0; d--) s[d] = (s[d + 1] as number) * (shape[d + 1] as number);
  return s;
}

/** For each element of outShape (row-major), offset + Σ coord[d] * strides[d]. */
function stridedIndices(outShape: Shape, strides: readonly number[], offset = 0): Int32Array {
  const n = sizeOf(outShape);
  const idx = new Int32Array(n);
  const rank = outShape.length;
  const coord = new Array<number>(rank).fill(0);
  let at = offset;
  for (let i = 0; i < n; i++) {
    idx[i] = at;
    for (let d = rank - 1; d >= 0; d--) {
      coord[d] = (coord[d] as number) + 1;
      at += strides[d] as number;
      if ((coord[d] as number) < (outShape[d] as number)) break;
      at -= (coord[d] as number) * (strides[d] as number);
      coord[d] = 0;
    }
  }
  return idx;
}

let identityCache = new Int32Array(0);

/** 0, 1, ..., n-1 (shared: read only). */
function identity(n: number): Int32Array {
  if (identityCache.length < n) {
    identityCache = new Int32Array(n);
    for (let i = 0; i < n; i++) identityCache[i] = i;
  }
  return identityCache;
}

/** Index into an operand of shape `shape` for every element of its broadcast to outShape. */
function broadcastIndices(shape: Shape, outShape: Shape): Int32Array {
  const n = sizeOf(outShape);
  if (sizeOf(shape) === n) return identity(n);
  if (sizeOf(shape) === 1) return new Int32Array(n);
  const lead = outShape.length - shape.length;
  const own = stridesOf(shape);
  const strides = outShape.map((_, d) => (d < lead || shape[d - lead] === 1 ? 0 : (own[d - lead] as number)));
  return stridedIndices(outShape, strides);
}

export interface ToyOptions {
  /**
   * Boxed storage (ToyBox) instead of typed arrays. The training pipeline still makes some
   * tensors from host arrays (weight initializers, batches, the fused loss), so a model trains on
   * the toy with host storage; kernel-level tests use boxes.
   */
  opaque?: boolean;
}

export class ToyBackend extends BaseBackend {
  readonly name = 'toy';
  readonly storageKind: string;
  private readonly opaque: boolean;

  constructor(options: ToyOptions = {}) {
    super();
    this.opaque = options.opaque ?? false;
    this.storageKind = this.opaque ? 'toy-box' : 'host';
  }

  private wrap(values: TypedArray): Storage {
    return this.opaque ? new ToyBox(values) : values;
  }

  /** The values behind a handle; a handle of the other kind is a bug in whoever passed it. */
  private open(storage: Storage): TypedArray {
    if (this.opaque ? storage instanceof ToyBox : storage instanceof Float32Array || storage instanceof Int32Array) {
      return this.opaque ? (storage as ToyBox).values : (storage as TypedArray);
    }
    throw new Error(`toy backend: a kernel was given storage that is not its own (${describe(storage)}).`);
  }

  // ---- storage: typed arrays or boxes (ToyOptions) ----
  allocate(dtype: DType, size: number): Storage {
    // dirty on purpose: a default that relied on fresh storage being zero would show here
    return this.wrap(dtype === 'int32' ? new Int32Array(size).fill(-7) : new Float32Array(size).fill(Number.NaN));
  }

  allocateZeroed(dtype: DType, size: number): Storage {
    return this.wrap(dtype === 'int32' ? new Int32Array(size) : new Float32Array(size));
  }

  upload(values: TypedArray): Storage {
    return this.wrap(values.slice());
  }

  async read(storage: Storage): Promise<TypedArray> {
    return this.open(storage).slice();
  }

  /** A CPU toy can answer at once; the values still leave only as a copy. */
  readSync(storage: Storage): TypedArray {
    return this.open(storage).slice();
  }

  copy(src: Storage, dst: Storage, size: number): void {
    const from = this.open(src);
    const to = this.open(dst);
    for (let i = 0; i < size; i++) to[i] = from[i] as number;
  }

  write(dst: Storage, values: ArrayLike<number>): void {
    const to = this.open(dst);
    for (let i = 0; i < to.length; i++) to[i] = values[i] as number;
  }

  storageMark(): number {
    return 0;
  }

  release(): boolean {
    return false;
  }

  sizeOf(storage: Storage): number {
    return this.open(storage).length;
  }

  cast(x$: Storage, out$: Storage): void {
    const x = this.open(x$);
    const out = this.open(out$);
    const truncate = out instanceof Int32Array;
    for (let i = 0; i < out.length; i++) out[i] = truncate ? Math.trunc(x[i] as number) : (x[i] as number);
  }

  unary(op: UnaryOp, x$: Storage, out$: Storage, alpha: number, beta: number): void {
    const x = this.open(x$);
    const out = this.open(out$);
    const f = unaryFns[op];
    for (let i = 0; i < out.length; i++) out[i] = f(x[i] as number, alpha, beta);
  }

  binary(op: BinaryOp, a$: Storage, aShape: Shape, b$: Storage, bShape: Shape, out$: Storage, outShape: Shape): void {
    const a = this.open(a$);
    const b = this.open(b$);
    const out = this.open(out$);
    const f = binaryFns[op];
    const ia = broadcastIndices(aShape, outShape);
    const ib = broadcastIndices(bShape, outShape);
    for (let i = 0; i < out.length; i++) out[i] = f(a[ia[i] as number] as number, b[ib[i] as number] as number);
  }

  compare(op: CompareOp, a$: Storage, aShape: Shape, b$: Storage, bShape: Shape, out$: Storage, outShape: Shape): void {
    const a = this.open(a$);
    const b = this.open(b$);
    const out = this.open(out$) as Int32Array;
    const f = compareFns[op];
    const ia = broadcastIndices(aShape, outShape);
    const ib = broadcastIndices(bShape, outShape);
    for (let i = 0; i < out.length; i++) out[i] = f(a[ia[i] as number] as number, b[ib[i] as number] as number) ? 1 : 0;
  }

  select(
    cond$: Storage,
    condShape: Shape,
    a$: Storage,
    aShape: Shape,
    b$: Storage,
    bShape: Shape,
    out$: Storage,
    outShape: Shape,
  ): void {
    const cond = this.open(cond$);
    const a = this.open(a$);
    const b = this.open(b$);
    const out = this.open(out$);
    const ic = broadcastIndices(condShape, outShape);
    const ia = broadcastIndices(aShape, outShape);
    const ib = broadcastIndices(bShape, outShape);
    for (let i = 0; i < out.length; i++) {
      out[i] = (cond[ic[i] as number] as number) !== 0 ? (a[ia[i] as number] as number) : (b[ib[i] as number] as number);
    }
  }

  reduce(op: ReduceOp, x$: Storage, shape: Shape, axes: readonly number[], out$: Storage): void {
    const x = this.open(x$);
    const out = this.open(out$);
    // each input element's output position: the output broadcast back over the reduced axes
    const kept = shape.map((s, d) => (axes.includes(d) ? 1 : s));
    const target = broadcastIndices(kept, shape);
    const acc = new Float64Array(out.length).fill(op === 'max' ? -Infinity : op === 'min' ? Infinity : op === 'prod' ? 1 : 0);
    for (let i = 0; i < x.length; i++) {
      const o = target[i] as number;
      const v = x[i] as number;
      const cur = acc[o] as number;
      if (op === 'sum' || op === 'mean') acc[o] = cur + v;
      else if (op === 'prod') acc[o] = cur * v;
      else if (op === 'max') acc[o] = Number.isNaN(v) || v > cur ? v : cur;
      else acc[o] = Number.isNaN(v) || v < cur ? v : cur;
    }
    const count = out.length === 0 ? 0 : x.length / out.length;
    for (let o = 0; o < out.length; o++) out[o] = op === 'mean' ? (acc[o] as number) / count : (acc[o] as number);
  }

  argReduce(op: 'argmax' | 'argmin', x$: Storage, shape: Shape, axis: number, out$: Storage): void {
    const x = this.open(x$);
    const out = this.open(out$) as Int32Array;
    const n = shape[axis] as number;
    const inner = sizeOf(shape.slice(axis + 1));
    const outer = sizeOf(shape.slice(0, axis));
    const better = op === 'argmax' ? (v: number, best: number) => v > best : (v: number, best: number) => v < best;
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        let best = x[o * n * inner + i] as number;
        let at = 0;
        for (let k = 1; k < n; k++) {
          const v = x[(o * n + k) * inner + i] as number;
          if (better(v, best)) {
            best = v;
            at = k;
          }
        }
        out[o * inner + i] = at;
      }
    }
  }

  matmul(a$: Storage, b$: Storage, out$: Storage, args: MatmulArgs): void {
    const a = this.open(a$) as Float32Array;
    const b = this.open(b$) as Float32Array;
    const out = this.open(out$) as Float32Array;
    const { batch, m, n, k, transposeA, transposeB, aBatchStride, bBatchStride } = args;
    out.fill(0);
    for (let t = 0; t < batch; t++) {
      const a0 = t * aBatchStride;
      const b0 = t * bBatchStride;
      const o0 = t * m * n;
      for (let i = 0; i < m; i++) {
        for (let p = 0; p < k; p++) {
          const av = a[a0 + (transposeA ? p * m + i : i * k + p)] as number;
          for (let j = 0; j < n; j++) {
            out[o0 + i * n + j] = (out[o0 + i * n + j] as number) + av * (b[b0 + (transposeB ? j * k + p : p * n + j)] as number);
          }
        }
      }
    }
    this.applyBiasActivation(out$, n, args.bias, args.activation);
  }

  transpose(x$: Storage, shape: Shape, perm: readonly number[], out$: Storage): void {
    const x = this.open(x$);
    const out = this.open(out$);
    const strides = stridesOf(shape);
    const idx = stridedIndices(
      perm.map((p) => shape[p] as number),
      perm.map((p) => strides[p] as number),
    );
    for (let i = 0; i < out.length; i++) out[i] = x[idx[i] as number] as number;
  }

  /** Indices of the strided box (begin, step) of shape `size` inside a tensor of `shape`. */
  private box(shape: Shape, begin: readonly number[], size: Shape, step: readonly number[]): Int32Array {
    const strides = stridesOf(shape);
    const offset = begin.reduce((sum, b, d) => sum + b * (strides[d] as number), 0);
    return stridedIndices(
      size,
      strides.map((s, d) => s * (step[d] as number)),
      offset,
    );
  }

  slice(x$: Storage, shape: Shape, begin: readonly number[], size: Shape, step: readonly number[], out$: Storage): void {
    const x = this.open(x$);
    const out = this.open(out$);
    const idx = this.box(shape, begin, size, step);
    for (let i = 0; i < out.length; i++) out[i] = x[idx[i] as number] as number;
  }

  sliceAssign(
    dst$: Storage,
    dstShape: Shape,
    src$: Storage,
    srcShape: Shape,
    begin: readonly number[],
    step: readonly number[],
    accumulate: boolean,
  ): void {
    const dst = this.open(dst$);
    const src = this.open(src$);
    const idx = this.box(dstShape, begin, srcShape, step);
    for (let i = 0; i < src.length; i++) {
      const o = idx[i] as number;
      dst[o] = accumulate ? (dst[o] as number) + (src[i] as number) : (src[i] as number);
    }
  }

  pad(
    x$: Storage,
    shape: Shape,
    paddings: readonly (readonly [number, number])[],
    mode: PadMode,
    value: number,
    out$: Storage,
  ): void {
    const x = this.open(x$);
    const out = this.open(out$);
    const outShape = shape.map(
      (s, d) => s + (paddings[d] as readonly [number, number])[0] + (paddings[d] as readonly [number, number])[1],
    );
    const strides = stridesOf(shape);
    const rank = shape.length;
    const coord = new Array<number>(rank).fill(0);
    for (let i = 0; i < out.length; i++) {
      let src = 0;
      let inside = true;
      for (let d = 0; d < rank; d++) {
        const n = shape[d] as number;
        let c = (coord[d] as number) - (paddings[d] as readonly [number, number])[0];
        if (c < 0 || c >= n) {
          if (mode === 'constant') inside = false;
          else if (mode === 'reflect') c = c < 0 ? -c : 2 * (n - 1) - c;
          else c = c < 0 ? -c - 1 : 2 * n - 1 - c;
        }
        src += c * (strides[d] as number);
      }
      out[i] = inside ? (x[src] as number) : value;
      for (let d = rank - 1; d >= 0; d--) {
        coord[d] = (coord[d] as number) + 1;
        if ((coord[d] as number) < (outShape[d] as number)) break;
        coord[d] = 0;
      }
    }
  }

  gather(x$: Storage, shape: Shape, indices$: Storage, axis: number, out$: Storage): void {
    const x = this.open(x$);
    const indices = this.open(indices$) as Int32Array;
    const out = this.open(out$);
    const n = shape[axis] as number;
    const inner = sizeOf(shape.slice(axis + 1));
    const outer = sizeOf(shape.slice(0, axis));
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < indices.length; j++) {
        const from = (o * n + (indices[j] as number)) * inner;
        const to = (o * indices.length + j) * inner;
        for (let i = 0; i < inner; i++) out[to + i] = x[from + i] as number;
      }
    }
  }

  scatterAdd(updates$: Storage, indices$: Storage, axis: number, out$: Storage, outShape: Shape): void {
    const updates = this.open(updates$);
    const indices = this.open(indices$) as Int32Array;
    const out = this.open(out$);
    const n = outShape[axis] as number;
    const inner = sizeOf(outShape.slice(axis + 1));
    const outer = sizeOf(outShape.slice(0, axis));
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < indices.length; j++) {
        const to = (o * n + (indices[j] as number)) * inner;
        const from = (o * indices.length + j) * inner;
        for (let i = 0; i < inner; i++) out[to + i] = (out[to + i] as number) + (updates[from + i] as number);
      }
    }
  }

  /**
   * Per output pixel: the window's patch (zeros for padding cells) in one buffer, then one dot
   * product per output channel against the filter stored channel-major. Plain loops, but each
   * inner loop runs over contiguous memory so the MNIST test finishes in minutes.
   */
  conv2d(x$: Storage, filter$: Storage, out$: Storage, info: Conv2DInfo, bias$?: Storage, activation?: FusedActivation): void {
    const x = this.open(x$) as Float32Array;
    const filter = this.open(filter$) as Float32Array;
    const out = this.open(out$) as Float32Array;
    const { batch: N, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, outChannels: F } = info;
    const { filterHeight: KH, filterWidth: KW, strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
    const K = KH * KW * C;
    const byChannel = new Float32Array(F * K);
    for (let k = 0; k < K; k++) for (let f = 0; f < F; f++) byChannel[f * K + k] = filter[k * F + f] as number;
    const patch = new Float32Array(K);
    for (let n = 0; n < N; n++) {
      for (let oh = 0; oh < OH; oh++) {
        for (let ow = 0; ow < OW; ow++) {
          for (let kh = 0; kh < KH; kh++) {
            const ih = oh * sh - info.padTop + kh * dh;
            for (let kw = 0; kw < KW; kw++) {
              const iw = ow * sw - info.padLeft + kw * dw;
              const p = (kh * KW + kw) * C;
              const inside = ih >= 0 && ih < H && iw >= 0 && iw < W;
              const xi = ((n * H + ih) * W + iw) * C;
              for (let c = 0; c < C; c++) patch[p + c] = inside ? (x[xi + c] as number) : 0;
            }
          }
          const o = ((n * OH + oh) * OW + ow) * F;
          for (let f = 0; f < F; f++) {
            const base = f * K;
            // four running sums, so the adds do not wait on each other
            let a0 = 0;
            let a1 = 0;
            let a2 = 0;
            let a3 = 0;
            let k = 0;
            for (; k + 3 < K; k += 4) {
              a0 += (patch[k] as number) * (byChannel[base + k] as number);
              a1 += (patch[k + 1] as number) * (byChannel[base + k + 1] as number);
              a2 += (patch[k + 2] as number) * (byChannel[base + k + 2] as number);
              a3 += (patch[k + 3] as number) * (byChannel[base + k + 3] as number);
            }
            for (; k < K; k++) a0 += (patch[k] as number) * (byChannel[base + k] as number);
            out[o + f] = a0 + a1 + a2 + a3;
          }
        }
      }
    }
    this.applyBiasActivation(out$, F, bias$, activation);
  }

  /** Calls visit(outIndex, inIndex) for each in-input cell of each window, channel by channel. */
  private forEachWindowCell(
    info: Conv2DInfo,
    reset: (o: number) => void,
    visit: (o: number, i: number) => void,
    done: (o: number, cells: number) => void,
  ): void {
    const { batch: N, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
    for (let n = 0; n < N; n++) {
      for (let oh = 0; oh < OH; oh++) {
        for (let ow = 0; ow < OW; ow++) {
          for (let c = 0; c < C; c++) {
            const o = ((n * OH + oh) * OW + ow) * C + c;
            reset(o);
            let cells = 0;
            for (let kh = 0; kh < info.filterHeight; kh++) {
              const ih = oh * info.strideHeight - info.padTop + kh * info.dilationHeight;
              if (ih < 0 || ih >= H) continue;
              for (let kw = 0; kw < info.filterWidth; kw++) {
                const iw = ow * info.strideWidth - info.padLeft + kw * info.dilationWidth;
                if (iw < 0 || iw >= W) continue;
                visit(o, ((n * H + ih) * W + iw) * C + c);
                cells++;
              }
            }
            done(o, cells);
          }
        }
      }
    }
  }

  maxPool2d(x$: Storage, out$: Storage, info: Conv2DInfo): void {
    const x = this.open(x$) as Float32Array;
    const out = this.open(out$) as Float32Array;
    let best = 0;
    this.forEachWindowCell(
      info,
      () => {
        best = -Infinity;
      },
      (_o, i) => {
        const v = x[i] as number;
        if (!Number.isNaN(best) && !(v <= best)) best = v;
      },
      (o, cells) => {
        out[o] = cells === 0 ? 0 : best;
      },
    );
  }

  avgPool2d(x$: Storage, out$: Storage, info: Conv2DInfo): void {
    const x = this.open(x$) as Float32Array;
    const out = this.open(out$) as Float32Array;
    let sum = 0;
    this.forEachWindowCell(
      info,
      () => {
        sum = 0;
      },
      (_o, i) => {
        sum += x[i] as number;
      },
      (o, cells) => {
        out[o] = cells === 0 ? 0 : sum / cells;
      },
    );
  }
}
