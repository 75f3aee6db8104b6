/**
 * Empty inputs for the native kernels' empty-tensor tests (sanitizers-empty-tensors.test.ts):
 * shapes with a 0-length axis in every position and window geometries with something empty.
 */
import type { Conv2DInfo } from '../../../src/backend/backend.js';
import type { TypedArray } from '../../../src/tensor/dtype.js';

/** The op names of a code table (src/backend/native/codes.ts). */
export const keys = <K extends string>(codes: Record<K, number>): K[] => Object.keys(codes) as K[];
const SENTINEL = 12345;

/** Shapes of rank 1 to 4 with a 0-length axis in each position, and one with two. */
export const EMPTY_SHAPES: number[][] = [[0], [0, 0, 3], [2, 0, 0]];
for (let rank = 2; rank <= 4; rank++) {
  for (let at = 0; at < rank; at++) EMPTY_SHAPES.push([2, 3, 4, 5].slice(0, rank).map((d, i) => (i === at ? 0 : d)));
}

/** Deterministic values of both signs. */
export function floats(n: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => ((i * 7) % 11) / 4 - 1.2);
}

/** Fills an output with a value no kernel writes here, so an element left unwritten shows. */
export function filled<T extends TypedArray>(out: T): T {
  out.fill(SENTINEL);
  return out;
}

export function subsets(rank: number): number[][] {
  const all: number[][] = [];
  for (let mask = 0; mask < 1 << rank; mask++) all.push([...Array(rank).keys()].filter((d) => mask & (1 << d)));
  return all;
}

export function permutations(items: number[]): number[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((x, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((p) => [x, ...p]));
}

/** Output size of a window along one axis, as the ops compute it. */
function outDim(n: number, k: number, stride: number, before: number, after: number): number {
  return Math.max(0, Math.floor((n + before + after - k) / stride) + 1);
}

function geometry(
  g: Partial<Conv2DInfo> & { batch: number; inHeight: number; inWidth: number; inChannels: number; outChannels: number },
  k = 3,
  pad = 1,
): Conv2DInfo {
  return {
    outHeight: outDim(g.inHeight, k, 1, pad, pad),
    outWidth: outDim(g.inWidth, k, 1, pad, pad),
    filterHeight: k,
    filterWidth: k,
    strideHeight: 1,
    strideWidth: 1,
    dilationHeight: 1,
    dilationWidth: 1,
    padTop: pad,
    padLeft: pad,
    padBottom: pad,
    padRight: pad,
    ...g,
  };
}

/** Convolution geometries where something is empty: batch, spatial, input or output channels. */
export const EMPTY_CONVS: Conv2DInfo[] = [
  geometry({ batch: 0, inHeight: 5, inWidth: 4, inChannels: 3, outChannels: 2 }),
  geometry({ batch: 2, inHeight: 0, inWidth: 4, inChannels: 3, outChannels: 2 }),
  geometry({ batch: 2, inHeight: 5, inWidth: 0, inChannels: 3, outChannels: 2 }),
  // No input cells, but padding leaves 2x2 windows that see only zeros.
  geometry({ batch: 2, inHeight: 0, inWidth: 0, inChannels: 3, outChannels: 2 }, 3, 2),
  // A window larger than the unpadded input: cells to read, no window to read them.
  geometry({ batch: 2, inHeight: 2, inWidth: 3, inChannels: 3, outChannels: 2 }, 5, 0),
  geometry({ batch: 2, inHeight: 5, inWidth: 4, inChannels: 0, outChannels: 2 }),
  geometry({ batch: 2, inHeight: 5, inWidth: 4, inChannels: 3, outChannels: 0 }),
  // A 0x0 filter (a kernel with empty spatial axes): no taps, 'valid' and 'same' (dilated) sizes.
  geometry({ batch: 2, inHeight: 4, inWidth: 3, inChannels: 3, outChannels: 2 }, 0, 0),
  {
    ...geometry({ batch: 1, inHeight: 4, inWidth: 3, inChannels: 2, outChannels: 2 }, 0, 0),
    outHeight: 4,
    outWidth: 3,
    dilationHeight: 2,
    dilationWidth: 2,
  },
  geometry({ batch: 2, inHeight: 5, inWidth: 4, inChannels: 0, outChannels: 0 }),
];

export function describeConv(g: Conv2DInfo): string {
  return `N${g.batch} ${g.inHeight}x${g.inWidth}x${g.inChannels} -> ${g.outHeight}x${g.outWidth}x${g.outChannels}`;
}

export function inputSize(g: Conv2DInfo): number {
  return g.batch * g.inHeight * g.inWidth * g.inChannels;
}

export function outputSize(g: Conv2DInfo): number {
  return g.batch * g.outHeight * g.outWidth * g.outChannels;
}
