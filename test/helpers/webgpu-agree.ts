/**
 * Running one kernel on the webgpu and js backends with the same operands, for the webgpu kernel
 * tests: host values uploaded to both, outputs allocated dirty (NaN, or -7 for int32) so a kernel
 * that leaves part of its output unwritten fails, and every output compared within a tolerance.
 */
import { expect } from 'vitest';
import type { Backend, Conv2DInfo } from '../../src/backend/backend.js';
import { JsBackend } from '../../src/backend/js/index.js';
import type { DType, TypedArray } from '../../src/tensor/dtype.js';
import type { Storage } from '../../src/tensor/storage.js';
import { maxRelativeError } from './close.js';
import { webgpu } from './webgpu.js';

const js = new JsBackend();

export function random(n: number, seed: number, scale = 2): Float32Array {
  const out = new Float32Array(n);
  let s = seed * 9301 + 49297;
  for (let i = 0; i < n; i++) {
    s = (s * 9301 + 49297) % 233280;
    out[i] = (s / 233280 - 0.5) * scale;
  }
  return out;
}

export function ints(n: number, seed: number, lo: number, hi: number): Int32Array {
  return Int32Array.from(random(n, seed, 1), (v) => lo + Math.floor((v + 0.5) * (hi - lo)));
}

/** An operand: host values given to both backends (outputs: only a dtype and size). */
export type Arg = TypedArray | { out: DType; size: number; zeroed?: boolean };

/**
 * Runs `kernel` on both backends with the same arguments (typed arrays uploaded to the GPU,
 * outputs allocated there dirty or zeroed) and returns both backends' values of every output and
 * of every input the kernel may write (`inPlace` indices).
 */
async function both(
  args: Arg[],
  kernel: (be: Backend, s: Storage[]) => void,
  inPlace: number[] = [],
): Promise<{ gpu: TypedArray[]; cpu: TypedArray[] }> {
  const gpu = webgpu();
  const cpuStorage = args.map((a) =>
    a instanceof Float32Array || a instanceof Int32Array
      ? a.slice()
      : a.zeroed
        ? js.allocateZeroed(a.out, a.size)
        : (js.allocate(a.out, a.size) as TypedArray).fill(Number.NaN),
  );
  const gpuStorage = args.map((a) => {
    if (a instanceof Float32Array || a instanceof Int32Array) return gpu.upload(a.slice());
    if (a.zeroed) return gpu.allocateZeroed(a.out, a.size);
    const s = gpu.allocate(a.out, a.size);
    gpu.write(s, a.out === 'int32' ? new Int32Array(a.size).fill(-7) : new Float32Array(a.size).fill(Number.NaN));
    return s;
  });
  kernel(js, cpuStorage);
  kernel(gpu, gpuStorage);
  const read = args.flatMap((a, i) =>
    a instanceof Float32Array || a instanceof Int32Array ? (inPlace.includes(i) ? [i] : []) : [i],
  );
  const gpuValues = await Promise.all(
    read.map((i) =>
      gpu.read(
        gpuStorage[i]!,
        (cpuStorage[i] as TypedArray) instanceof Int32Array ? 'int32' : 'float32',
        (cpuStorage[i] as TypedArray).length,
      ),
    ),
  );
  return { gpu: gpuValues, cpu: read.map((i) => cpuStorage[i] as TypedArray) };
}

export async function expectAgree(
  args: Arg[],
  kernel: (be: Backend, s: Storage[]) => void,
  inPlace: number[] = [],
  tol = 1e-4,
): Promise<void> {
  const { gpu, cpu } = await both(args, kernel, inPlace);
  gpu.forEach((g, i) => {
    expect(g.constructor).toBe(cpu[i]!.constructor);
    expect(maxRelativeError(g, cpu[i]!), `output ${i}`).toBeLessThanOrEqual(tol);
  });
}

export function conv(over: Partial<Conv2DInfo>): Conv2DInfo {
  return {
    batch: 2,
    inHeight: 9,
    inWidth: 7,
    inChannels: 3,
    outHeight: 9,
    outWidth: 7,
    outChannels: 5,
    filterHeight: 3,
    filterWidth: 3,
    strideHeight: 1,
    strideWidth: 1,
    dilationHeight: 1,
    dilationWidth: 1,
    padTop: 1,
    padLeft: 1,
    padBottom: 1,
    padRight: 1,
    ...over,
  };
}
