/**
 * Matrix products, one tiled template: a workgroup of 256 threads computes a block of the output,
 * each thread a 4x4 register block, stepping through K in tiles of 16 staged in workgroup memory.
 * The block is 64x64 (16x16 threads), or taller and narrower when the output has few columns
 * (128x32): a conv's 1 to 32 channels would otherwise leave most of a 64-wide block
 * computing zeros, which a CPU implementation such as SwiftShader pays for in full.
 * What differs between matmul and convolution is only how an element of A is loaded: a strided
 * matrix (with optional transposes and batch strides) or, for conv2d as implicit GEMM over NHWC,
 * the input pixel under filter tap k of output pixel m (zero in the padding), so no im2col copy is
 * made. Bias and activation are applied in the store.
 */
import type { Conv2DInfo, FusedActivation, MatmulArgs } from '../backend.js';
import type { GpuStorage } from './buffers.js';
import { type GpuQueue, Params } from './queue.js';
import { bindings, PARAMS } from './wgsl.js';

const TILE_K = 16;
const THREADS = 256;
const MAX_BATCH_GROUPS = 65535;
/** Register block indices, unrolled into the shader text: scalar registers, no indexed private arrays. */
const range4 = [0, 1, 2, 3];

/** Threads along columns (x) and rows (y) of a workgroup; its block is 4·y rows by 4·x columns. */
interface BlockShape {
  x: number;
  y: number;
}

/**
 * The square block, or the 128x32 one for outputs at most 32 wide. (A 256x16 block would stage
 * 16 KiB of A per K tile, past WebGPU's default 16 KiB of workgroup memory with B's tile.)
 */
function blockFor(n: number): BlockShape {
  return n <= 32 ? { x: 8, y: 32 } : { x: 16, y: 16 };
}

const activations: Record<FusedActivation, string> = {
  linear: 'v',
  relu: 'max(v, 0.0)',
  relu6: 'clamp(v, 0.0, 6.0)',
  sigmoid: '1.0 / (1.0 + exp(-v))',
  tanh: 'tanh(clamp(v, -15.0, 15.0))',
};

/**
 * The GEMM shader: params start [M, N, K, batchOffset, ...], loadA(batch, m, k) and
 * loadB(batch, k, n) come from the caller (in range: the template checks bounds first).
 */
function gemmShader(loaders: string, hasBias: boolean, activation: FusedActivation, block: BlockShape): string {
  const tm = block.y * 4;
  const tn = block.x * 4;
  return `${PARAMS}
${bindings([['A', 'f32', 'read'], ['B', 'f32', 'read'], ['O', 'f32', 'read_write'], ...(hasBias ? ([['BIAS', 'f32', 'read']] as const) : [])])}
${loaders}
var<workgroup> As: array<array<f32, ${tm}>, ${TILE_K}>;
var<workgroup> Bs: array<array<f32, ${tn}>, ${TILE_K}>;
@compute @workgroup_size(${block.x}, ${block.y}, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let M = pu(0u);
  let N = pu(1u);
  let K = pu(2u);
  let batch = wid.z + pu(3u);
  let row0 = wid.y * ${tm}u;
  let col0 = wid.x * ${tn}u;
  let tid = lid.y * ${block.x}u + lid.x;
  ${range4.flatMap((r) => range4.map((c) => `var acc${r}${c} = 0.0;`)).join(' ')}
  for (var k0 = 0u; k0 < K; k0 += ${TILE_K}u) {
    for (var l = 0u; l < ${(tm * TILE_K) / THREADS}u; l++) {
      let e = tid + l * ${THREADS}u;
      let am = e / ${TILE_K}u;
      let ak = e % ${TILE_K}u;
      var av = 0.0;
      if (row0 + am < M && k0 + ak < K) { av = loadA(batch, row0 + am, k0 + ak); }
      As[ak][am] = av;
    }
    for (var l = 0u; l < ${(tn * TILE_K) / THREADS}u; l++) {
      let e = tid + l * ${THREADS}u;
      let bk = e / ${tn}u;
      let bn = e % ${tn}u;
      var bv = 0.0;
      if (k0 + bk < K && col0 + bn < N) { bv = loadB(batch, k0 + bk, col0 + bn); }
      Bs[bk][bn] = bv;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < ${TILE_K}u; kk++) {
      ${range4.map((r) => `let a${r} = As[kk][lid.y + ${r * block.y}u];`).join(' ')}
      ${range4.map((c) => `let b${c} = Bs[kk][lid.x + ${c * block.x}u];`).join(' ')}
      ${range4.flatMap((r) => range4.map((c) => `acc${r}${c} = fma(a${r}, b${c}, acc${r}${c});`)).join('\n      ')}
    }
    workgroupBarrier();
  }
  ${range4
    .flatMap((r) =>
      range4.map((c) => `store(batch, row0 + lid.y + ${r * block.y}u, col0 + lid.x + ${c * block.x}u, acc${r}${c});`),
    )
    .join('\n  ')}
}
fn store(batch: u32, row: u32, col: u32, acc: f32) {
  let M = pu(0u);
  let N = pu(1u);
  if (row >= M || col >= N) { return; }
  let v = acc${hasBias ? ' + BIAS[col]' : ''};
  O[(batch * M + row) * N + col] = ${activations[activation]};
}`;
}

