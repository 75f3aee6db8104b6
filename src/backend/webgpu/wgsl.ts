/**
 * WGSL pieces every kernel family shares: the parameter binding (binding 0, 32-bit words written by
 * `Params`), the one-thread-per-element entry point, strided and broadcast indexing, and the math
 * WGSL lacks (NaN tests that survive fast-math, expm1, log1p, erf, a tanh that does not overflow).
 */
import type { DType } from '../../tensor/dtype.js';
import type { GpuStorage } from './buffers.js';

/** Threads per workgroup of the one-thread-per-element kernels. */
export const WG = 64;
/** The largest workgroup count along one dimension (WebGPU's default limit). */
const MAX_GROUPS = 65535;

export function wgslType(dtype: DType): 'f32' | 'i32' {
  return dtype === 'int32' ? 'i32' : 'f32';
}

/** Binding declarations after the parameters: `[name, type, access]` in binding order from 1. */
export function bindings(list: readonly (readonly [string, string, 'read' | 'read_write'])[]): string {
  return list
    .map(([name, type, access], i) => `@group(0) @binding(${i + 1}) var<storage, ${access}> ${name}: array<${type}>;`)
    .join('\n');
}

export const PARAMS = /* wgsl */ `
@group(0) @binding(0) var<storage, read> P: array<i32>;
fn pu(i: u32) -> u32 { return u32(P[i]); }
fn pf(i: u32) -> f32 { return bitcast<f32>(P[i]); }
// NaN and infinities from a runtime value: WGSL rejects them as constant expressions
fn specialF32(bits: u32) -> f32 { return bitcast<f32>(bits | (pu(0u) & 0u)); }
fn nanF32() -> f32 { return specialF32(0x7fc00000u); }
fn infF32() -> f32 { return specialF32(0x7f800000u); }
fn negInfF32() -> f32 { return specialF32(0xff800000u); }
`;

/**
 * Workgroups of a perElement dispatch at most: beyond it each thread takes several elements
 * (a grid-stride loop). Enough threads to fill a large GPU, while a CPU implementation
 * (SwiftShader), whose cost is per workgroup, is not handed a million tiny ones.
 */
const MAX_ELEMENT_GROUPS = 2048;

/**
 * An entry point running `body` once per element index `i` below P[0] (the element count): each
 * thread strides over the elements by the grid's size (see elementGrid).
 */
export function perElement(body: string, wg = WG): string {
  return /* wgsl */ `
@compute @workgroup_size(${wg})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let stride = nwg.x * nwg.y * ${wg}u;
  for (var i = gid.x + gid.y * nwg.x * ${wg}u; i < pu(0u); i += stride) {
  ${body}
  }
}`;
}

/** Workgroups for a perElement kernel over `count` elements. */
export function elementGrid(count: number, wg = WG): [number, number, number] {
  return [Math.min(Math.ceil(count / wg), MAX_ELEMENT_GROUPS), 1, 1];
}

/** One workgroup per item (reduction outputs, softmax rows), over a 2-D grid so counts above 65535 fit. */
export function gridFor(count: number, wg = WG): [number, number, number] {
  const groups = Math.ceil(count / wg);
  if (groups <= MAX_GROUPS) return [groups, 1, 1];
  return [MAX_GROUPS, Math.ceil(groups / MAX_GROUPS), 1];
}

/**
 * Offsets from a flat output index: `stridedOffset(i, rank, shapeAt, stridesAt)` is
 * Σ coord[d] * stride[d] over the output coordinates of i. `operandIndex` reads a broadcast
 * operand's descriptor at `at`: mode 0 = same layout as the output, 1 = one value, 2 = strides follow.
 */
