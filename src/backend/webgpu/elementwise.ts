/**
 * Elementwise kernels: unary (in place allowed), binary and compare with NumPy broadcasting,
 * select, cast. One WGSL template per family; the op is an expression spliced into it, and the
 * dtype picks the element type. Int32 math is done in i32 where it is exact (add, sub, mul,
 * integer division and modulo, min/max, comparisons) and through f32 otherwise.
 */
import type { BinaryOp, CompareOp, UnaryOp } from '../backend.js';
import type { GpuStorage } from './buffers.js';
import { type GpuQueue, Params } from './queue.js';
import {
  bindings,
  broadcastDescriptor,
  buffersOf,
  elementGrid,
  INDEXING,
  MATH,
  PARAMS,
  perElement,
  sizeOfShape,
  wgslType,
} from './wgsl.js';

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/** f32 expressions of v (the value), a and b (alpha and beta). */
const unaryF32: Record<UnaryOp, string> = {
  neg: '-v',
  abs: 'abs(v)',
  sign: 'sign(v)',
  exp: 'exp(v)',
  expm1: 'expm1_(v)',
  log: 'log(v)',
  log1p: 'log1p_(v)',
  sqrt: 'sqrt(v)',
  rsqrt: '1.0 / sqrt(v)',
  square: 'v * v',
  reciprocal: '1.0 / v',
  floor: 'floor(v)',
  ceil: 'ceil(v)',
  round: 'round(v)',
  sin: 'sinQuadrant_(v, 0)',
  cos: 'sinQuadrant_(v, 1)',
  erf: 'erf_(v)',
  clip: 'min(max(v, a), b)',
  affine: 'v * a + b',
  powScalar: 'pow_(v, a)',
  linear: 'v',
  relu: 'select(0.0, v, v > 0.0 || isNan(v))',
  relu6: 'min(max(v, 0.0), 6.0)',
  leakyRelu: 'select(v * a, v, v > 0.0)',
  elu: 'select(a * expm1_(v), v, v > 0.0)',
  selu: `select(${SELU_SCALE * SELU_ALPHA} * expm1_(v), ${SELU_SCALE} * v, v > 0.0)`,
  gelu: '0.5 * v * (1.0 + erf_(v * 0.7071067811865476))',
  geluTanh: '0.5 * v * (1.0 + tanh_(0.7978845608028654 * (v + 0.044715 * v * v * v)))',
  sigmoid: 'sigmoid_(v)',
  hardSigmoid: 'clamp(v + 3.0, 0.0, 6.0) / 6.0',
  tanh: 'tanh_(v)',
  softplus: 'max(v, 0.0) + log1p_(exp(-abs(v)))',
  softsign: 'v / (1.0 + abs(v))',
  silu: 'v * sigmoid_(v)',
};

/** Unary ops exact in i32; the rest of an int32 unary goes through f32. */
const unaryI32: Partial<Record<UnaryOp, string>> = {
  neg: '-v',
  abs: 'abs(v)',
  sign: 'sign(v)',
  square: 'v * v',
  linear: 'v',
  relu: 'max(v, 0)',
};

const binaryF32: Record<BinaryOp, string> = {
  add: 'x + y',
  sub: 'x - y',
  mul: 'x * y',
  div: 'x / y',
  pow: 'pow_(x, y)',
  maximum: 'select(y, x, x > y || isNan(x))',
  minimum: 'select(y, x, x < y || isNan(x))',
  squaredDifference: '(x - y) * (x - y)',
  floorDiv: 'floor(x / y)',
  mod: 'floorMod(x, y)',
  atan2: 'atan2(x, y)',
};

const binaryI32: Partial<Record<BinaryOp, string>> = {
  add: 'x + y',
  sub: 'x - y',
  mul: 'x * y',
  div: 'select(0, x / y, y != 0)',
  maximum: 'max(x, y)',
  minimum: 'min(x, y)',
  squaredDifference: '(x - y) * (x - y)',
  floorDiv: 'select(0, x / y - select(0, 1, (x % y != 0) && ((x < 0) != (y < 0))), y != 0)',
  mod: 'select(0, floorMod(x, y), y != 0)',
};

const compareOps: Record<CompareOp, string> = {
  equal: 'x == y',
  notEqual: 'x != y',
  less: 'x < y',
  lessEqual: 'x <= y',
  greater: 'x > y',
  greaterEqual: 'x >= y',
  logicalAnd: 'x != T(0) && y != T(0)',
  logicalOr: 'x != T(0) || y != T(0)',
};

/** Python's floor modulo (the result takes the divisor's sign), for either element type. */
const FLOOR_MOD = (t: string) => /* wgsl */ `
fn floorMod(x: ${t}, y: ${t}) -> ${t} {
  let r = x % y;
  return select(r, r + y, r != ${t}(0) && ((r < ${t}(0)) != (y < ${t}(0))));
}`;

