/**
 * Convolution gradients as implicit GEMMs on gemm.ts's tiled template, each reading its operands
 * where they lie (NHWC activations, HWIO filter): no flipped filter, stride-spread dy or transposed
 * copies, as BaseBackend's defaults make.
 *
 * - Input gradient: rows are input pixels, columns input channels, K runs over (tap, out channel);
 *   an element of A is the dy pixel whose window put this input pixel under that tap (zero when
 *   the stride skips it or it falls outside dy).
 * - Filter gradient: rows are filter taps (kh, kw, c), columns out channels, K runs over every
 *   output pixel of the batch. That K is long and M x N small, so one GEMM would leave most of a
 *   GPU idle while a few workgroups walk it: K is split into chunks (the template's batch
 *   dimension), each writes its partial product, and one reduction sums the chunks.
 */
import type { Conv2DInfo } from '../backend.js';
import type { GpuStorage } from './buffers.js';
import { dispatchGemm } from './gemm.js';
import type { GpuQueue } from './queue.js';
import { reduce } from './reduce.js';

/**
 * params after the common four: [H, W, F, OH, OW, KW, strideH, strideW, dilationH, dilationW,
 * padTop, padLeft, C]; A is dy, B the HWIO filter.
 */
const INPUT_GRAD_LOADERS = /* wgsl */ `
fn loadA(batch: u32, m: u32, k: u32) -> f32 {
  let H = pu(4u); let W = pu(5u); let F = pu(6u); let OH = P[7u]; let OW = P[8u]; let KW = pu(9u);
  let n = m / (H * W);
  let p = m % (H * W);
  let tap = k / F;
  let f = k % F;
  let th = i32(p / W) + P[14u] - i32(tap / KW) * P[12u];
  let tw = i32(p % W) + P[15u] - i32(tap % KW) * P[13u];
  if (th < 0 || tw < 0 || th % P[10u] != 0 || tw % P[11u] != 0) { return 0.0; }
  let oh = th / P[10u];
  let ow = tw / P[11u];
  if (oh >= OH || ow >= OW) { return 0.0; }
  return A[((n * u32(OH) + u32(oh)) * u32(OW) + u32(ow)) * F + f];
}
fn loadB(batch: u32, k: u32, c: u32) -> f32 {
  let F = pu(6u);
  return B[((k / F) * pu(16u) + c) * F + k % F];
}`;

export function conv2dBackpropInput(q: GpuQueue, dy: GpuStorage, filter: GpuStorage, dx: GpuStorage, info: Conv2DInfo): void {
  dispatchGemm(
    q,
    'conv2dBackpropInput',
    INPUT_GRAD_LOADERS,
    { a: dy, b: filter, out: dx },
    {
      batch: 1,
      m: info.batch * info.inHeight * info.inWidth,
      n: info.inChannels,
      k: info.filterHeight * info.filterWidth * info.outChannels,
    },
    [
      info.inHeight,
      info.inWidth,
      info.outChannels,
      info.outHeight,
      info.outWidth,
      info.filterWidth,
      info.strideHeight,
      info.strideWidth,
      info.dilationHeight,
      info.dilationWidth,
      info.padTop,
      info.padLeft,
      info.inChannels,
    ],
    undefined,
  );
}

/**
 * params after the common four ([taps x C, F, chunk length, first chunk]): [H, W, C, OH, OW, KW,
 * strideH, strideW, dilationH, dilationW, padTop, padLeft, output pixels]. The template's batch
 * index is the chunk: its K runs over output pixels chunk * length + k.
 */
const FILTER_GRAD_LOADERS = /* wgsl */ `
fn loadA(batch: u32, m: u32, k: u32) -> f32 {
  let pixel = batch * pu(2u) + k;
  if (pixel >= pu(16u)) { return 0.0; }
  let H = P[4u]; let W = P[5u]; let C = pu(6u); let OH = pu(7u); let OW = pu(8u); let KW = pu(9u);
  let n = pixel / (OH * OW);
  let p = pixel % (OH * OW);
  let tap = m / C;
  let c = m % C;
  let ih = i32(p / OW) * P[10u] - P[14u] + i32(tap / KW) * P[12u];
  let iw = i32(p % OW) * P[11u] - P[15u] + i32(tap % KW) * P[13u];
  if (ih < 0 || ih >= H || iw < 0 || iw >= W) { return 0.0; }
  return A[((n * u32(H) + u32(ih)) * u32(W) + u32(iw)) * C + c];
}
fn loadB(batch: u32, k: u32, f: u32) -> f32 {
  let pixel = batch * pu(2u) + k;
  if (pixel >= pu(16u)) { return 0.0; }
  return B[pixel * pu(1u) + f];
}`;

/** Output pixels per chunk at least (a few K tiles, so a chunk's workgroup amortizes its start). */
const MIN_CHUNK = 256;
/** Chunks at most: enough workgroups for a large GPU without a large partial-sum buffer. */
const MAX_CHUNKS = 64;

/** How K (output pixels) is split: chunk length a multiple of the GEMM's K tile. */
export function filterGradChunks(pixels: number): { length: number; count: number } {
  const length = Math.ceil(Math.max(MIN_CHUNK, Math.ceil(pixels / MAX_CHUNKS)) / 16) * 16;
  return { length, count: Math.ceil(pixels / length) };
}

export function conv2dBackpropFilter(
  q: GpuQueue,
  x: GpuStorage,
  dy: GpuStorage,
  dFilter: GpuStorage,
  info: Conv2DInfo,
  scratch: (size: number) => GpuStorage,
): void {
  const pixels = info.batch * info.outHeight * info.outWidth;
  const rows = info.filterHeight * info.filterWidth * info.inChannels;
  const cols = info.outChannels;
  const chunks = filterGradChunks(pixels);
  // one chunk writes the gradient itself; more write partials that one reduction sums
  const partial = chunks.count === 1 ? dFilter : scratch(chunks.count * rows * cols);
  dispatchGemm(
    q,
    'conv2dBackpropFilter',
    FILTER_GRAD_LOADERS,
    { a: x, b: dy, out: partial },
    { batch: chunks.count, m: rows, n: cols, k: chunks.length },
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
      pixels,
    ],
    undefined,
  );
  if (partial !== dFilter) reduce(q, 'sum', partial, [chunks.count, rows * cols], [0], dFilter);
}