export const INDEXING = /* wgsl */ `
fn stridedOffset(i: u32, rank: u32, shapeAt: u32, stridesAt: u32) -> u32 {
  var rem = i;
  var off = 0u;
  for (var d = rank; d > 0u; d--) {
    let s = pu(shapeAt + d - 1u);
    off += (rem % s) * pu(stridesAt + d - 1u);
    rem /= s;
  }
  return off;
}
fn operandIndex(i: u32, rank: u32, at: u32) -> u32 {
  let mode = pu(at);
  if (mode == 0u) { return i; }
  if (mode == 1u) { return 0u; }
  return stridedOffset(i, rank, 2u, at + 1u);
}
`;

/** Row-major strides of a shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let d = shape.length - 2; d >= 0; d--) s[d] = (s[d + 1] as number) * (shape[d + 1] as number);
  return s;
}

export function sizeOfShape(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** An operand's descriptor for `operandIndex`: its broadcast to outShape as mode and strides (rank words after the mode). */
export function broadcastDescriptor(shape: readonly number[], outShape: readonly number[]): number[] {
  const rank = outShape.length;
  const size = sizeOfShape(shape);
  const pad = new Array<number>(rank).fill(0);
  if (size === sizeOfShape(outShape) && shape.length <= rank) return [0, ...pad];
  if (size === 1) return [1, ...pad];
  const lead = rank - shape.length;
  const own = stridesOf(shape);
  return [2, ...outShape.map((_, d) => (d < lead || shape[d - lead] === 1 ? 0 : (own[d - lead] as number)))];
}

/** Buffers of storage handles, for a dispatch. */
export function buffersOf(...storages: GpuStorage[]): GPUBuffer[] {
  return storages.map((s) => s.buffer);
}

/** Float helpers WGSL does not have, written to stay exact where f32 can be. */
export const MATH = /* wgsl */ `
fn isNan(v: f32) -> bool { return (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u; }
fn expm1_(x: f32) -> f32 {
  let u = exp(x);
  if (u == 1.0) { return x; }
  let um1 = u - 1.0;
  if (um1 == -1.0) { return -1.0; }
  if (abs(x) > 0.5) { return um1; }
  return um1 * x / log(u);
}
fn log1p_(x: f32) -> f32 {
  let u = 1.0 + x;
  if (u == 1.0) { return x; }
  if (abs(x) > 0.5) { return log(u); }
  return log(u) * x / (u - 1.0);
}
fn erf_(x: f32) -> f32 {
  let t = 1.0 / (1.0 + 0.3275911 * abs(x));
  let poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  let r = 1.0 - poly * exp(-x * x);
  return select(-r, r, x >= 0.0);
}
// sin(x + q * pi / 2) by Cody-Waite reduction to [-pi/4, pi/4] and Cephes' polynomials: WGSL's own
// sin and cos may be off by 2^-11 (SwiftShader is), too coarse for 1e-4 agreement
fn sinQuadrant_(x: f32, shift: i32) -> f32 {
  let k = round(x * 0.6366197723675814);
  let r = ((x - k * 1.5703125) - k * 4.837512969970703125e-4) - k * 7.54978995489188216e-8;
  let q = (i32(k) + shift) & 3;
  let z = r * r;
  let s = r + r * z * (-1.6666654611e-1 + z * (8.3321608736e-3 + z * -1.9515295891e-4));
  let c = 1.0 - 0.5 * z + z * z * (4.166664568298827e-2 + z * (-1.388731625493765e-3 + z * 2.443315711809948e-5));
  if (q == 0) { return s; }
  if (q == 1) { return c; }
  if (q == 2) { return -s; }
  return -c;
}
fn tanh_(x: f32) -> f32 { return tanh(clamp(x, -15.0, 15.0)); }
fn sigmoid_(x: f32) -> f32 { return 1.0 / (1.0 + exp(-x)); }
fn pow_(a: f32, b: f32) -> f32 {
  if (b == 0.0) { return 1.0; }
  if (a >= 0.0 || isNan(a)) { return pow(a, b); }
  if (floor(b) != b) { return nanF32(); }
  let m = pow(-a, b);
  return select(m, -m, floor(b * 0.5) * 2.0 != b);
}
`;