/** Records one GEMM (the template above with the caller's loaders), over `sizes.batch` slices of z workgroups. */
export function dispatchGemm(
  q: GpuQueue,
  key: string,
  loaders: string,
  buffers: { a: GpuStorage; b: GpuStorage; out: GpuStorage; bias?: GpuStorage | undefined },
  sizes: { batch: number; m: number; n: number; k: number },
  extra: readonly number[],
  activation: FusedActivation | undefined,
): void {
  const act = activation ?? 'linear';
  const hasBias = buffers.bias !== undefined;
  const block = blockFor(sizes.n);
  const pipeline = q.pipeline(`${key}:${hasBias}:${act}:${block.x}`, () => gemmShader(loaders, hasBias, act, block));
  const list = [buffers.a.buffer, buffers.b.buffer, buffers.out.buffer];
  if (buffers.bias) list.push(buffers.bias.buffer);
  for (let first = 0; first < sizes.batch; first += MAX_BATCH_GROUPS) {
    const count = Math.min(MAX_BATCH_GROUPS, sizes.batch - first);
    const params = new Params().i(sizes.m, sizes.n, sizes.k, first).list(extra);
    q.dispatch(pipeline, list, params, [Math.ceil(sizes.n / (block.x * 4)), Math.ceil(sizes.m / (block.y * 4)), count]);
  }
}

/** params after the common four: [transposeA, transposeB, aBatchStride, bBatchStride]. */
const MATMUL_LOADERS = /* wgsl */ `
fn loadA(batch: u32, m: u32, k: u32) -> f32 {
  let base = batch * pu(6u);
  if (pu(4u) != 0u) { return A[base + k * pu(0u) + m]; }
  return A[base + m * pu(2u) + k];
}
fn loadB(batch: u32, k: u32, n: u32) -> f32 {
  let base = batch * pu(7u);
  if (pu(5u) != 0u) { return B[base + n * pu(2u) + k]; }
  return B[base + k * pu(1u) + n];
}`;

export function matmul(q: GpuQueue, a: GpuStorage, b: GpuStorage, out: GpuStorage, args: MatmulArgs): void {
  dispatchGemm(
    q,
    'matmul',
    MATMUL_LOADERS,
    { a, b, out, bias: args.bias as GpuStorage | undefined },
    args,
    [args.transposeA ? 1 : 0, args.transposeB ? 1 : 0, args.aBatchStride, args.bBatchStride],
    args.activation,
  );
}

/**
 * Implicit GEMM: row m is output pixel (n, oh, ow), column k is filter tap (kh, kw, c), B is the
 * HWIO filter as [K, outChannels]. params after the common four:
 * [H, W, C, OH, OW, KW, strideH, strideW, dilationH, dilationW, padTop, padLeft].
 */
const CONV_LOADERS = /* wgsl */ `
fn loadA(batch: u32, m: u32, k: u32) -> f32 {
  let H = P[4u]; let W = P[5u]; let C = pu(6u); let OH = pu(7u); let OW = pu(8u); let KW = pu(9u);
  let n = m / (OH * OW);
  let p = m % (OH * OW);
  let oh = i32(p / OW);
  let ow = i32(p % OW);
  let tap = k / C;
  let c = k % C;
  let ih = oh * P[10u] - P[14u] + i32(tap / KW) * P[12u];
  let iw = ow * P[11u] - P[15u] + i32(tap % KW) * P[13u];
  if (ih < 0 || ih >= H || iw < 0 || iw >= W) { return 0.0; }
  return A[((n * u32(H) + u32(ih)) * u32(W) + u32(iw)) * C + c];
}
fn loadB(batch: u32, k: u32, n: u32) -> f32 { return B[k * pu(1u) + n]; }`;

export function conv2d(
  q: GpuQueue,
  x: GpuStorage,
  filter: GpuStorage,
  out: GpuStorage,
  info: Conv2DInfo,
  bias?: GpuStorage,
  activation?: FusedActivation,
): void {
  dispatchGemm(
    q,
    'conv2d',
    CONV_LOADERS,
    { a: x, b: filter, out, bias },
    {
      batch: 1,
      m: info.batch * info.outHeight * info.outWidth,
      n: info.outChannels,
      k: info.filterHeight * info.filterWidth * info.inChannels,
    },
    [
      info.inHeight,
      info.inWidth,
      info.inChannels,
      info.outHeight,
      info.outWidth,
      info.filterWidth,
      info.strideHeight,
      info.strideWidth,
      info.dilationHeight,
      info.dilationWidth,
      info.padTop,
      info.padLeft,
    ],
    activation,
  );
}
