/**
 * Runs an op named in a fixture with the fixture's attributes, so one table drives both the
 * PyTorch conformance test and the numerical gradient check.
 */
import * as capa from '../../src/index.js';

const { ops } = capa;
type T = capa.Tensor;
type Attrs = Record<string, unknown>;
type OpRunner = (inputs: T[], attrs: Attrs) => T | T[];

const at = (inputs: T[], i: number): T => {
  const t = inputs[i];
  if (t === undefined) throw new Error(`fixture is missing input ${i}`);
  return t;
};
const num = (attrs: Attrs, key: string): number | undefined => attrs[key] as number | undefined;

const unaryNames = [
  'neg',
  'abs',
  'exp',
  'expm1',
  'log',
  'log1p',
  'sqrt',
  'rsqrt',
  'square',
  'reciprocal',
  'sin',
  'cos',
  'erf',
  'sign',
  'floor',
  'ceil',
  'round',
  'relu',
  'relu6',
  'selu',
  'sigmoid',
  'hardSigmoid',
  'tanh',
  'softplus',
  'softsign',
  'silu',
  'logicalNot',
  'flatten',
] as const;
const binaryNames = [
  'add',
  'sub',
  'mul',
  'div',
  'pow',
  'maximum',
  'minimum',
  'squaredDifference',
  'mod',
  'floorDiv',
  'equal',
  'notEqual',
  'less',
  'lessEqual',
  'greater',
  'greaterEqual',
  'logicalAnd',
  'logicalOr',
] as const;
const reduceNames = ['sum', 'mean', 'max', 'min', 'logSumExp', 'variance'] as const;

export const opTable: Record<string, OpRunner> = {
  ...Object.fromEntries(unaryNames.map((n) => [n, (inputs: T[]) => (ops[n] as (x: T) => T)(at(inputs, 0))])),
  ...Object.fromEntries(
    binaryNames.map((n) => [n, (inputs: T[]) => (ops[n] as (a: T, b: T) => T)(at(inputs, 0), at(inputs, 1))]),
  ),
  ...Object.fromEntries(
    reduceNames.map((n) => [
      n,
      (inputs: T[], attrs: Attrs) =>
        ops[n](at(inputs, 0), (attrs.axis ?? undefined) as number | number[] | undefined, attrs.keepDims as boolean),
    ]),
  ),
  clip: (i, a) => ops.clip(at(i, 0), num(a, 'min') as number, num(a, 'max') as number),
  leakyRelu: (i, a) => ops.leakyRelu(at(i, 0), num(a, 'alpha')),
  elu: (i, a) => ops.elu(at(i, 0), num(a, 'alpha')),
  gelu: (i, a) => ops.gelu(at(i, 0), a.approximate as boolean | undefined),
  where: (i) => ops.where(at(i, 0), at(i, 1), at(i, 2)),
  cast: (i, a) => ops.cast(at(i, 0), a.dtype as capa.DType),
  argmax: (i, a) => ops.argmax(at(i, 0), num(a, 'axis')),
  argmin: (i, a) => ops.argmin(at(i, 0), num(a, 'axis')),
  matmul: (i, a) => ops.matmul(at(i, 0), at(i, 1), a as capa.ops.MatmulOptions),
  fusedMatmul: (i, a) =>
    ops.fusedMatmul({ a: at(i, 0), b: at(i, 1), bias: i[2] ?? null, ...(a as Omit<capa.ops.FusedMatmulArgs, 'a' | 'b'>) }),
  transpose: (i, a) => ops.transpose(at(i, 0), a.perm as number[] | undefined),
  reshape: (i, a) => ops.reshape(at(i, 0), a.shape as number[]),
  expandDims: (i, a) => ops.expandDims(at(i, 0), num(a, 'axis')),
  squeeze: (i) => ops.squeeze(at(i, 0)),
  slice: (i, a) => ops.slice(at(i, 0), a.begin as number[], a.size as number[]),
  concat: (i, a) => ops.concat(i, num(a, 'axis')),
  stack: (i, a) => ops.stack(i, num(a, 'axis')),
  split: (i, a) => ops.split(at(i, 0), a.numOrSizes as number | number[], num(a, 'axis')),
  pad: (i, a) =>
    ops.pad(at(i, 0), a.paddings as [number, number][], {
      mode: a.mode as capa.ops.PadOptions['mode'],
      constantValue: num(a, 'constantValue'),
    }),
  gather: (i, a) => ops.gather(at(i, 0), at(i, 1), num(a, 'axis')),
  oneHot: (i, a) => ops.oneHot(at(i, 0), num(a, 'depth') as number),
  tile: (i, a) => ops.tile(at(i, 0), a.reps as number[]),
  broadcastTo: (i, a) => ops.broadcastTo(at(i, 0), a.shape as number[]),
  softmax: (i, a) => ops.softmax(at(i, 0), num(a, 'axis')),
  logSoftmax: (i, a) => ops.logSoftmax(at(i, 0), num(a, 'axis')),
  conv2d: (i, a) => ops.conv2d(at(i, 0), at(i, 1), a as capa.ops.Conv2DOptions),
  fusedConv2d: (i, a) => ops.fusedConv2d({ x: at(i, 0), filter: at(i, 1), bias: i[2] ?? null, ...(a as capa.ops.Conv2DOptions) }),
  depthwiseConv2d: (i, a) => ops.depthwiseConv2d(at(i, 0), at(i, 1), a as capa.ops.Conv2DOptions),
  maxPool2d: (i, a) => ops.maxPool2d(at(i, 0), a.poolSize as [number, number], a as capa.ops.PoolOptions),
  avgPool2d: (i, a) => ops.avgPool2d(at(i, 0), a.poolSize as [number, number], a as capa.ops.PoolOptions),
  batchNormalization: (i, a) => {
    const rest = i.slice(3);
    const offset = a.offset ? (rest.shift() ?? null) : null;
    const scale = a.scale ? (rest.shift() ?? null) : null;
    return ops.batchNormalization(at(i, 0), at(i, 1), at(i, 2), offset, scale, num(a, 'epsilon'));
  },
  batchNormTraining: (i, a) => {
    const r = ops.batchNormTraining(at(i, 0), i[1] ?? null, i[2] ?? null, num(a, 'epsilon'));
    return [r.y, r.mean, r.variance];
  },
  layerNormalization: (i, a) => ops.layerNormalization(at(i, 0), i[1] ?? null, i[2] ?? null, num(a, 'epsilon'), num(a, 'axis')).y,
};

export function runOp(op: string, inputs: T[], attrs: Attrs): T[] {
  const runner = opTable[op];
  if (!runner) throw new Error(`no runner for fixture op '${op}'`);
  const out = runner(inputs, attrs);
  return Array.isArray(out) ? out : [out];
}