export function unary(q: GpuQueue, op: UnaryOp, x: GpuStorage, out: GpuStorage, alpha: number, beta: number): void {
  const t = wgslType(out.dtype);
  const inPlace = x.buffer === out.buffer;
  const exact = t === 'i32' ? unaryI32[op] : unaryF32[op];
  const expr = exact ?? `${t}(${unaryF32[op]})`;
  const pipeline = q.pipeline(`unary:${op}:${t}:${inPlace}`, () => {
    const source = inPlace ? 'O[i]' : 'X[i]';
    const v = exact !== undefined ? source : `f32(${source})`;
    return `${PARAMS}${MATH}
${bindings(
  inPlace
    ? [['O', t, 'read_write']]
    : [
        ['X', t, 'read'],
        ['O', t, 'read_write'],
      ],
)}
${perElement(`let v = ${v}; let a = pf(1u); let b = pf(2u); O[i] = ${expr};`)}`;
  });
  const params = new Params().i(out.size).f(alpha, beta);
  q.dispatch(pipeline, inPlace ? buffersOf(out) : buffersOf(x, out), params, elementGrid(out.size));
}

/** Parameters of a broadcast kernel: count, rank, the output shape, then each operand's descriptor. */
function broadcastParams(outShape: readonly number[], operands: readonly (readonly number[])[]): Params {
  const p = new Params().i(sizeOfShape(outShape), outShape.length).list(outShape);
  for (const shape of operands) p.list(broadcastDescriptor(shape, outShape));
  return p;
}

/** WGSL lines loading operand k (named `name`, in buffer `buf`) for output element i. */
function operandLoad(name: string, buf: string, k: number, rank: number): string {
  const at = 2 + rank + k * (rank + 1);
  return `let ${name} = ${buf}[operandIndex(i, ${rank}u, ${at}u)];`;
}

function broadcastKernel(
  q: GpuQueue,
  key: string,
  inputs: readonly [string, GpuStorage, readonly number[]][],
  out: GpuStorage,
  outShape: readonly number[],
  helpers: string,
  store: string,
): void {
  const rank = outShape.length;
  const pipeline = q.pipeline(`${key}:r${rank}`, () => {
    const decl = bindings([
      ...inputs.map(([name, s]) => [name.toUpperCase(), wgslType(s.dtype), 'read'] as const),
      ['O', wgslType(out.dtype), 'read_write'] as const,
    ]);
    const loads = inputs.map(([name], k) => operandLoad(name, name.toUpperCase(), k, rank)).join('\n  ');
    return `${PARAMS}${INDEXING}${helpers}
${decl}
${perElement(`${loads}\n  O[i] = ${store};`)}`;
  });
  const params = broadcastParams(
    outShape,
    inputs.map(([, , shape]) => shape),
  );
  q.dispatch(pipeline, [...inputs.map(([, s]) => s.buffer), out.buffer], params, elementGrid(out.size));
}

export function binary(
  q: GpuQueue,
  op: BinaryOp,
  a: GpuStorage,
  aShape: readonly number[],
  b: GpuStorage,
  bShape: readonly number[],
  out: GpuStorage,
  outShape: readonly number[],
): void {
  const t = wgslType(out.dtype);
  const exact = t === 'i32' ? binaryI32[op] : binaryF32[op];
  const expr = exact ?? 'i32(viaF32(f32(x), f32(y)))';
  const viaF32 = exact === undefined ? `fn viaF32(x: f32, y: f32) -> f32 { return ${binaryF32[op]}; }` : '';
  broadcastKernel(
    q,
    `binary:${op}:${t}`,
    [
      ['x', a, aShape],
      ['y', b, bShape],
    ],
    out,
    outShape,
    `${MATH}${FLOOR_MOD(t)}${viaF32}`,
    expr,
  );
}

export function compare(
  q: GpuQueue,
  op: CompareOp,
  a: GpuStorage,
  aShape: readonly number[],
  b: GpuStorage,
  bShape: readonly number[],
  out: GpuStorage,
  outShape: readonly number[],
): void {
  const t = wgslType(a.dtype);
  broadcastKernel(
    q,
    `compare:${op}:${t}`,
    [
      ['x', a, aShape],
      ['y', b, bShape],
    ],
    out,
    outShape,
    `alias T = ${t};`,
    `select(0, 1, ${compareOps[op]})`,
  );
}

export function selectWhere(
  q: GpuQueue,
  cond: GpuStorage,
  condShape: readonly number[],
  a: GpuStorage,
  aShape: readonly number[],
  b: GpuStorage,
  bShape: readonly number[],
  out: GpuStorage,
  outShape: readonly number[],
): void {
  broadcastKernel(
    q,
    `select:${wgslType(cond.dtype)}:${wgslType(out.dtype)}`,
    [
      ['c', cond, condShape],
      ['x', a, aShape],
      ['y', b, bShape],
    ],
    out,
    outShape,
    '',
    `select(y, x, c != ${wgslType(cond.dtype)}(0))`,
  );
}

/** Converts between float32 and int32 (float to int truncates toward zero), or copies. */
export function cast(q: GpuQueue, x: GpuStorage, out: GpuStorage): void {
  const from = wgslType(x.dtype);
  const to = wgslType(out.dtype);
  const pipeline = q.pipeline(`cast:${from}:${to}`, () => {
    // WGSL's f32 -> i32 conversion truncates toward zero and saturates; NaN becomes 0 as in an Int32Array
    const value =
      from === 'f32' && to === 'i32' ? 'select(i32(X[i]), 0, (bitcast<u32>(X[i]) & 0x7fffffffu) > 0x7f800000u)' : `${to}(X[i])`;
    return `${PARAMS}
${bindings([
  ['X', from, 'read'],
  ['O', to, 'read_write'],
])}
${perElement(`O[i] = ${value};`)}`;
  });
  q.dispatch(pipeline, buffersOf(x, out), new Params().i(out.size), elementGrid(out.size));
}
